package org.dunwatch.streams.feeds;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Set;
import org.dunwatch.streams.rules.RuleException;
import org.dunwatch.streams.rules.Rules;

/**
 * Parameters of the lender and agency scorecards ({@code feeds.scorecards} of the rule pack).
 *
 * @param grace how long after a period ends (event time) late alerts and contacts still revise it;
 *     then it is published as final
 * @param retention how long after a period ends its scorecard stays queryable in the app (the
 *     compacted topic keeps it regardless)
 * @param maxIncidentsPerPeriod cap on incidents kept per owner and period (beyond it they are
 *     counted by type only)
 * @param worstIncidents how many incident ids a scorecard names
 */
public record ScorecardRule(
    Duration grace, Duration retention, int maxIncidentsPerPeriod, int worstIncidents) {

  public static final String SECTION = "scorecards";

  public ScorecardRule {
    if (grace == null || grace.isNegative()) {
      throw new RuleException("feeds.scorecards.grace must be a non-negative duration");
    }
    if (retention == null || retention.compareTo(grace) < 0) {
      throw new RuleException("feeds.scorecards.retention must be at least the grace");
    }
    if (maxIncidentsPerPeriod < 1 || worstIncidents < 1) {
      throw new RuleException("feeds.scorecards caps must be at least 1");
    }
  }

  /** Final 2 h after the period; kept 35 days; 2,000 incidents per period; the 5 worst named. */
  public static ScorecardRule defaults() {
    return new ScorecardRule(Duration.ofHours(2), Duration.ofDays(35), 2000, 5);
  }

  /** Reads {@code feeds.scorecards}; missing values take the defaults. */
  public static ScorecardRule from(Rules rules) {
    JsonNode node = rules.feed(SECTION);
    ScorecardRule d = defaults();
    if (node.isMissingNode()) {
      return d;
    }
    String at = "feeds." + SECTION + ".";
    Rules.requireOnlyKeys(
        node, at, Set.of("grace", "retention", "max_incidents_per_period", "worst_incidents"));
    return new ScorecardRule(
        Rules.durationParam(node, "grace", d.grace(), at),
        Rules.durationParam(node, "retention", d.retention(), at),
        Rules.intParam(node, "max_incidents_per_period", d.maxIncidentsPerPeriod(), at),
        Rules.intParam(node, "worst_incidents", d.worstIncidents(), at));
  }
}

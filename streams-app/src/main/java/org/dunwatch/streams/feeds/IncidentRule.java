package org.dunwatch.streams.feeds;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Set;
import org.dunwatch.streams.rules.RuleException;
import org.dunwatch.streams.rules.Rules;

/**
 * How long the app keeps incidents for the query API ({@code feeds.incidents} of the rule pack).
 *
 * @param retention an incident is dropped this long (event time) after its latest revision
 * @param maxRevisions revisions kept per incident: the first and the latest
 */
public record IncidentRule(Duration retention, int maxRevisions) {

  public static final String SECTION = "incidents";

  public IncidentRule {
    if (retention == null || retention.isZero() || retention.isNegative()) {
      throw new RuleException("feeds.incidents.retention must be a positive duration");
    }
    if (maxRevisions < 2) {
      throw new RuleException("feeds.incidents.max_revisions must be at least 2");
    }
  }

  /** 35 days, 20 revisions. */
  public static IncidentRule defaults() {
    return new IncidentRule(Duration.ofDays(35), 20);
  }

  public static IncidentRule from(Rules rules) {
    JsonNode node = rules.feed(SECTION);
    IncidentRule d = defaults();
    if (node.isMissingNode()) {
      return d;
    }
    String at = "feeds." + SECTION + ".";
    Rules.requireOnlyKeys(node, at, Set.of("retention", "max_revisions"));
    return new IncidentRule(
        Rules.durationParam(node, "retention", d.retention(), at),
        Rules.intParam(node, "max_revisions", d.maxRevisions(), at));
  }
}

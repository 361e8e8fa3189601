package org.dunwatch.streams.feeds;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Set;
import org.dunwatch.avro.alert.Severity;
import org.dunwatch.streams.rules.RuleException;
import org.dunwatch.streams.rules.Rules;

/**
 * Parameters of the telecom blocklist ({@code feeds.blocklist} of the rule pack).
 *
 * @param quietPeriod an entry is lifted (tombstone) once this much event time passed after the last
 *     alert revision of every incident behind it
 * @param blockFrom a subject of an incident at this severity or above is blocked, below it
 *     throttled
 * @param maxIncidentsPerNumber cap on open incidents kept per number (the latest are kept)
 * @param maxRegistrationsPerNumber cap on collector registrations kept per number
 */
public record BlocklistRule(
    Duration quietPeriod,
    Severity blockFrom,
    int maxIncidentsPerNumber,
    int maxRegistrationsPerNumber) {

  public static final String SECTION = "blocklist";

  public BlocklistRule {
    if (quietPeriod == null || quietPeriod.isZero() || quietPeriod.isNegative()) {
      throw new RuleException("feeds.blocklist.quiet_period must be a positive duration");
    }
    if (blockFrom == null) {
      throw new RuleException("feeds.blocklist.block_from must be a severity");
    }
    if (maxIncidentsPerNumber < 1 || maxRegistrationsPerNumber < 1) {
      throw new RuleException("feeds.blocklist caps must be at least 1");
    }
  }

  /**
   * Lifted after 6 h without activity; HIGH and CRITICAL blocked; 20 incidents, 10 registrations.
   */
  public static BlocklistRule defaults() {
    return new BlocklistRule(Duration.ofHours(6), Severity.HIGH, 20, 10);
  }

  /** Reads {@code feeds.blocklist}; missing values take the defaults. */
  public static BlocklistRule from(Rules rules) {
    JsonNode node = rules.feed(SECTION);
    BlocklistRule d = defaults();
    if (node.isMissingNode()) {
      return d;
    }
    String at = "feeds." + SECTION + ".";
    Rules.requireOnlyKeys(
        node,
        at,
        Set.of(
            "quiet_period",
            "block_from",
            "max_incidents_per_number",
            "max_registrations_per_number"));
    Severity blockFrom = d.blockFrom();
    if (node.has("block_from")) {
      try {
        blockFrom = Severity.valueOf(node.get("block_from").asText());
      } catch (IllegalArgumentException e) {
        throw new RuleException(
            at + "block_from must be LOW, MEDIUM, HIGH or CRITICAL, got " + node.get("block_from"));
      }
    }
    return new BlocklistRule(
        Rules.durationParam(node, "quiet_period", d.quietPeriod(), at),
        blockFrom,
        Rules.intParam(node, "max_incidents_per_number", d.maxIncidentsPerNumber(), at),
        Rules.intParam(node, "max_registrations_per_number", d.maxRegistrationsPerNumber(), at));
  }
}

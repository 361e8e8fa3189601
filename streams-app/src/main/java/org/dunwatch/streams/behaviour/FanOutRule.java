package org.dunwatch.streams.behaviour;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Set;
import org.dunwatch.streams.rules.RuleException;
import org.dunwatch.streams.rules.Rules;

/**
 * Parameters of the social graph (circles) and CONTACT_FAN_OUT (section {@code fan_out}).
 *
 * @param ruleId rule id of fan-out alerts
 * @param ruleVersion its version
 * @param reached alert when one source reaches this many non-declared people of a circle ...
 * @param window ... within this window
 * @param circleTopK ties kept per number, strongest first (bounded state)
 * @param circleWindow a tie with no call either way for this long is forgotten
 * @param minStrength a tie counts as real contact from this strength (2 per answered call with
 *     talk, 1 per other call): one conversation, or two attempts
 * @param unregisteredSources count calls from numbers no lender registered, when the caller is a
 *     stranger to the person called
 * @param unregisteredReached an unregistered number needs this many people (more evidence than a
 *     lender's registered line, whose purpose is known)
 * @param sourceShare an unregistered number counts as a collection source in one circle only when
 *     the people it reached there are at least this share of everyone it was in touch with (its own
 *     ties, at most {@code circleTopK}): a number working one borrower's phone book, not a call
 *     centre or a courier whose many calls land in every circle by chance
 * @param regrowthFactor re-issue at this multiple of the count last alerted
 * @param maxReached people kept per source per borrower
 * @param maxSources sources kept per borrower
 * @param evidenceCap event ids an alert carries
 */
public record FanOutRule(
    String ruleId,
    int ruleVersion,
    int reached,
    Duration window,
    int circleTopK,
    Duration circleWindow,
    int minStrength,
    boolean unregisteredSources,
    int unregisteredReached,
    double sourceShare,
    double regrowthFactor,
    int maxReached,
    int maxSources,
    int evidenceCap) {

  public static final String SECTION = "fan_out";
  public static final String RULE_ID = "fan_out.circle";

  public FanOutRule {
    positive("reached", reached);
    positive("circle.top_k", circleTopK);
    positive("circle.min_strength", minStrength);
    positive("max_sources", maxSources);
    positive("evidence_cap", evidenceCap);
    if (maxReached < reached) {
      throw new RuleException("max_reached must be at least reached (" + reached + ")");
    }
    if (window == null || window.isZero() || circleWindow == null || circleWindow.isZero()) {
      throw new RuleException("window and circle.window must be positive durations");
    }
    if (unregisteredReached < reached) {
      throw new RuleException("unregistered_reached must be at least reached (" + reached + ")");
    }
    if (!(sourceShare >= 0 && sourceShare <= 1)) {
      throw new RuleException("source_share must be within 0..1, got " + sourceShare);
    }
    if (regrowthFactor <= 1.0) {
      throw new RuleException("regrowth_factor must be > 1, got " + regrowthFactor);
    }
  }

  /**
   * 5 people in 7 days; an unregistered number 10, and only when they are half of its contacts;
   * circles of the top 30 ties over 30 days.
   */
  public static FanOutRule defaults() {
    return new FanOutRule(
        RULE_ID,
        2,
        5,
        Duration.ofDays(7),
        30,
        Duration.ofDays(30),
        2,
        true,
        10,
        0.5,
        2.0,
        100,
        20,
        20);
  }

  public static FanOutRule from(Rules rules) {
    JsonNode node = rules.section(SECTION);
    FanOutRule d = defaults();
    if (node.isMissingNode()) {
      return d;
    }
    String at = "detectors." + SECTION + ".";
    Rules.requireOnlyKeys(
        node,
        at,
        Set.of(
            "rules",
            "circle",
            "unregistered_sources",
            "regrowth_factor",
            "max_reached",
            "max_sources",
            "evidence_cap"));
    JsonNode rulesNode = node.path("rules");
    Rules.requireOnlyKeys(rulesNode, at + "rules.", Set.of(RULE_ID));
    JsonNode r = rulesNode.path(RULE_ID);
    String rat = at + "rules." + RULE_ID + ".";
    Rules.requireOnlyKeys(
        r, rat, Set.of("version", "reached", "window", "unregistered_reached", "source_share"));
    JsonNode c = node.path("circle");
    String cat = at + "circle.";
    Rules.requireOnlyKeys(c, cat, Set.of("top_k", "window", "min_strength"));
    JsonNode unregistered = node.get("unregistered_sources");
    if (unregistered != null && !unregistered.isBoolean()) {
      throw new RuleException(at + "unregistered_sources must be true or false");
    }
    return new FanOutRule(
        RULE_ID,
        Rules.intParam(r, "version", d.ruleVersion(), rat),
        Rules.intParam(r, "reached", d.reached(), rat),
        Rules.durationParam(r, "window", d.window(), rat),
        Rules.intParam(c, "top_k", d.circleTopK(), cat),
        Rules.durationParam(c, "window", d.circleWindow(), cat),
        Rules.intParam(c, "min_strength", d.minStrength(), cat),
        unregistered == null ? d.unregisteredSources() : unregistered.booleanValue(),
        Rules.intParam(r, "unregistered_reached", d.unregisteredReached(), rat),
        Rules.doubleParam(r, "source_share", d.sourceShare(), rat),
        Rules.doubleParam(node, "regrowth_factor", d.regrowthFactor(), at),
        Rules.intParam(node, "max_reached", d.maxReached(), at),
        Rules.intParam(node, "max_sources", d.maxSources(), at),
        Rules.intParam(node, "evidence_cap", d.evidenceCap(), at));
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new RuleException(name + " must be > 0, got " + value);
    }
  }
}

package org.dunwatch.streams.rules;

import java.time.Duration;

/**
 * Parameters of CALL_FLOOD detection (call bombing, 呼死你). A call is short when it ended while
 * ringing, was rejected, busy, unanswered, or answered with at most {@code shortTalkSeconds} of
 * talk; long answered calls never count.
 *
 * @param victimRuleId rule id of the victim-side thresholds (any 1 h, any 24 h)
 * @param victimRuleVersion its version
 * @param pairRuleId rule id of the one-caller-to-one-callee threshold
 * @param pairRuleVersion its version
 * @param shortTalkSeconds answered calls with at most this much talk are short
 * @param shortCallsPerHour alert at this many short calls to one victim in any 1 h
 * @param shortCallsPerDay alert at this many short calls to one victim in any 24 h
 * @param pairCallsPerHour alert at this many calls from one caller to one callee in any 1 h
 * @param quietPeriod an incident ends after this long without a short call; the next is new
 * @param regrowthFactor re-issue an open incident when its count reaches this multiple of the count
 *     last alerted (or its severity rises)
 * @param maxTrackedCalls cap on calls kept per victim (bounded state)
 * @param evidenceCap how many event ids an alert carries
 * @param earlyRuleId rule id of the early signal: call bombing in its first minutes
 * @param earlyRuleVersion its version
 * @param earlyShortCalls alert (LOW) at this many calls to one victim hung up within seconds (the
 *     caller hung up while ringing or at once after answer, or the victim rejected it) in any
 *     {@code earlyWindow} ...
 * @param earlyWindow ...
 * @param earlyDistinctCallers ... from at least this many numbers, counting only numbers with no
 *     tie to the victim (no answered call longer than {@code shortTalkSeconds} among the victim's
 *     tracked calls)
 */
public record CallFloodRule(
    String victimRuleId,
    int victimRuleVersion,
    String pairRuleId,
    int pairRuleVersion,
    int shortTalkSeconds,
    int shortCallsPerHour,
    int shortCallsPerDay,
    int pairCallsPerHour,
    Duration quietPeriod,
    double regrowthFactor,
    int maxTrackedCalls,
    int evidenceCap,
    String earlyRuleId,
    int earlyRuleVersion,
    int earlyShortCalls,
    Duration earlyWindow,
    int earlyDistinctCallers) {

  public static final String VICTIM_RULE_ID = "flood.calls.victim";
  public static final String PAIR_RULE_ID = "flood.calls.pair";
  public static final String EARLY_RULE_ID = "flood.calls.early";

  public CallFloodRule {
    RuleChecks.positive("short_calls_1h", shortCallsPerHour);
    RuleChecks.positive("short_calls_24h", shortCallsPerDay);
    RuleChecks.positive("pair_calls_1h", pairCallsPerHour);
    RuleChecks.atLeast("short_talk_seconds", shortTalkSeconds, 0);
    RuleChecks.positive("evidence_cap", evidenceCap);
    RuleChecks.positive("hung_up_calls", earlyShortCalls);
    RuleChecks.positive("distinct_callers", earlyDistinctCallers);
    if (earlyDistinctCallers > earlyShortCalls) {
      throw new RuleException(
          "distinct_callers ("
              + earlyDistinctCallers
              + ") cannot exceed hung_up_calls ("
              + earlyShortCalls
              + ")");
    }
    if (earlyWindow == null
        || earlyWindow.isNegative()
        || earlyWindow.isZero()
        || earlyWindow.compareTo(Duration.ofHours(1)) > 0) {
      throw new RuleException("the early window must be a positive duration of at most 1 h");
    }
    if (regrowthFactor <= 1.0) {
      throw new RuleException("regrowth_factor must be > 1, got " + regrowthFactor);
    }
    int largest =
        Math.max(
            Math.max(shortCallsPerDay, earlyShortCalls),
            Math.max(shortCallsPerHour, pairCallsPerHour));
    if (maxTrackedCalls < largest) {
      throw new RuleException(
          "max_tracked_calls ("
              + maxTrackedCalls
              + ") must be at least the largest threshold ("
              + largest
              + ")");
    }
    if (quietPeriod == null || quietPeriod.isNegative() || quietPeriod.isZero()) {
      throw new RuleException("quiet_period must be a positive duration");
    }
  }

  /**
   * 15 short calls in 1 h, 40 in 24 h, 10 from one caller in 1 h; early: 3 hung-up calls in 15 min
   * from 2 numbers with no tie to the victim.
   */
  public static CallFloodRule defaults() {
    return new CallFloodRule(
        VICTIM_RULE_ID,
        1,
        PAIR_RULE_ID,
        1,
        5,
        15,
        40,
        10,
        Duration.ofHours(6),
        2.0,
        500,
        20,
        EARLY_RULE_ID,
        1,
        3,
        Duration.ofMinutes(15),
        2);
  }
}

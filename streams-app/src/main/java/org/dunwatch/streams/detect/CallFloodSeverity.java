package org.dunwatch.streams.detect;

import java.util.Comparator;
import org.dunwatch.avro.alert.Severity;
import org.dunwatch.streams.rules.CallFloodRule;
import org.dunwatch.streams.state.FloodRuleKind;

/**
 * How bad a crossed CALL_FLOOD rule is, from how far past its threshold the count is.
 *
 * <ul>
 *   <li>1 h rules (victim {@code shortCallsPerHour}, pair {@code pairCallsPerHour}): MEDIUM at the
 *       threshold, HIGH at 2x, CRITICAL at 4x (15 / 30 / 60 short calls an hour to one victim with
 *       the defaults; 10 / 20 / 40 from one caller).
 *   <li>24 h rule ({@code shortCallsPerDay}): HIGH at the threshold, since a whole day of it is
 *       sustained harassment rather than a burst; CRITICAL at 2.5x (100 a day with the default 40,
 *       the "100+ calls a day" of the call-bombing reports).
 * </ul>
 *
 * <p>The early rule ({@code earlyShortCalls} in {@code earlyWindow}) is LOW: it flags the first
 * minutes of an attack, and the incident is re-issued when a 1 h or 24 h rule is crossed. An
 * incident's severity is the highest of its crossed rules.
 */
final class CallFloodSeverity {

  /**
   * Which crossed rule an alert reports: highest severity, then furthest past its threshold, then
   * the 24 h rule before the 1 h one before the pair rule (the broader picture first).
   */
  static Comparator<CallFloodWindow> strongestFirst(CallFloodRule rule) {
    Comparator<CallFloodWindow> bySeverity =
        Comparator.comparing((CallFloodWindow w) -> of(rule, w.kind(), w.count()));
    Comparator<CallFloodWindow> byScore =
        Comparator.comparingDouble(w -> score(rule, w.kind(), w.count()));
    Comparator<CallFloodWindow> byBreadth = Comparator.comparingInt(w -> breadth(w.kind()));
    return bySeverity.thenComparing(byScore).thenComparing(byBreadth).reversed();
  }

  private CallFloodSeverity() {}

  /** The severity of {@code count} under one rule, or null below its threshold. */
  static Severity of(CallFloodRule rule, FloodRuleKind kind, int count) {
    int threshold = threshold(rule, kind);
    if (kind == FloodRuleKind.VICTIM_EARLY) {
      // a signal minutes into an attack: the 1 h and 24 h rules escalate the same incident
      return count >= threshold ? Severity.LOW : null;
    }
    if (kind == FloodRuleKind.VICTIM_24H) {
      if (2L * count >= 5L * threshold) {
        return Severity.CRITICAL;
      }
      return count >= threshold ? Severity.HIGH : null;
    }
    if (count >= 4L * threshold) {
      return Severity.CRITICAL;
    }
    if (count >= 2L * threshold) {
      return Severity.HIGH;
    }
    return count >= threshold ? Severity.MEDIUM : null;
  }

  /**
   * Count over threshold: compares counts of different rules, so that an incident first alerted on
   * the 1 h rule and now measured on the 24 h one can still tell whether it has grown.
   */
  static double score(CallFloodRule rule, FloodRuleKind kind, int count) {
    return count / (double) threshold(rule, kind);
  }

  static int threshold(CallFloodRule rule, FloodRuleKind kind) {
    return switch (kind) {
      case VICTIM_1H -> rule.shortCallsPerHour();
      case VICTIM_24H -> rule.shortCallsPerDay();
      case PAIR_1H -> rule.pairCallsPerHour();
      case VICTIM_EARLY -> rule.earlyShortCalls();
    };
  }

  private static int breadth(FloodRuleKind kind) {
    return switch (kind) {
      case VICTIM_24H -> 2;
      case VICTIM_1H -> 1;
      case PAIR_1H -> 0;
      case VICTIM_EARLY -> -1;
    };
  }
}

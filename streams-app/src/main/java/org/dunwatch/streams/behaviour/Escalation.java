package org.dunwatch.streams.behaviour;

import org.dunwatch.avro.alert.Severity;

/**
 * The severity ladder the behavioural detectors share: MEDIUM at a threshold, HIGH at twice it,
 * CRITICAL at four times it, so that "how far past the rule" reads the same on every alert type.
 */
final class Escalation {

  private Escalation() {}

  /** The severity of {@code count} against {@code threshold}; null below it. */
  static Severity severity(long count, long threshold) {
    if (count >= 4L * threshold) {
      return Severity.CRITICAL;
    }
    if (count >= 2L * threshold) {
      return Severity.HIGH;
    }
    return count >= threshold ? Severity.MEDIUM : null;
  }

  /** The higher of two severities, either possibly null. */
  static Severity max(Severity a, Severity b) {
    if (a == null) {
      return b;
    }
    return b == null || a.compareTo(b) >= 0 ? a : b;
  }
}

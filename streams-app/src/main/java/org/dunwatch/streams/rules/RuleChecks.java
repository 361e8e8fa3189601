package org.dunwatch.streams.rules;

final class RuleChecks {
  private RuleChecks() {}

  static void positive(String name, long value) {
    if (value <= 0) {
      throw new RuleException(name + " must be > 0, got " + value);
    }
  }

  static void atLeast(String name, long value, long min) {
    if (value < min) {
      throw new RuleException(name + " must be >= " + min + ", got " + value);
    }
  }
}

package org.dunwatch.schemas;

import java.util.Map;
import java.util.Objects;

/** The names of dunwatch's topics; they come from configuration, these are the defaults. */
public record TopicNames(
    String calls,
    String sms,
    String lender,
    String alerts,
    String dlq,
    String rules,
    String blocklist,
    String scorecards) {

  public static final String DEFAULT_CALLS = "telecom.calls.v1";
  public static final String DEFAULT_SMS = "telecom.sms.v1";
  public static final String DEFAULT_LENDER = "lender.events.v1";
  public static final String DEFAULT_ALERTS = "dunwatch.alerts.v1";
  public static final String DEFAULT_DLQ = "dunwatch.dlq.v1";
  public static final String DEFAULT_RULES = "dunwatch.rules.v1";
  public static final String DEFAULT_BLOCKLIST = "dunwatch.blocklist.v1";
  public static final String DEFAULT_SCORECARDS = "dunwatch.scorecards.v1";

  public TopicNames {
    Objects.requireNonNull(calls, "calls");
    Objects.requireNonNull(sms, "sms");
    Objects.requireNonNull(lender, "lender");
    Objects.requireNonNull(alerts, "alerts");
    Objects.requireNonNull(dlq, "dlq");
    Objects.requireNonNull(rules, "rules");
    Objects.requireNonNull(blocklist, "blocklist");
    Objects.requireNonNull(scorecards, "scorecards");
  }

  public static TopicNames defaults() {
    return new TopicNames(
        DEFAULT_CALLS,
        DEFAULT_SMS,
        DEFAULT_LENDER,
        DEFAULT_ALERTS,
        DEFAULT_DLQ,
        DEFAULT_RULES,
        DEFAULT_BLOCKLIST,
        DEFAULT_SCORECARDS);
  }

  /**
   * Reads {@code topic.calls}, {@code topic.sms}, {@code topic.lender}, {@code topic.alerts},
   * {@code topic.dlq}, {@code topic.rules}, {@code topic.blocklist} and {@code topic.scorecards},
   * each falling back to its default.
   */
  public static TopicNames from(Map<String, String> config) {
    return new TopicNames(
        config.getOrDefault("topic.calls", DEFAULT_CALLS),
        config.getOrDefault("topic.sms", DEFAULT_SMS),
        config.getOrDefault("topic.lender", DEFAULT_LENDER),
        config.getOrDefault("topic.alerts", DEFAULT_ALERTS),
        config.getOrDefault("topic.dlq", DEFAULT_DLQ),
        config.getOrDefault("topic.rules", DEFAULT_RULES),
        config.getOrDefault("topic.blocklist", DEFAULT_BLOCKLIST),
        config.getOrDefault("topic.scorecards", DEFAULT_SCORECARDS));
  }

  /** Same names with a prefix, so that tests and benchmarks can share one broker. */
  public TopicNames withPrefix(String prefix) {
    return new TopicNames(
        prefix + calls,
        prefix + sms,
        prefix + lender,
        prefix + alerts,
        prefix + dlq,
        prefix + rules,
        prefix + blocklist,
        prefix + scorecards);
  }
}

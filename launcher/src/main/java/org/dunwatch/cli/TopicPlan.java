package org.dunwatch.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dunwatch.schemas.TopicNames;

/**
 * Every topic dunwatch reads or writes, with the partitions, replication and configs it expects on
 * a production cluster: what {@code dunwatch topics create} makes, and what the Strimzi {@code
 * KafkaTopic} resources in {@code deploy/kubernetes} declare (a test keeps the two alike).
 */
final class TopicPlan {

  static final int DEFAULT_PARTITIONS = 6;
  static final short DEFAULT_REPLICATION = 3;
  static final String INPUT_RETENTION_MS = String.valueOf(7L * 24 * 3600 * 1000);
  static final String OUTPUT_RETENTION_MS = String.valueOf(30L * 24 * 3600 * 1000);

  /** One topic as it should be. */
  record Spec(
      String name, String role, int partitions, short replication, Map<String, String> configs) {}

  private TopicPlan() {}

  /**
   * The plan. Inputs keep a week (a replay or restart within it re-reads them) and must keep the
   * producers' timestamps: those are the event times every detector windows on. Alerts and dead
   * letters keep 30 days for the people who act on them. All have the same partition count: the
   * inputs are joined by key, so they must be co-partitioned.
   */
  static List<Spec> of(TopicNames names, int partitions, short replication) {
    Map<String, String> common = new LinkedHashMap<>();
    common.put("cleanup.policy", "delete");
    common.put("min.insync.replicas", String.valueOf(Math.max(1, Math.min(2, replication - 1))));
    Map<String, String> input = new LinkedHashMap<>(common);
    input.put("retention.ms", INPUT_RETENTION_MS);
    input.put("message.timestamp.type", "CreateTime");
    Map<String, String> output = new LinkedHashMap<>(common);
    output.put("retention.ms", OUTPUT_RETENTION_MS);
    List<Spec> specs = new ArrayList<>();
    specs.add(new Spec(names.calls(), "input: call records", partitions, replication, input));
    specs.add(new Spec(names.sms(), "input: SMS records", partitions, replication, input));
    specs.add(new Spec(names.lender(), "input: lender events", partitions, replication, input));
    specs.add(new Spec(names.alerts(), "output: alerts", partitions, replication, output));
    specs.add(new Spec(names.dlq(), "output: dead letters", partitions, replication, output));
    return specs;
  }
}

package org.dunwatch.streams;

import java.util.Properties;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.schemas.Topics;
import org.dunwatch.streams.behaviour.BehaviourDetectors;
import org.dunwatch.streams.detect.CallFloodDetector;
import org.dunwatch.streams.feeds.BlocklistFeed;
import org.dunwatch.streams.feeds.BlocklistRule;
import org.dunwatch.streams.feeds.IncidentLog;
import org.dunwatch.streams.feeds.IncidentRule;
import org.dunwatch.streams.feeds.ScorecardFeed;
import org.dunwatch.streams.feeds.ScorecardRule;
import org.dunwatch.streams.lender.LenderReference;
import org.dunwatch.streams.lender.LenderReferenceRule;
import org.dunwatch.streams.policy.PolicyDetector;
import org.dunwatch.streams.policy.PolicyRule;
import org.dunwatch.streams.rules.Rules;

/**
 * The whole dunwatch topology: decoded inputs, every detector, alerts out. The service, {@code
 * dunwatch replay} and the tests all build it here, so they run the same thing.
 */
public final class DunwatchTopology {

  public static final String ALERTS_SINK = "alerts-sink";

  private DunwatchTopology() {}

  public static Topology build(Topics topics, Rules rules) {
    Properties props = new Properties();
    props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    // unused but required by TopologyConfig's validation of a bare property set
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dunwatch-topology");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));

    InputStreams in = InputStreams.from(builder, topics, rules.grace());
    KStream<String, Alert> alerts =
        CallFloodDetector.addTo(builder, in.calls(), rules.callFlood(), rules.grace());
    // one reference-data layer, shared: each addTo registers its stores and repartition topics
    LenderReference lenders =
        LenderReference.addTo(builder, in.lender(), LenderReferenceRule.from(rules));
    PolicyDetector.Outputs policy =
        PolicyDetector.addTo(builder, in.calls(), in.sms(), lenders, PolicyRule.from(rules));
    alerts =
        alerts
            .merge(policy.alerts(), Named.as("policy-alerts"))
            .merge(
                BehaviourDetectors.addTo(builder, in, rules, lenders), Named.as("behaviour-merge"));

    alerts.to(
        topics.alerts().name(),
        Produced.with(topics.alerts().keySerde(), topics.alerts().valueSerde())
            .withName(ALERTS_SINK));
    BlocklistFeed.addTo(
        builder, alerts, in.lender(), topics.blocklist(), BlocklistRule.from(rules));
    ScorecardFeed.addTo(
        builder, alerts, policy.judged(), topics.scorecards(), ScorecardRule.from(rules));
    IncidentLog.addTo(builder, alerts, IncidentRule.from(rules));
    return builder.build(props);
  }
}

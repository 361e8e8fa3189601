package org.dunwatch.streams.behaviour;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.avro.telecom.SmsRecord;
import org.dunwatch.registry.MockSchemaRegistry;
import org.dunwatch.registry.RegistryConfig;
import org.dunwatch.registry.SchemaRegistryClient;
import org.dunwatch.schemas.Keys;
import org.dunwatch.schemas.TopicNames;
import org.dunwatch.schemas.Topics;
import org.dunwatch.streams.InputStreams;
import org.dunwatch.streams.lender.LenderReference;
import org.dunwatch.streams.lender.LenderReferenceRule;
import org.dunwatch.streams.rules.Rules;
import org.dunwatch.streams.testdata.CallBuilder;
import org.dunwatch.streams.testdata.SmsBuilder;

/**
 * The behavioural detectors on a {@link TopologyTestDriver}, behind the real decoding and registry
 * serdes: records in on the input topics, alerts out on the alerts topic.
 */
final class BehaviourHarness implements AutoCloseable {

  static final Instant WALL_CLOCK = Instant.parse("2026-03-02T12:00:00Z");

  private final String scope = "behaviour-" + UUID.randomUUID();
  private final Topics topics =
      Topics.create(
          TopicNames.defaults(), SchemaRegistryClient.create(RegistryConfig.of("mock://" + scope)));
  private final TopologyTestDriver driver;
  private final TestInputTopic<String, SmsRecord> sms;
  private final TestInputTopic<String, CallRecord> calls;
  private final TestInputTopic<String, LenderEvent> lender;
  private final TestOutputTopic<String, Alert> alerts;

  BehaviourHarness(Rules rules, Path stateDir) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "behaviour-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
    InputStreams in = InputStreams.from(builder, topics, rules.grace());
    BehaviourDetectors.addTo(
            builder,
            in,
            rules,
            LenderReference.addTo(builder, in.lender(), LenderReferenceRule.from(rules)))
        .to(
            topics.alerts().name(),
            Produced.with(topics.alerts().keySerde(), topics.alerts().valueSerde())
                .withName("alerts-sink"));
    driver = new TopologyTestDriver(builder.build(props), props, WALL_CLOCK);
    sms =
        driver.createInputTopic(
            topics.sms().name(),
            topics.sms().keySerde().serializer(),
            topics.sms().valueSerde().serializer());
    calls =
        driver.createInputTopic(
            topics.calls().name(),
            topics.calls().keySerde().serializer(),
            topics.calls().valueSerde().serializer());
    lender =
        driver.createInputTopic(
            topics.lender().name(),
            topics.lender().keySerde().serializer(),
            topics.lender().valueSerde().serializer());
    alerts =
        driver.createOutputTopic(
            topics.alerts().name(),
            topics.alerts().keySerde().deserializer(),
            topics.alerts().valueSerde().deserializer());
  }

  BehaviourHarness sms(SmsBuilder... messages) {
    return sms(List.of(messages));
  }

  BehaviourHarness sms(List<SmsBuilder> messages) {
    for (SmsBuilder b : messages) {
      sms.pipeInput(new TestRecord<>(b.recipient(), b.build(), b.time()));
    }
    return this;
  }

  BehaviourHarness calls(List<CallBuilder> list) {
    for (CallBuilder b : list) {
      calls.pipeInput(new TestRecord<>(b.callee(), b.build(), b.time()));
    }
    return this;
  }

  BehaviourHarness lender(LenderEvent... events) {
    for (LenderEvent e : events) {
      lender.pipeInput(new TestRecord<>(Keys.of(e), e, e.getAt()));
    }
    return this;
  }

  /** Alerts written since the last call, in order. */
  List<Alert> alerts() {
    return alerts.readValuesToList();
  }

  <V> KeyValueStore<String, V> store(String name) {
    return driver.getKeyValueStore(name);
  }

  @Override
  public void close() {
    driver.close();
    MockSchemaRegistry.drop(scope);
  }
}

package org.dunwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.avro.telecom.SmsRecord;
import org.dunwatch.producers.sim.LabelMatcher;
import org.dunwatch.producers.sim.SimConfig;
import org.dunwatch.producers.sim.SimEvent;
import org.dunwatch.producers.sim.SimulatedWorld;
import org.dunwatch.registry.MockSchemaRegistry;
import org.dunwatch.registry.RegistryConfig;
import org.dunwatch.registry.SchemaRegistryClient;
import org.dunwatch.schemas.TopicNames;
import org.dunwatch.schemas.Topics;
import org.dunwatch.streams.DunwatchTopology;
import org.dunwatch.streams.rules.Rules;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Detection logic apart from timing: simulated worlds through the whole topology in {@code
 * TopologyTestDriver}, every record processed in event-time order before the next arrives. What is
 * missed here is a detector's fault; what is found here and missed by {@code EvalIT} on a real
 * broker is a matter of ordering across repartitions.
 */
class WorldTopologyTest {

  @TempDir Path state;

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void shouldFindEveryInjectedScenarioWithoutFalsePositivesWhenEventsArriveInOrder(long seed)
      throws Exception {
    String scope = "world-" + seed;
    Topics topics =
        Topics.create(
            TopicNames.defaults(),
            SchemaRegistryClient.create(RegistryConfig.of("mock://" + scope)));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "world-" + seed);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
    SimulatedWorld w =
        SimulatedWorld.generate(
            new SimConfig(
                seed, 300, 2, SimConfig.DEFAULT_START, 0.15, SimConfig.parseScenarios("all=3")));
    try (TopologyTestDriver driver =
        new TopologyTestDriver(DunwatchTopology.build(topics, Rules.defaults()), props)) {
      TestInputTopic<String, CallRecord> calls =
          driver.createInputTopic(
              topics.calls().name(),
              topics.calls().keySerde().serializer(),
              topics.calls().valueSerde().serializer());
      TestInputTopic<String, SmsRecord> sms =
          driver.createInputTopic(
              topics.sms().name(),
              topics.sms().keySerde().serializer(),
              topics.sms().valueSerde().serializer());
      TestInputTopic<String, LenderEvent> lender =
          driver.createInputTopic(
              topics.lender().name(),
              topics.lender().keySerde().serializer(),
              topics.lender().valueSerde().serializer());
      TestOutputTopic<String, Alert> alerts =
          driver.createOutputTopic(
              topics.alerts().name(),
              topics.alerts().keySerde().deserializer(),
              topics.alerts().valueSerde().deserializer());
      for (Iterator<SimEvent> it = w.events(); it.hasNext(); ) {
        SimEvent e = it.next();
        if (e.record() instanceof CallRecord c) {
          calls.pipeInput(new TestRecord<>(e.key(), c, e.time()));
        } else if (e.record() instanceof SmsRecord s) {
          sms.pipeInput(new TestRecord<>(e.key(), s, e.time()));
        } else {
          lender.pipeInput(new TestRecord<>(e.key(), (LenderEvent) e.record(), e.time()));
        }
      }
      EvalReport report = EvalReport.of(alerts.readValuesToList(), new LabelMatcher(w.labels()));
      assertEquals(
          List.of(),
          report.below(1.0),
          String.join("\n", report.table())
              + "\n"
              + report.falsePositives()
              + "\nmissed: "
              + report.matcherResult().scenarios().stream()
                  .filter(o -> !o.found())
                  .map(o -> o.label().id() + " " + o.label().description())
                  .toList());
    } finally {
      MockSchemaRegistry.drop(scope);
    }
  }
}

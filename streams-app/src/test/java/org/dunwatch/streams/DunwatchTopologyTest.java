package org.dunwatch.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.alert.AlertType;
import org.dunwatch.avro.common.Party;
import org.dunwatch.avro.common.PartyKind;
import org.dunwatch.avro.dlq.DeadLetter;
import org.dunwatch.avro.telecom.CallOutcome;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.registry.MockSchemaRegistry;
import org.dunwatch.registry.RegistryConfig;
import org.dunwatch.registry.SchemaRegistryClient;
import org.dunwatch.schemas.TopicNames;
import org.dunwatch.schemas.Topics;
import org.dunwatch.streams.rules.Rules;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The assembled topology, as the service runs it, with the registry wire format on every topic. */
class DunwatchTopologyTest {

  @TempDir Path stateDir;

  private static final String SCOPE = "topology-test";
  private static final Instant T0 = Instant.parse("2024-07-26T01:00:00Z");
  private static final String VICTIM = "+8618812345678";

  private TopologyTestDriver driver;
  private Topics topics;

  @BeforeEach
  void setUp() {
    topics =
        Topics.create(
            TopicNames.defaults(),
            SchemaRegistryClient.create(RegistryConfig.of("mock://" + SCOPE)));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    // a directory of its own: builds of two checkouts at once must not share RocksDB files
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    driver = new TopologyTestDriver(DunwatchTopology.build(topics, Rules.defaults()), props);
  }

  @AfterEach
  void tearDown() {
    driver.close();
    MockSchemaRegistry.drop(SCOPE);
  }

  @Test
  void shouldAlertOnCallBombingAndDeadLetterGarbageInTheSameRun() {
    TestInputTopic<String, CallRecord> calls =
        driver.createInputTopic(
            topics.calls().name(),
            topics.calls().keySerde().serializer(),
            topics.calls().valueSerde().serializer());
    TestInputTopic<byte[], byte[]> raw =
        driver.createInputTopic(
            topics.calls().name(), new ByteArraySerializer(), new ByteArraySerializer());
    TestOutputTopic<String, Alert> alerts =
        driver.createOutputTopic(
            topics.alerts().name(),
            topics.alerts().keySerde().deserializer(),
            topics.alerts().valueSerde().deserializer());
    TestOutputTopic<byte[], DeadLetter> dlq =
        driver.createOutputTopic(
            topics.dlq().name(),
            Serdes.ByteArray().deserializer(),
            topics.dlq().valueSerde().deserializer());

    for (int i = 0; i < 15; i++) {
      if (i == 7) {
        raw.pipeInput(VICTIM.getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0}, T0);
      }
      CallRecord c = call("c-" + i, "+861700000000" + (i % 5), T0.plusSeconds(210L * i));
      calls.pipeInput(VICTIM, c, c.getStartTime());
    }

    List<Alert> out = alerts.readValuesToList();
    // the early signal on the third call, then the same incident on the 1 h rule at the 15th
    assertEquals(
        List.of("flood.calls.early", "flood.calls.victim"),
        out.stream().map(Alert::getRuleId).toList());
    assertEquals(out.get(0).getAlertId(), out.get(1).getAlertId());
    Alert a = out.get(1);
    assertEquals(AlertType.CALL_FLOOD, a.getType());
    assertEquals(VICTIM, a.getVictim());
    assertEquals(15.0, a.getMetrics().get("calls"));
    assertEquals(5.0, a.getMetrics().get("distinct_callers"));
    assertEquals("CN", a.getJurisdiction());
    DeadLetter dead = dlq.readValue();
    assertEquals("deserialize", dead.getStage());
    assertEquals(7L, dead.getOriginOffset());
    assertTrue(dlq.isEmpty());
  }

  static CallRecord call(String id, String caller, Instant at) {
    return CallRecord.newBuilder()
        .setCallId(id)
        .setCarrier("CM")
        .setCaller(new Party(caller, PartyKind.E164, "CN", "Asia/Shanghai"))
        .setCallee(new Party(VICTIM, PartyKind.E164, "CN", "Asia/Shanghai"))
        .setStartTime(at)
        .setRingSeconds(3)
        .setTalkSeconds(0)
        .setOutcome(CallOutcome.CALLER_HANGUP)
        .build();
  }
}

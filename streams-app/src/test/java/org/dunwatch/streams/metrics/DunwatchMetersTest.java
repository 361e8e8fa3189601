package org.dunwatch.streams.metrics;

import static org.dunwatch.streams.testdata.CallBuilder.T0;
import static org.dunwatch.streams.testdata.CallBuilder.VICTIM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.registry.MockSchemaRegistry;
import org.dunwatch.registry.RegistryConfig;
import org.dunwatch.registry.SchemaRegistryClient;
import org.dunwatch.schemas.TopicNames;
import org.dunwatch.schemas.Topics;
import org.dunwatch.streams.DunwatchTopology;
import org.dunwatch.streams.rules.Rules;
import org.dunwatch.streams.testdata.CallBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The meters the assembled topology records into, read back from a registry. */
class DunwatchMetersTest {

  private static final String SCOPE = "meters-test";

  @TempDir Path stateDir;

  private final MeterRegistry registry = new SimpleMeterRegistry();

  /** The wall clock the meters see: one hour after the flood's first call. */
  private final long now = T0.plus(Duration.ofHours(1)).toEpochMilli();

  private TopologyTestDriver driver;
  private Topics topics;

  @BeforeEach
  void setUp() {
    topics =
        Topics.create(
            TopicNames.defaults(),
            SchemaRegistryClient.create(RegistryConfig.of("mock://" + SCOPE)));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "meters-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(DunwatchMeters.CONFIG, new DunwatchMeters(registry, () -> now));
    driver = new TopologyTestDriver(DunwatchTopology.build(topics, Rules.defaults()), props);
  }

  @AfterEach
  void tearDown() {
    driver.close();
    MockSchemaRegistry.drop(SCOPE);
  }

  @Test
  void shouldCountRecordsAlertsIncidentsDeadLettersAndLateRecordsAsTheyPass() {
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

    List<CallBuilder> flood = CallBuilder.floodEvery3To4Minutes(T0, 15, 5);
    for (CallBuilder c : flood) {
      calls.pipeInput(VICTIM, c.build(), c.time());
    }
    raw.pipeInput(VICTIM.getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0}, T0);
    CallRecord late =
        CallBuilder.call("+8617000000099", VICTIM).at(T0.minus(Duration.ofDays(1))).build();
    calls.pipeInput(VICTIM, late, late.getStartTime());

    List<Alert> out = alerts.readValuesToList();
    // the early signal (flood.calls.early), then the hour's threshold: one incident, two alerts
    assertEquals(2, out.size(), "two call-flood alerts");
    assertEquals(1, out.stream().map(Alert::getAlertId).distinct().count(), "one incident");
    String callsTopic = topics.calls().name();
    assertEquals(
        17.0, registry.get(DunwatchMeters.RECORDS_IN).tag("topic", callsTopic).counter().count());
    for (Alert alert : out) {
      assertEquals(
          out.stream().filter(a -> a.getSeverity() == alert.getSeverity()).count(),
          registry
              .get(DunwatchMeters.ALERTS)
              .tags(
                  "type",
                  "CALL_FLOOD",
                  "severity",
                  alert.getSeverity().name(),
                  "jurisdiction",
                  "CN")
              .counter()
              .count());
    }
    assertEquals(
        1.0,
        registry.get(DunwatchMeters.INCIDENTS_OPENED).tag("type", "CALL_FLOOD").counter().count());
    assertEquals(
        1.0,
        registry
            .get(DunwatchMeters.DEAD_LETTERS)
            .tags("stage", "deserialize", "topic", callsTopic)
            .counter()
            .count());
    assertEquals(
        1.0,
        registry
            .get(DunwatchMeters.DEAD_LETTERS)
            .tags("stage", "late", "topic", callsTopic)
            .counter()
            .count());
    assertEquals(
        1.0, registry.get(DunwatchMeters.LATE_RECORDS).tag("topic", callsTopic).counter().count());
    assertEquals(
        0.0,
        registry
            .get(DunwatchMeters.RECORDS_IN)
            .tag("topic", topics.sms().name())
            .counter()
            .count());

    Timer latency = registry.get(DunwatchMeters.ALERT_LATENCY).tag("type", "CALL_FLOOD").timer();
    assertEquals(out.size(), latency.count());
    assertEquals(
        out.stream().mapToLong(a -> now - a.getTriggeredAt().toEpochMilli()).sum(),
        (long) latency.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS));

    // stream time is the flood's last call; the clock is an hour after its first
    long lastCall = flood.get(flood.size() - 1).time().toEpochMilli();
    assertNotNull(registry.find(DunwatchMeters.EVENT_TIME_LAG).tag("topic", callsTopic).gauge());
    assertEquals(
        (now - lastCall) / 1000.0,
        registry.get(DunwatchMeters.EVENT_TIME_LAG).tag("topic", callsTopic).gauge().value());
  }
}

package org.dunwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.dlq.DeadLetter;
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
import org.dunwatch.schemas.AlertJson;
import org.dunwatch.schemas.TopicNames;
import org.dunwatch.schemas.Topics;
import org.dunwatch.streams.DunwatchTopology;
import org.dunwatch.streams.TimeBounds;
import org.dunwatch.streams.rules.Rules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stream time cannot be poisoned: a simulated world with a handful of calls dated far ahead (a
 * mistyped month or year, a broken clock) detects exactly what the clean world detects, and a world
 * whose records arrive out of order within the grace period loses none of them.
 */
class StreamTimeOutlierTest {

  @TempDir static Path state;

  private static Run clean;

  /** The world in event-time order, run once for both tests. */
  private static Run clean() {
    if (clean == null) {
      clean = run("clean", inOrder(world()));
    }
    return clean;
  }

  record Run(List<Alert> alerts, List<DeadLetter> deadLetters) {

    /** The alerts as JSON lines without detected_at, the wall clock of the run. */
    List<String> comparable() {
      return alerts.stream()
          .map(a -> AlertJson.toJson(a).replaceAll("\"detected_at\":\"[^\"]*\"", ""))
          .toList();
    }
  }

  record Timed(SimEvent event, Instant time) {}

  private static SimulatedWorld world() {
    return SimulatedWorld.generate(
        new SimConfig(1, 100, 2, SimConfig.DEFAULT_START, 0.15, SimConfig.parseScenarios("all")));
  }

  private static List<Timed> inOrder(SimulatedWorld w) {
    List<Timed> out = new ArrayList<>();
    for (Iterator<SimEvent> it = w.events(); it.hasNext(); ) {
      SimEvent e = it.next();
      out.add(new Timed(e, e.time()));
    }
    return out;
  }

  /** Pipes the records as they are listed, each stamped with its listed time. */
  private static Run run(String scope, List<Timed> records) {
    Topics topics =
        Topics.create(
            TopicNames.defaults(),
            SchemaRegistryClient.create(RegistryConfig.of("mock://" + scope)));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, scope);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, state.resolve(scope).toString());
    try (TopologyTestDriver driver =
        new TopologyTestDriver(
            DunwatchTopology.build(topics, Rules.defaults(), TimeBounds.DEFAULT), props)) {
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
      TestOutputTopic<byte[], DeadLetter> dlq =
          driver.createOutputTopic(
              topics.dlq().name(),
              topics.dlq().keySerde().deserializer(),
              topics.dlq().valueSerde().deserializer());
      for (Timed t : records) {
        SimEvent e = t.event();
        if (e.record() instanceof CallRecord c) {
          calls.pipeInput(new TestRecord<>(e.key(), c, t.time()));
        } else if (e.record() instanceof SmsRecord s) {
          sms.pipeInput(new TestRecord<>(e.key(), s, t.time()));
        } else {
          lender.pipeInput(new TestRecord<>(e.key(), (LenderEvent) e.record(), t.time()));
        }
      }
      return new Run(alerts.readValuesToList(), dlq.readValuesToList());
    } finally {
      MockSchemaRegistry.drop(scope);
    }
  }

  /** A copy of a call of the world, with its own id, dated {@code ahead} after the original. */
  private static Timed outlier(Timed call, String id, Duration ahead) {
    CallRecord c = (CallRecord) call.event().record();
    Instant at = c.getStartTime().plus(ahead);
    CallRecord copy = CallRecord.newBuilder(c).setCallId(id).setStartTime(at).build();
    return new Timed(new SimEvent(copy), at);
  }

  @Test
  void shouldDetectExactlyWhatTheCleanWorldDetectsWhenAHandfulOfCallsAreDatedFarAhead() {
    SimulatedWorld w = world();
    List<Timed> ordered = inOrder(w);
    List<Timed> withOutliers = new ArrayList<>(ordered);
    List<Duration> aheads =
        List.of(
            Duration.ofDays(61), // a month mistyped
            Duration.ofDays(365), // a year mistyped
            Duration.ofDays(365 * 80), // beyond the wall clock
            Duration.ofDays(153),
            Duration.ofDays(92));
    int outliers = 0;
    for (int i = 0; i < aheads.size(); i++) {
      int at = ordered.size() * (i + 1) / (aheads.size() + 1);
      while (!(withOutliers.get(at).event().record() instanceof CallRecord)) {
        at++;
      }
      withOutliers.add(at + 1, outlier(withOutliers.get(at), "outlier-" + i, aheads.get(i)));
      outliers++;
    }

    Run expected = clean();
    Run got = run("outliers-dirty", withOutliers);

    assertTrue(expected.alerts().size() > 5, "the world raises alerts: " + expected.alerts());
    assertEquals(expected.comparable(), got.comparable());
    assertEquals(List.of(), expected.deadLetters());
    assertEquals(outliers, got.deadLetters().size(), got.deadLetters().toString());
    assertTrue(got.deadLetters().stream().allMatch(d -> "timestamp".equals(d.getStage())));
  }

  @Test
  void shouldLoseNothingWhenRecordsArriveOutOfOrderWithinTheGracePeriod() {
    SimulatedWorld w = world();
    List<Timed> ordered = inOrder(w);
    // Every record arrives up to 40 minutes late (grace: an hour), in a shuffled order.
    Random random = new Random(17);
    Duration grace = Rules.defaults().grace();
    long maxDelay = grace.toMillis() * 2 / 3;
    List<Timed> shuffled =
        ordered.stream()
            .map(
                t ->
                    new Object[] {
                      t, t.time().toEpochMilli() + (long) (random.nextDouble() * maxDelay)
                    })
            .sorted(Comparator.comparingLong(a -> (Long) a[1]))
            .map(a -> (Timed) a[0])
            .toList();
    assertTrue(!shuffled.equals(ordered), "the order changed");

    Run expected = clean();
    Run got = run("ooo-shuffled", shuffled);

    assertEquals(List.of(), got.deadLetters(), "nothing late, nothing implausible");
    EvalReport report = EvalReport.of(alertValues(got), new LabelMatcher(w.labels()));
    EvalReport cleanReport = EvalReport.of(alertValues(expected), new LabelMatcher(w.labels()));
    assertEquals(
        cleanReport.matcherResult().scenarios().stream().filter(o -> o.found()).count(),
        report.matcherResult().scenarios().stream().filter(o -> o.found()).count(),
        String.join("\n", report.table()));
  }

  private static List<Alert> alertValues(Run run) {
    return run.alerts();
  }
}

package org.dunwatch.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.test.TestRecord;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What happens to input records before any detector sees them. */
class InputStreamsTest {

  @TempDir Path stateDir;

  private static final String SCOPE = "input-streams-test";
  private static final Instant T0 = Instant.parse("2024-07-26T01:00:00Z");
  private static final String VICTIM = "+8618812345678";

  private TopologyTestDriver driver;
  private Topics topics;
  private TestInputTopic<byte[], byte[]> raw;
  private TestOutputTopic<String, CallRecord> decoded;
  private TestOutputTopic<byte[], DeadLetter> dlq;

  @BeforeEach
  void setUp() {
    topics =
        Topics.create(
            TopicNames.defaults(),
            SchemaRegistryClient.create(RegistryConfig.of("mock://" + SCOPE)));
    StreamsBuilder builder = new StreamsBuilder();
    InputStreams.from(builder, topics, Duration.ofHours(1))
        .calls()
        .to("decoded", Produced.with(Serdes.String(), topics.calls().valueSerde()).withName("out"));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "input-streams-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    // a directory of its own: builds of two checkouts at once must not share RocksDB files
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(builder.build(), props);
    raw =
        driver.createInputTopic(
            topics.calls().name(), new ByteArraySerializer(), new ByteArraySerializer());
    decoded =
        driver.createOutputTopic(
            "decoded", Serdes.String().deserializer(), topics.calls().valueSerde().deserializer());
    dlq =
        driver.createOutputTopic(
            topics.dlq().name(),
            Serdes.ByteArray().deserializer(),
            topics.dlq().valueSerde().deserializer());
  }

  @AfterEach
  void tearDown() {
    driver.close();
    MockSchemaRegistry.drop(SCOPE);
  }

  private void send(String key, CallRecord call) {
    byte[] value = topics.calls().valueSerde().serializer().serialize(topics.calls().name(), call);
    raw.pipeInput(
        new TestRecord<>(
            key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, call.getStartTime()));
  }

  static CallRecord call(String id, Instant at) {
    return CallRecord.newBuilder()
        .setCallId(id)
        .setCarrier("CM")
        .setCaller(new Party("+8617000000001", PartyKind.E164, "CN", "Asia/Shanghai"))
        .setCallee(new Party(VICTIM, PartyKind.E164, "CN", "Asia/Shanghai"))
        .setStartTime(at)
        .setRingSeconds(8)
        .setTalkSeconds(0)
        .setOutcome(CallOutcome.NO_ANSWER)
        .build();
  }

  @Test
  void shouldPassGoodRecordsOnKeyedByCalleeWithEventTime() {
    send(VICTIM, call("c-1", T0));

    TestRecord<String, CallRecord> out = decoded.readRecord();
    assertEquals(VICTIM, out.key());
    assertEquals("c-1", out.value().getCallId());
    assertEquals(T0, out.getRecordTime());
    assertTrue(dlq.isEmpty());
  }

  @Test
  void shouldSendUndecodableBytesToTheDeadLetterTopicWithOriginAndReason() {
    raw.pipeInput(
        VICTIM.getBytes(StandardCharsets.UTF_8),
        "garbage, not avro".getBytes(StandardCharsets.UTF_8),
        T0);
    send(VICTIM, call("c-2", T0));

    TestRecord<byte[], DeadLetter> dead = dlq.readRecord();
    DeadLetter letter = dead.value();
    assertEquals(topics.calls().name(), letter.getOriginTopic());
    assertEquals(0, letter.getOriginPartition());
    assertEquals(0L, letter.getOriginOffset());
    assertEquals("deserialize", letter.getStage());
    assertTrue(letter.getError().contains("magic byte"), letter.getError());
    assertEquals("garbage, not avro", StandardCharsets.UTF_8.decode(letter.getValue()).toString());
    assertEquals(VICTIM, new String(dead.key(), StandardCharsets.UTF_8));
    // processing goes on after the bad record
    assertEquals("c-2", decoded.readValue().getCallId());
  }

  @Test
  void shouldRefuseRecordsNotKeyedByCallee() {
    send("+8617000000001", call("c-3", T0));
    send(null, call("c-4", T0));

    List<DeadLetter> letters = dlq.readValuesToList();
    assertEquals(2, letters.size());
    assertEquals("key", letters.get(0).getStage());
    assertTrue(letters.get(0).getError().contains("callee id"));
    assertEquals(1L, letters.get(1).getOriginOffset());
    assertNull(letters.get(1).getKey());
    assertTrue(decoded.isEmpty());
  }

  @Test
  void shouldAcceptOutOfOrderRecordsWithinGraceAndDeadLetterLaterOnes() {
    send(VICTIM, call("c-5", T0.plus(Duration.ofHours(3))));
    send(VICTIM, call("c-6", T0.plus(Duration.ofHours(2)).plusSeconds(1))); // 59m59s late
    send(VICTIM, call("c-7", T0.plus(Duration.ofMinutes(30)))); // 2.5 h late

    assertEquals(
        List.of("c-5", "c-6"),
        decoded.readValuesToList().stream().map(CallRecord::getCallId).toList());
    DeadLetter late = dlq.readValue();
    assertEquals("late", late.getStage());
    assertEquals(2L, late.getOriginOffset());
    assertTrue(late.getError().contains("past the grace period of PT1H"), late.getError());
    assertEquals(1.0, metric("late-records-total"));
    assertEquals(1.0, metric("dead-letters-total"));
  }

  @Test
  void shouldJudgeLatenessAgainstTheEventTimeKeptInItsStoreAfterARestart() {
    KeyValueStore<Integer, Long> times =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("calls" + DecodeProcessor.TIME_STORE_SUFFIX),
                Serdes.Integer(),
                Serdes.Long())
            .withLoggingDisabled()
            .build();
    MockProcessorContext<String, Decoded<CallRecord>> before = decoderContext(times);
    decoder(before).process(raw(call("c-5", T0.plus(Duration.ofHours(3)))));
    // a new processor on the same store, as after a restart or a task move restored it
    MockProcessorContext<String, Decoded<CallRecord>> after = decoderContext(times);
    decoder(after).process(raw(call("c-7", T0.plus(Duration.ofMinutes(30)))));

    assertEquals(1, after.forwarded().size());
    Decoded<CallRecord> d = after.forwarded().get(0).record().value();
    assertTrue(d.isDead(), "2.5 h behind the partition's time before the restart");
    assertEquals("late", d.dead().getStage());
  }

  private MockProcessorContext<String, Decoded<CallRecord>> decoderContext(
      KeyValueStore<Integer, Long> times) {
    MockProcessorContext<String, Decoded<CallRecord>> context = new MockProcessorContext<>();
    if (!times.isOpen()) {
      times.init(context.getStateStoreContext(), times);
    }
    context.addStateStore(times);
    KeyValueStore<String, byte[]> seen =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(InputStreams.CALLS_DEDUP_STORE),
                Serdes.String(),
                Serdes.ByteArray())
            .withLoggingDisabled()
            .build();
    seen.init(context.getStateStoreContext(), seen);
    context.addStateStore(seen);
    context.setRecordMetadata(topics.calls().name(), 2, 0);
    context.setCurrentSystemTimeMs(T0.toEpochMilli());
    return context;
  }

  private DecodeProcessor<CallRecord> decoder(
      MockProcessorContext<String, Decoded<CallRecord>> context) {
    DecodeProcessor<CallRecord> p =
        new DecodeProcessor<>(
            topics.calls().name(),
            topics.calls().valueSerde().deserializer(),
            c -> c.getCallee().getId(),
            CallRecord::getStartTime,
            "callee",
            Duration.ofHours(1),
            TimeBounds.DEFAULT,
            true,
            "calls" + DecodeProcessor.TIME_STORE_SUFFIX,
            CallRecord::getCallId,
            InputStreams.CALLS_DEDUP_STORE,
            InputStreams.DEDUP_WINDOW);
    p.init(context);
    return p;
  }

  private org.apache.kafka.streams.processor.api.Record<byte[], byte[]> raw(CallRecord call) {
    return new org.apache.kafka.streams.processor.api.Record<>(
        VICTIM.getBytes(StandardCharsets.UTF_8),
        topics.calls().valueSerde().serializer().serialize(topics.calls().name(), call),
        call.getStartTime().toEpochMilli());
  }

  @Test
  void shouldProcessARepeatedCallOnceAndDeadLetterARepeatWithOtherContent() {
    send(VICTIM, call("c-1", T0));
    send(VICTIM, call("c-1", T0)); // the feed's retry
    send(VICTIM, call("c-2", T0.plusSeconds(60)));
    CallRecord changed = CallRecord.newBuilder(call("c-1", T0)).setRingSeconds(40).build();
    send(VICTIM, changed);

    assertEquals(
        List.of("c-1", "c-2"),
        decoded.readValuesToList().stream().map(CallRecord::getCallId).toList());
    DeadLetter dup = dlq.readValue();
    assertEquals("duplicate", dup.getStage());
    assertEquals(3L, dup.getOriginOffset());
    assertTrue(dup.getError().contains("different content"), dup.getError());
    assertTrue(dlq.isEmpty());
    assertEquals(1.0, metric("duplicate-records-total"));
  }

  @Test
  void shouldForgetAnEventIdAfterTheDedupWindowOfStreamTime() {
    send(VICTIM, call("c-1", T0));
    send(VICTIM, call("c-2", T0.plus(InputStreams.DEDUP_WINDOW).plus(Duration.ofHours(1))));
    send(VICTIM, call("c-1", T0.plus(InputStreams.DEDUP_WINDOW).plus(Duration.ofHours(1))));

    assertEquals(
        List.of("c-1", "c-2", "c-1"),
        decoded.readValuesToList().stream().map(CallRecord::getCallId).toList());
  }

  @Test
  void shouldDeadLetterACallDatedFarAheadOfStreamTimeWithoutMovingIt() {
    send(VICTIM, call("c-1", T0));
    send(VICTIM, call("typo", T0.plus(Duration.ofDays(365))));
    send(VICTIM, call("c-2", T0.plus(Duration.ofMinutes(5))));

    assertEquals(
        List.of("c-1", "c-2"),
        decoded.readValuesToList().stream().map(CallRecord::getCallId).toList());
    DeadLetter letter = dlq.readValue();
    assertEquals("timestamp", letter.getStage());
    assertTrue(letter.getError().contains("ahead of stream time"), letter.getError());
  }

  @Test
  void shouldDecodeOrDeadLetterEveryRecordOfRandomAndCorruptedBytesAndCountThemAll() {
    java.util.Random r = new java.util.Random(17);
    int sent = 0;
    for (int i = 0; i < 3000; i++) {
      CallRecord c = call("f" + i, T0.plusSeconds(i));
      byte[] value = topics.calls().valueSerde().serializer().serialize(topics.calls().name(), c);
      int kind = r.nextInt(4);
      if (kind == 1) {
        value[r.nextInt(value.length)] = (byte) r.nextInt(256);
      } else if (kind == 2) {
        value = new byte[r.nextInt(200)];
        r.nextBytes(value);
      } else if (kind == 3) {
        value = java.util.Arrays.copyOf(value, r.nextInt(value.length));
      }
      byte[] key = r.nextInt(10) == 0 ? null : VICTIM.getBytes(StandardCharsets.UTF_8);
      raw.pipeInput(new TestRecord<>(key, value, c.getStartTime()));
      sent++;
    }

    int passed = decoded.readValuesToList().size();
    List<DeadLetter> letters = dlq.readValuesToList();
    assertTrue(letters.stream().allMatch(d -> d.getStage() != null && !d.getError().isBlank()));
    // a flipped byte in a start time can date a record weeks ahead, within the stream-time
    // bound, and make later good records late: those are dead letters too, counted below
    assertTrue(passed > 0, "good records went on: " + passed);
    assertTrue(letters.size() > 1000, "bad ones were dead-lettered: " + letters.size());
    assertEquals(sent, passed + letters.size() + (int) metric("duplicate-records-total"));
  }

  private double metric(String name) {
    return driver.metrics().entrySet().stream()
        .filter(e -> e.getKey().name().equals(name))
        .filter(e -> topics.calls().name().equals(e.getKey().tags().get("dunwatch-id")))
        .map(java.util.Map.Entry::getValue)
        .map(Metric::metricValue)
        .mapToDouble(v -> ((Number) v).doubleValue())
        .sum();
  }
}

package org.dunwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.dunwatch.avro.common.PartyKind;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.avro.telecom.SmsRecord;
import org.dunwatch.deploy.ApicurioRegistry;
import org.dunwatch.deploy.KafkaBroker;
import org.dunwatch.producers.calls.CallCsvParser;
import org.dunwatch.producers.lender.LenderJsonlParser;
import org.dunwatch.producers.privacy.Pseudonymizer;
import org.dunwatch.producers.sms.SmsCsvParser;
import org.dunwatch.schemas.Keys;
import org.dunwatch.schemas.Topic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dunwatch produce} against a real broker and a real Apicurio Registry: every file of the
 * contract goes out and comes back intact, pseudonymised and keyed as the contract says.
 */
class ProduceIT {

  static final Path SAMPLES = ProduceCommandTest.SAMPLES;
  static final String KEY = "produce-it-key-0123456789abcdef";
  static final Pseudonymizer PSEUDONYMS = Pseudonymizer.ofKey(KEY.getBytes(StandardCharsets.UTF_8));

  private static KafkaBroker kafka;
  private static ApicurioRegistry registry;

  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    registry = ApicurioRegistry.builder().start();
    kafka = KafkaBroker.builder().start();
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  /** A properties file giving this test its own topics, so tests never see each other's data. */
  private Path ownTopics() throws IOException {
    return ownTopics(tmp);
  }

  static Path ownTopics(Path tmp) throws IOException {
    String run = UUID.randomUUID().toString().substring(0, 8);
    return Files.writeString(
        tmp.resolve("dunwatch.properties"),
        String.join(
            "\n",
            "topic.calls=it-calls-" + run,
            "topic.sms=it-sms-" + run,
            "topic.lender=it-lender-" + run,
            "topic.alerts=it-alerts-" + run,
            "topic.dlq=it-dlq-" + run,
            ""));
  }

  private Cli.Run produce(Path config, String kind, Path file, String... more) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "produce",
                kind,
                "--file",
                file.toString(),
                "--default-region",
                "CN",
                "--pseudonym-key-file",
                Files.writeString(tmp.resolve("key"), KEY).toString(),
                "--config",
                config.toString(),
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--schema-registry-url",
                registry.ccompatUrl()));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  private Path sample(String name) throws IOException {
    return Files.copy(SAMPLES.resolve(name), tmp.resolve(name));
  }

  record Read<V>(String key, V value, long timestamp) {}

  /** Everything on the topic, through the registry's deserializer. */
  private static <V> List<Read<V>> readAll(Path config, Function<Cluster, Topic<String, V>> pick)
      throws Exception {
    Settings settings =
        Settings.resolve(
            Map.of(),
            config,
            Map.of(),
            Map.of(
                Settings.BOOTSTRAP, kafka.bootstrapServers(),
                Settings.REGISTRY, registry.ccompatUrl()));
    List<Read<V>> out = new ArrayList<>();
    try (Cluster c = Cluster.open(settings, m -> {});
        Admin admin = c.admin()) {
      Topic<String, V> topic = pick.apply(c);
      Map<TopicPartition, Long> end = StreamsRunner.endOffsets(admin, List.of(topic.name()));
      TopicReader.readRange(
          c, topic, Map.of(), end, (r, v) -> out.add(new Read<>(r.key(), v, r.timestamp())));
    }
    return out;
  }

  /** What the parsers make of the file, pseudonymised with the same key: what must come back. */
  private static <V> List<V> expected(Path file, ParseInto<V> parser) throws IOException {
    List<V> out = new ArrayList<>();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      parser.parse(in, file.getFileName().toString(), out);
    }
    return out;
  }

  interface ParseInto<V> {
    void parse(Reader in, String name, List<V> out) throws IOException;
  }

  private static <V> void assertSameRecords(
      List<V> expected,
      List<Read<V>> read,
      Function<V, String> key,
      Function<V, Instant> time,
      Function<V, String> id) {
    assertEquals(expected.size(), read.size());
    for (Read<V> r : read) {
      assertEquals(key.apply(r.value()), r.key(), "keyed as the contract says");
      assertEquals(time.apply(r.value()).toEpochMilli(), r.timestamp(), "timestamp is event time");
    }
    Comparator<V> byId = Comparator.comparing(id);
    List<V> want = expected.stream().sorted(byId).toList();
    List<V> got = read.stream().map(Read::value).sorted(byId).toList();
    assertEquals(want, got);
  }

  @Test
  void shouldProduceEveryContractFileAndReadItBackIntactPseudonymisedAndKeyed() throws Exception {
    Path config = ownTopics();
    Path calls = sample("calls.csv");
    Path sms = sample("sms.csv");
    Path lender = sample("lender.jsonl");

    Cli.Run producedCalls = produce(config, "calls", calls);
    Cli.Run producedSms = produce(config, "sms", sms);
    Cli.Run producedLender = produce(config, "lender", lender);

    assertEquals(0, producedCalls.exit(), producedCalls.err());
    assertEquals(0, producedSms.exit(), producedSms.err());
    assertEquals(0, producedLender.exit(), producedLender.err());
    assertTrue(
        producedCalls.out().contains("produced 4 records to it-calls-"), producedCalls.out());
    assertTrue(producedCalls.out().contains("calls.csv: 4 records, 6 rejected lines"));
    assertTrue(producedSms.out().contains("sms.csv: 3 records, 2 rejected lines"));
    assertTrue(producedLender.out().contains("lender.jsonl: 7 records, 3 rejected lines"));

    CallCsvParser callParser = new CallCsvParser("CN");
    List<CallRecord> wantCalls =
        expected(
            calls,
            (in, name, out) ->
                callParser.parse(in, name, r -> out.add(PSEUDONYMS.apply(r)), e -> {}));
    List<Read<CallRecord>> gotCalls = readAll(config, c -> c.topics().calls());
    assertSameRecords(wantCalls, gotCalls, Keys::of, Keys::eventTime, CallRecord::getCallId);
    assertTrue(gotCalls.stream().allMatch(r -> r.key().startsWith("pn_")));
    assertEquals(PartyKind.PSEUDONYM, gotCalls.get(0).value().getCallee().getKind(), "never E.164");

    SmsCsvParser smsParser = new SmsCsvParser("CN");
    List<SmsRecord> wantSms =
        expected(
            sms,
            (in, name, out) ->
                smsParser.parse(in, name, r -> out.add(PSEUDONYMS.apply(r)), e -> {}));
    List<Read<SmsRecord>> gotSms = readAll(config, c -> c.topics().sms());
    assertSameRecords(wantSms, gotSms, Keys::of, Keys::eventTime, SmsRecord::getMessageId);
    assertTrue(
        gotSms.stream().anyMatch(r -> "【淘宝】验证码 482913，5分钟内有效。".equals(r.value().getBody())),
        "Chinese bodies survive the trip");

    LenderJsonlParser lenderParser = new LenderJsonlParser("CN");
    List<LenderEvent> wantLender =
        expected(
            lender,
            (in, name, out) ->
                lenderParser.parse(in, name, r -> out.add(PSEUDONYMS.apply(r)), e -> {}));
    List<Read<LenderEvent>> gotLender = readAll(config, c -> c.topics().lender());
    assertSameRecords(wantLender, gotLender, Keys::of, Keys::eventTime, LenderEvent::getEventId);
    assertTrue(
        gotLender.stream()
            .anyMatch(r -> r.key().equals("L1/" + PSEUDONYMS.pseudonym("+8617000000001"))),
        "a collector number is keyed lender/number, pseudonymised");
  }

  @Test
  void shouldProduceOnlyTheLinesBeforeTheFirstBadOneInStrictMode() throws Exception {
    Path config = ownTopics();
    Cli.Run run = produce(config, "calls", sample("calls.csv"), "--strict");

    assertEquals(2, run.exit(), run.err());
    assertTrue(run.err().contains("error: --strict: stopped at calls.csv line 5"), run.err());
    List<Read<CallRecord>> got = readAll(config, c -> c.topics().calls());
    assertEquals(
        List.of("c-001", "c-002", "c-003"),
        got.stream().map(r -> r.value().getCallId()).sorted().toList());
  }

  @Test
  void shouldDropBodiesBeforeTheyReachKafkaWhenAsked() throws Exception {
    Path config = ownTopics();
    Cli.Run run = produce(config, "sms", sample("sms.csv"), "--drop-bodies");

    assertEquals(0, run.exit(), run.err());
    List<Read<SmsRecord>> got = readAll(config, c -> c.topics().sms());
    assertEquals(3, got.size());
    assertTrue(got.stream().allMatch(r -> r.value().getBody() == null));
  }

  @Test
  void shouldReportARecordTheBrokerRefusesWithItsLineAndProduceEveryOtherOne() throws Exception {
    Path config = ownTopics();
    StringBuilder file =
        new StringBuilder(
            "call_id,carrier,caller,callee,start_time,ring_seconds,talk_seconds,outcome\n");
    for (int i = 0; i < 50; i++) {
      // The 2100 call is the broker's to refuse (message.timestamp.after.max.ms, 1 h): the window
      // is widened past it so that the producer's own check lets it through.
      String time = i == 20 ? "2100-01-01T00:00:00Z" : "2024-07-26T09:" + (10 + i) + ":00Z";
      file.append("c-")
          .append(i)
          .append(",CM,+8617000000001,+8618812345678,")
          .append(time)
          .append(",3,0,NO_ANSWER\n");
    }
    Path calls = Files.writeString(tmp.resolve("calls.csv"), file);

    Cli.Run run = produce(config, "calls", calls, "--max-ahead", "P36500D");

    assertEquals(0, run.exit(), run.err());
    assertTrue(run.err().contains("rejected calls.csv line 22: not stored by Kafka"), run.err());
    assertTrue(run.out().contains("calls.csv: 49 records, 1 rejected lines"), run.out());
    List<Read<CallRecord>> got = readAll(config, c -> c.topics().calls());
    assertEquals(49, got.size());
    assertTrue(got.stream().noneMatch(r -> r.value().getCallId().equals("c-20")));
  }
}

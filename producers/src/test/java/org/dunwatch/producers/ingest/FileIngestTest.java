package org.dunwatch.producers.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.dunwatch.avro.common.Party;
import org.dunwatch.avro.common.PartyKind;
import org.dunwatch.avro.lender.CollectionAttempt;
import org.dunwatch.avro.lender.CollectorNumber;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.avro.lender.LoanOpened;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.avro.telecom.SmsRecord;
import org.dunwatch.producers.csv.CsvHeaderException;
import org.dunwatch.producers.parse.InputLimits;
import org.dunwatch.producers.privacy.Pseudonymizer;
import org.dunwatch.schemas.Keys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileIngestTest {

  static final Path SAMPLES = Path.of("src/test/resources/samples");
  static final Pseudonymizer PSEUDONYMS =
      Pseudonymizer.ofKey("test-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8));
  static final String VICTIM = "+8618812345678";

  /** Every raw number of the sample files, as digits, so that no message may contain one. */
  static final List<String> RAW_DIGITS =
      List.of(
          "8618812345678", "18812345678", "1700000000", "13900000002", "13900000003", "88881234");

  @TempDir Path tmp;

  final List<String> errors = new ArrayList<>();
  final List<String> progress = new ArrayList<>();

  record Sent<V>(String key, V value, Instant eventTime) {}

  /** Keeps what it is sent, and counts flushes. */
  static final class MemorySink<V> implements RecordSink<String, V> {
    final List<Sent<V>> sent = new ArrayList<>();
    int flushes;

    @Override
    public void send(String key, V value, Instant eventTime) {
      sent.add(new Sent<>(key, value, eventTime));
    }

    @Override
    public void flush() {
      flushes++;
    }

    List<V> values() {
      return sent.stream().map(Sent::value).toList();
    }
  }

  private FileIngest.Builder ingest() {
    return FileIngest.builder()
        .defaultRegion("CN")
        .pseudonymize(PSEUDONYMS)
        .rejectsFile(tmp.resolve("all.rejects"))
        .errors(errors::add)
        .progress(progress::add);
  }

  private static Path copy(Path dir, String sample) throws IOException {
    return Files.copy(SAMPLES.resolve(sample), dir.resolve(sample));
  }

  @Test
  void shouldPseudonymiseEveryNumberBeforeKeyingACallByItsCallee() throws IOException {
    MemorySink<CallRecord> sink = new MemorySink<>();
    try (FileIngest in = ingest().build()) {
      in.calls(IngestInput.ofFile(SAMPLES.resolve("calls.csv")), sink);
    }

    assertEquals(List.of("c-001", "c-002", "c-003", "c-010"), ids(sink.values()));
    for (Sent<CallRecord> s : sink.sent) {
      assertEquals(Keys.of(s.value()), s.key());
      assertEquals(s.value().getStartTime(), s.eventTime());
      assertEquals(PartyKind.PSEUDONYM, s.value().getCallee().getKind());
    }
    assertEquals(PSEUDONYMS.pseudonym(VICTIM), sink.sent.get(0).key(), "188 1234 5678 in CN");
    assertEquals(PSEUDONYMS.pseudonym(VICTIM), sink.sent.get(1).key());
    assertEquals(PSEUDONYMS.pseudonym("+862088881234"), sink.sent.get(2).key());
    // the short code is a sender id, not a person, and stays as written
    assertEquals(
        new Party("95588", PartyKind.SENDER_ID, null, null), sink.sent.get(2).value().getCaller());
    assertEquals(1, sink.flushes, "flushed once, at the end");
    assertNoRawNumberIn(sink.sent.stream().map(Object::toString).collect(Collectors.joining()));
  }

  @Test
  void shouldKeepTheRegionAndTimeZoneDerivedFromTheRealNumber() throws IOException {
    MemorySink<CallRecord> sink = new MemorySink<>();
    try (FileIngest in = ingest().build()) {
      in.calls(IngestInput.ofFile(SAMPLES.resolve("calls.csv")), sink);
    }

    Party callee = sink.sent.get(0).value().getCallee();
    assertEquals(
        new Party(PSEUDONYMS.pseudonym(VICTIM), PartyKind.PSEUDONYM, "CN", "Asia/Shanghai"),
        callee);
  }

  @Test
  void shouldReportCountAndWriteEveryBadLineWithItsFileAndLineNumber() throws IOException {
    Path calls = copy(tmp, "calls.csv");
    MemorySink<CallRecord> sink = new MemorySink<>();
    IngestResult result;
    try (FileIngest in = ingest().rejectsFile(null).build()) {
      result = in.calls(IngestInput.ofFile(calls), sink);
    }

    assertEquals(4, result.records());
    assertEquals(6, result.rejected());
    assertEquals(tmp.resolve("calls.csv.rejects"), result.rejectsFile());
    List<String> rejects = Files.readAllLines(result.rejectsFile(), StandardCharsets.UTF_8);
    assertEquals(
        List.of(
            "calls.csv line 5: expected 8 columns, found 4",
            "calls.csv line 6: start_time \"2024-07-26 10:00\" is not ISO-8601 with an offset (e.g."
                + " 2024-07-26T10:00:00+08:00 or 2024-07-26T02:00:00Z)",
            "calls.csv line 7: unknown outcome \"HUNGUP\" (expected one of ANSWERED, NO_ANSWER,"
                + " BUSY, REJECTED, CALLER_HANGUP)",
            "calls.csv line 8: ring_seconds \"-1\" is negative; talk_seconds \"x\" is not a whole"
                + " number",
            "calls.csv line 9: talk_seconds is 14 but outcome is NO_ANSWER (only ANSWERED calls"
                + " have talk time)",
            "calls.csv line 10: call_id is empty; caller is empty"),
        rejects);
    assertEquals(rejects.stream().map(r -> "rejected " + r).toList(), errors);
    assertNull(result.stoppedAt());
    assertNoRawNumberIn(String.join("\n", errors) + String.join("\n", progress));
  }

  @Test
  void shouldLeaveNoRejectsFileForACleanInput() throws IOException {
    Path clean = tmp.resolve("clean.csv");
    Files.writeString(
        clean,
        "call_id,carrier,caller,callee,start_time,ring_seconds,talk_seconds,outcome\n"
            + "k1,CM,+8617000000001,+8618812345678,2024-07-26T09:00:00+08:00,3,0,NO_ANSWER\n");
    IngestResult result;
    try (FileIngest in = ingest().rejectsFile(null).build()) {
      result = in.calls(IngestInput.ofFile(clean), new MemorySink<>());
    }

    assertEquals(1, result.records());
    assertEquals(0, result.rejected());
    assertNull(result.rejectsFile());
    assertFalse(Files.exists(tmp.resolve("clean.csv.rejects")));
    assertEquals(List.of(), errors);
  }

  @Test
  void shouldStopAtTheFirstBadLineInStrictModeAfterSendingTheLinesBeforeIt() throws IOException {
    MemorySink<CallRecord> sink = new MemorySink<>();
    IngestResult result;
    try (FileIngest in = ingest().strict(true).build()) {
      result = in.calls(IngestInput.ofFile(SAMPLES.resolve("calls.csv")), sink);
    }

    assertTrue(result.stopped());
    assertEquals(5, result.stoppedAt().lineNumber());
    assertEquals(3, result.records());
    assertEquals(1, result.rejected());
    assertEquals(List.of("c-001", "c-002", "c-003"), ids(sink.values()));
    assertEquals(1, sink.flushes, "what was sent before the bad line is flushed");
    assertEquals(List.of("rejected calls.csv line 5: expected 8 columns, found 4"), errors);
  }

  @Test
  void shouldKeySmsByThePseudonymisedRecipientAndKeepBodiesAsWritten() throws IOException {
    MemorySink<SmsRecord> sink = new MemorySink<>();
    IngestResult result;
    try (FileIngest in = ingest().build()) {
      result = in.sms(IngestInput.ofFile(SAMPLES.resolve("sms.csv")), sink);
    }

    assertEquals(3, result.records(), errors.toString());
    assertEquals(2, result.rejected());
    for (Sent<SmsRecord> s : sink.sent) {
      assertEquals(Keys.of(s.value()), s.key());
      assertTrue(s.key().startsWith("pn_"), s.key());
    }
    assertEquals("【淘宝】验证码 482913，5分钟内有效。", sink.values().get(0).getBody());
    assertNull(sink.values().get(1).getBody(), "an empty body is null");
    assertEquals("您的亲属张三已严重逾期2187元，\r\n请转告他\"尽快还款\"，否则后果自负", sink.values().get(2).getBody());
    assertEquals("TaoBao", sink.values().get(1).getSender().getId());
  }

  @Test
  void shouldDropSmsAndCollectionAttemptBodiesWhenAsked() throws IOException {
    MemorySink<SmsRecord> sms = new MemorySink<>();
    MemorySink<LenderEvent> lender = new MemorySink<>();
    try (FileIngest in = ingest().dropBodies(true).build()) {
      in.sms(IngestInput.ofFile(SAMPLES.resolve("sms.csv")), sms);
      in.lender(IngestInput.ofFile(SAMPLES.resolve("lender.jsonl")), lender);
    }

    assertEquals(3, sms.sent.size());
    assertTrue(sms.values().stream().allMatch(s -> s.getBody() == null));
    List<CollectionAttempt> attempts =
        lender.values().stream()
            .map(LenderEvent::getPayload)
            .filter(CollectionAttempt.class::isInstance)
            .map(CollectionAttempt.class::cast)
            .toList();
    assertEquals(2, attempts.size());
    assertTrue(attempts.stream().allMatch(a -> a.getBody() == null));
  }

  @Test
  void shouldKeyLenderEventsByLoanAndCollectorNumbersByTheirPseudonym() throws IOException {
    MemorySink<LenderEvent> sink = new MemorySink<>();
    IngestResult result;
    try (FileIngest in = ingest().build()) {
      result = in.lender(IngestInput.ofFile(SAMPLES.resolve("lender.jsonl")), sink);
    }

    assertEquals(7, result.records(), errors.toString());
    assertEquals(3, result.rejected());
    List<String> keys = sink.sent.stream().map(Sent::key).toList();
    String collector = "L1/" + PSEUDONYMS.pseudonym("+8617000000001");
    assertEquals(
        List.of(
            "L1/loan-1",
            "L1/loan-1",
            collector,
            "L1/loan-1",
            "L1/loan-1",
            "L1/loan-1",
            "L1/loan-1"),
        keys);
    LoanOpened loan = (LoanOpened) sink.values().get(0).getPayload();
    assertEquals(PSEUDONYMS.pseudonym(VICTIM), loan.getBorrower().getId());
    assertEquals(
        List.of(PSEUDONYMS.pseudonym("+8613900000002"), PSEUDONYMS.pseudonym("+8613900000003")),
        loan.getContacts().stream().map(c -> c.getNumber().getId()).toList());
    CollectorNumber number = (CollectorNumber) sink.values().get(2).getPayload();
    assertEquals(PartyKind.PSEUDONYM, number.getNumber().getKind());
    assertEquals(
        Instant.parse("2024-07-01T00:00:00Z"), sink.sent.get(2).eventTime(), "event time is at");
    assertNoRawNumberIn(sink.sent.stream().map(Object::toString).collect(Collectors.joining()));
  }

  @Test
  void shouldSendNumbersInE164OnlyWhenPseudonymsAreTurnedOffExplicitly() throws IOException {
    MemorySink<CallRecord> sink = new MemorySink<>();
    try (FileIngest in =
        FileIngest.builder()
            .defaultRegion("CN")
            .withoutPseudonyms()
            .rejectsFile(tmp.resolve("r"))
            .errors(errors::add)
            .build()) {
      in.calls(IngestInput.ofFile(SAMPLES.resolve("calls.csv")), sink);
    }

    assertEquals(VICTIM, sink.sent.get(0).key());
    assertEquals(PartyKind.E164, sink.sent.get(0).value().getCallee().getKind());
  }

  @Test
  void shouldRefuseToBuildWithoutAChoiceAboutPseudonyms() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> FileIngest.builder().build());
    assertTrue(e.getMessage().contains("withoutPseudonyms"), e.getMessage());
  }

  @Test
  void shouldStopAFileWithoutItsHeaderColumnsBeforeSendingAnything() {
    MemorySink<CallRecord> sink = new MemorySink<>();
    IngestInput input =
        IngestInput.ofText("short.csv", "call_id,caller,callee\nx,+8617000000001,+8618812345678\n");
    try (FileIngest in = ingest().build()) {
      CsvHeaderException e = assertThrows(CsvHeaderException.class, () -> in.calls(input, sink));
      assertTrue(e.getMessage().startsWith("short.csv: missing required columns"), e.getMessage());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertEquals(List.of(), sink.sent);
  }

  @Test
  void shouldReportProgressWithRecordsRateAndRejectedOnLongInputs() throws IOException {
    StringBuilder csv =
        new StringBuilder(
            "call_id,carrier,caller,callee,start_time,ring_seconds,talk_seconds,outcome\n");
    for (int i = 0; i < 10; i++) {
      csv.append("k")
          .append(i)
          .append(",CM,+8617000000001,+8618812345678,2024-07-26T09:00:00+08:00,3,0,")
          .append(i == 4 ? "HUNGUP" : "NO_ANSWER")
          .append('\n');
    }
    AtomicLong now = new AtomicLong();
    // every look at the clock is half a second later
    FileIngest.Builder b =
        ingest().progressEvery(Duration.ofSeconds(2)).nanoTime(() -> now.getAndAdd(500_000_000L));
    IngestResult result;
    try (FileIngest in = b.build()) {
      result = in.calls(IngestInput.ofText("long.csv", csv.toString()), new MemorySink<>());
    }

    assertEquals(9, result.records());
    assertEquals(
        List.of(
            "long.csv: 4 records (2/s), 0 rejected",
            "long.csv: 7 records (2/s), 1 rejected",
            "long.csv: 9 records in 5.5 s (2/s), 1 rejected (see "
                + tmp.resolve("all.rejects")
                + ")"),
        progress);
  }

  @Test
  void shouldMergeSeveralInputsByEventTimeSoThatNoFileRunsAheadOfTheOthers() throws IOException {
    String header = "call_id,carrier,caller,callee,start_time,ring_seconds,talk_seconds,outcome\n";
    StringBuilder calls = new StringBuilder(header);
    StringBuilder sms =
        new StringBuilder("message_id,carrier,sender,recipient,sent_time,category,body\n");
    // more lines than the merge buffer, so that readers block and resume
    int n = FileIngest.MERGE_BUFFER * 2;
    Instant t0 = Instant.parse("2024-07-26T00:00:00Z");
    for (int i = 0; i < n; i++) {
      calls.append("c").append(i).append(",CM,+8617000000001,+8618812345678,");
      calls.append(t0.plusSeconds(2L * i)).append(",3,0,NO_ANSWER\n");
      sms.append("m").append(i).append(",CM,95588,+8618812345678,");
      sms.append(t0.plusSeconds(2L * i + 1)).append(",OTP,code\n");
      if (i == 10) {
        sms.append("bad,CM,95588,+8618812345678,then,OTP,x\n");
      }
    }
    List<String> order = new ArrayList<>();
    RecordSink<String, CallRecord> callSink = (k, v, t) -> order.add(v.getCallId());
    RecordSink<String, SmsRecord> smsSink = (k, v, t) -> order.add(v.getMessageId());
    List<IngestResult> results;
    try (FileIngest in = ingest().build()) {
      results =
          in.interleaved(
              List.of(
                  new FileIngest.Job(
                      InputKind.SMS, IngestInput.ofText("sms.csv", sms.toString()), smsSink),
                  new FileIngest.Job(
                      InputKind.CALLS,
                      IngestInput.ofText("calls.csv", calls.toString()),
                      callSink)));
    }

    assertEquals(2 * n, order.size());
    for (int i = 0; i < n; i++) {
      assertEquals("c" + i, order.get(2 * i));
      assertEquals("m" + i, order.get(2 * i + 1));
    }
    assertEquals("sms.csv: " + n + " records, 1 rejected lines", results.get(0).toString());
    assertEquals("calls.csv: " + n + " records, 0 rejected lines", results.get(1).toString());
    assertEquals(
        List.of(
            "rejected sms.csv line 13: sent_time \"then\" is not ISO-8601 with an"
                + " offset (e.g. 2024-07-26T10:00:00+08:00 or 2024-07-26T02:00:00Z)"),
        errors);
  }

  @Test
  void shouldStopEveryMergedInputAtTheFirstBadLineInStrictMode() throws IOException {
    MemorySink<CallRecord> calls = new MemorySink<>();
    MemorySink<LenderEvent> lender = new MemorySink<>();
    List<IngestResult> results;
    try (FileIngest in = ingest().strict(true).build()) {
      results =
          in.interleaved(
              List.of(
                  new FileIngest.Job(
                      InputKind.CALLS, IngestInput.ofFile(SAMPLES.resolve("calls.csv")), calls),
                  new FileIngest.Job(
                      InputKind.LENDER,
                      IngestInput.ofFile(SAMPLES.resolve("lender.jsonl")),
                      lender)));
    }

    assertEquals(1, errors.size(), errors.toString());
    IngestResult stopped = results.stream().filter(IngestResult::stopped).findFirst().orElseThrow();
    assertEquals(1, stopped.rejected());
    assertEquals(1, results.stream().mapToLong(IngestResult::rejected).sum());
  }

  @Test
  void shouldFailTheMergeWhenOneInputsHeaderIsUnusable() {
    IngestInput bad = IngestInput.ofText("bad.csv", "message_id,body\n");
    try (FileIngest in = ingest().build()) {
      CsvHeaderException e =
          assertThrows(
              CsvHeaderException.class,
              () ->
                  in.interleaved(
                      List.of(
                          new FileIngest.Job(
                              InputKind.CALLS,
                              IngestInput.ofFile(SAMPLES.resolve("calls.csv")),
                              new MemorySink<CallRecord>()),
                          new FileIngest.Job(InputKind.SMS, bad, new MemorySink<SmsRecord>()))));
      assertTrue(e.getMessage().startsWith("bad.csv: missing required columns"), e.getMessage());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void shouldReadStandardInputForADash() {
    IngestInput in = IngestInput.of("-");
    assertEquals("stdin", in.name());
    assertTrue(in.isStdin());
    assertEquals("calls.csv", IngestInput.of("some/dir/calls.csv").name());
  }

  private static List<String> ids(List<CallRecord> calls) {
    return calls.stream().map(CallRecord::getCallId).toList();
  }

  private static void assertNoRawNumberIn(String text) {
    for (String digits : RAW_DIGITS) {
      assertFalse(text.contains(digits), "raw number " + digits + " in: " + text);
    }
  }

  static final String CALLS_HEADER =
      "call_id,carrier,caller,callee,start_time,ring_seconds,talk_seconds,outcome\n";

  static String callRow(String id, String carrier, String startTime) {
    return id + "," + carrier + ",+8617000000001,+8618812345678," + startTime + ",3,0,NO_ANSWER\n";
  }

  @Test
  void shouldRejectAsLineErrorsEveryEventTimeKafkaCannotStoreOrThatIsImplausible()
      throws IOException {
    Clock clock = Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC);
    String file =
        CALLS_HEADER
            + callRow("ok1", "CM", "2024-07-26T09:00:00+08:00")
            + callRow("pre1970", "CM", "1969-12-31T23:59:59Z")
            + callRow("far", "CM", "2100-01-01T00:00:00Z")
            + callRow("overflow", "CM", "+999999999-12-31T23:59:59Z")
            + callRow("old", "CM", "1999-12-31T23:59:59Z")
            + callRow("ahead", "CM", "2026-12-07T12:20:00Z")
            + callRow("ok2", "CM", "2026-12-07T12:10:00Z");
    MemorySink<CallRecord> sink = new MemorySink<>();
    IngestResult result;
    try (FileIngest in = ingest().limits(InputLimits.DEFAULT.withClock(clock)).build()) {
      result = in.calls(IngestInput.ofText("calls.csv", file), sink);
    }

    assertEquals(List.of("ok1", "ok2"), ids(sink.values()));
    assertEquals(2, result.records());
    assertEquals(5, result.rejected());
    assertEquals(
        List.of(
            "rejected calls.csv line 3: start_time \"1969-12-31T23:59:59Z\" is before 1970, which"
                + " Kafka cannot store",
            "rejected calls.csv line 4: start_time \"2100-01-01T00:00:00Z\" is more than PT15M"
                + " ahead of this machine's clock (--max-ahead)",
            "rejected calls.csv line 5: start_time \"<number>T23:59:59Z\" is beyond what Kafka"
                + " can store (milliseconds overflow a long)",
            "rejected calls.csv line 6: start_time \"1999-12-31T23:59:59Z\" is before the earliest"
                + " accepted event time 2000-01-01T00:00:00Z (--earliest)",
            "rejected calls.csv line 7: start_time \"2026-12-07T12:20:00Z\" is more than PT15M"
                + " ahead of this machine's clock (--max-ahead)"),
        errors);
  }

  @Test
  void shouldTakeTheEventTimeWindowFromTheLimitsGiven() throws IOException {
    Clock clock = Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC);
    String file =
        CALLS_HEADER
            + callRow("old", "CM", "1999-12-31T23:59:59Z")
            + callRow("ahead", "CM", "2026-12-07T12:20:00Z");
    MemorySink<CallRecord> sink = new MemorySink<>();
    InputLimits wide =
        InputLimits.DEFAULT
            .withClock(clock)
            .withEarliest(Instant.EPOCH)
            .withMaxAhead(Duration.ofMinutes(30));
    try (FileIngest in = ingest().limits(wide).build()) {
      in.calls(IngestInput.ofText("calls.csv", file), sink);
    }

    assertEquals(List.of("old", "ahead"), ids(sink.values()));
  }

  @Test
  void shouldRejectFieldsLongerThanTheirCapWithoutQuotingThem() throws IOException {
    String file =
        CALLS_HEADER
            + callRow("long", "x".repeat(1_000_000), "2024-07-26T09:00:00+08:00")
            + callRow("ok", "CM", "2024-07-26T09:00:00+08:00");
    MemorySink<CallRecord> sink = new MemorySink<>();
    try (FileIngest in = ingest().build()) {
      in.calls(IngestInput.ofText("calls.csv", file), sink);
    }

    assertEquals(List.of("ok"), ids(sink.values()));
    assertEquals(
        List.of(
            "rejected calls.csv line 2: carrier is 1000000 chars long; at most 256 are accepted"),
        errors);
  }

  @Test
  void shouldMaskANumberWrittenInTheWrongColumnInErrorsAndRejects() throws IOException {
    String file =
        CALLS_HEADER
            + "c1,CM,+8617000000001,+8618812345678,+8613800000001,3,0,NO_ANSWER\n"
            + "c2,CM,+8617000000001,+8618812345678,2024-07-26T09:00:00Z,138 0000 0001,0,NO_ANSWER\n"
            + "c3,020 8765 4321,+8617000000001,+8618812345678,2024-07-26T09:00:00Z,3,0,"
            + "008613800000001\n";
    IngestResult result;
    try (FileIngest in = ingest().build()) {
      result = in.calls(IngestInput.ofText("calls.csv", file), new MemorySink<>());
    }

    assertEquals(3, result.rejected());
    String reported = String.join("\n", errors) + Files.readString(tmp.resolve("all.rejects"));
    for (String form :
        List.of("8613800000001", "13800000001", "138 0000 0001", "8765 4321", "008613800000001")) {
      assertFalse(reported.contains(form), form + " in " + reported);
    }
    assertTrue(reported.contains("start_time \"<number>\" is not ISO-8601"), reported);
  }

  /** Fails the records whose call id is in {@code refused} and their batch-mates the first time. */
  static final class RefusingSink implements RecordSink<String, CallRecord> {
    final Set<String> refused;
    final List<String> stored = new ArrayList<>();
    final List<Runnable> pending = new ArrayList<>();
    final Set<String> failedOnce = new HashSet<>();

    RefusingSink(Set<String> refused) {
      this.refused = refused;
    }

    @Override
    public void send(String key, CallRecord value, Instant eventTime) {
      throw new AssertionError("records must be sent with a failure callback");
    }

    @Override
    public void send(String key, CallRecord value, Instant eventTime, Consumer<Exception> failed) {
      String id = value.getCallId();
      pending.add(
          () -> {
            if (refused.contains(id)) {
              failed.accept(new InvalidTimestampException("Timestamp 4102444800000 of message"));
            } else if (!refused.isEmpty() && failedOnce.add(id)) {
              failed.accept(
                  new KafkaException(
                      "Failed to append record because it was part of a batch which had one more"
                          + " more invalid records"));
            } else {
              stored.add(id);
            }
          });
    }

    @Override
    public void flush() {
      List<Runnable> batch = new ArrayList<>(pending);
      pending.clear();
      batch.forEach(Runnable::run);
    }
  }

  @Test
  void shouldReportARefusedRecordWithItsLineAndSendItsBatchMatesAgain() throws IOException {
    String file =
        CALLS_HEADER
            + callRow("a", "CM", "2024-07-26T09:00:00Z")
            + callRow("bad", "CM", "2024-07-26T09:01:00Z")
            + callRow("c", "CM", "2024-07-26T09:02:00Z");
    RefusingSink sink = new RefusingSink(Set.of("bad"));
    IngestResult result;
    try (FileIngest in = ingest().build()) {
      result = in.calls(IngestInput.ofText("calls.csv", file), sink);
    }

    assertEquals(List.of("a", "c"), sink.stored);
    assertEquals(2, result.records());
    assertEquals(1, result.rejected());
    assertEquals(1, errors.size());
    assertTrue(
        errors.get(0).startsWith("rejected calls.csv line 3: not stored by Kafka: Timestamp"),
        errors.get(0));
    assertTrue(progress.get(progress.size() - 1).contains("2 records"), progress.toString());
  }

  /** Every written form of the numbers the body tests use. */
  static final List<String> BODY_FORMS =
      List.of(
          "18812345678",
          "+86 188 1234 5678",
          "008618812345678",
          "020 8765 4321",
          "13953440914",
          "188 1234 5678");

  @Test
  void shouldPseudonymiseNumbersWrittenInBodiesWithTheSameKeyAsTheParties() throws IOException {
    String sms =
        "message_id,carrier,sender,recipient,sent_time,category,body\n"
            + "m1,CM,+8617000000001,+8613900000002,2024-07-26T10:00:00Z,PERSONAL,"
            + "\"再不还钱就发到13953440914朋友圈，联系18812345678或+86 188 1234 5678\"\n"
            + "m2,CM,+8617000000001,+8613900000002,2024-07-26T10:01:00Z,PERSONAL,"
            + "\"打008618812345678或020 8765 4321，逾期2187元\"\n";
    String lender =
        "{\"type\":\"collection_attempt\",\"lender_id\":\"L\",\"at\":\"2024-07-26T10:00:00Z\","
            + "\"loan_id\":\"l1\",\"channel\":\"SMS\",\"target\":\"+8613900000002\","
            + "\"target_role\":\"THIRD_PARTY\",\"outcome\":\"DELIVERED\","
            + "\"body\":\"告诉188 1234 5678马上还钱\"}\n";
    MemorySink<SmsRecord> smsSink = new MemorySink<>();
    MemorySink<LenderEvent> lenderSink = new MemorySink<>();
    try (FileIngest in = ingest().build()) {
      in.sms(IngestInput.ofText("sms.csv", sms), smsSink);
      in.lender(IngestInput.ofText("lender.jsonl", lender), lenderSink);
    }

    String victim = PSEUDONYMS.pseudonym(VICTIM);
    assertEquals(
        "再不还钱就发到" + PSEUDONYMS.pseudonym("+8613953440914") + "朋友圈，联系" + victim + "或" + victim,
        smsSink.values().get(0).getBody());
    assertEquals(
        "打" + victim + "或" + PSEUDONYMS.pseudonym("+862087654321") + "，逾期2187元",
        smsSink.values().get(1).getBody());
    CollectionAttempt a = (CollectionAttempt) lenderSink.values().get(0).getPayload();
    assertEquals("告诉" + victim + "马上还钱", a.getBody());
    String all = smsSink.sent.toString() + lenderSink.sent;
    for (String form : BODY_FORMS) {
      assertFalse(all.contains(form), form);
    }
  }
}

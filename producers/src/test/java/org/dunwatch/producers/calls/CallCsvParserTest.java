package org.dunwatch.producers.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.dunwatch.avro.common.Party;
import org.dunwatch.avro.common.PartyKind;
import org.dunwatch.avro.telecom.CallOutcome;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.producers.csv.CsvHeaderException;
import org.dunwatch.producers.parse.Collected;
import org.dunwatch.producers.parse.ParseSummary;
import org.junit.jupiter.api.Test;

class CallCsvParserTest {

  private static final String HEADER =
      "call_id,carrier,caller,callee,start_time,ring_seconds,talk_seconds,outcome\n";

  private final CallCsvParser parser = new CallCsvParser("CN");

  private Collected<CallRecord> parse(CallCsvParser parser, String text) throws IOException {
    Collected<CallRecord> out = new Collected<>();
    parser.parse(new StringReader(text), "calls.csv", out.records::add, out.errors::add);
    return out;
  }

  private Collected<CallRecord> parseLine(String line) throws IOException {
    return parse(parser, HEADER + line + "\n");
  }

  private String onlyError(Collected<CallRecord> out) {
    assertEquals(List.of(), out.records);
    assertEquals(1, out.errors.size(), out.errorMessages());
    return out.errors.get(0).reason();
  }

  @Test
  void shouldReadTheSampleFileWithEveryBadLineReportedAtItsLine() throws IOException {
    Collected<CallRecord> out = new Collected<>();
    ParseSummary summary;
    try (InputStream in = getClass().getResourceAsStream("/samples/calls.csv")) {
      summary =
          parser.parse(
              new InputStreamReader(in, StandardCharsets.UTF_8),
              "calls.csv",
              out.records::add,
              out.errors::add);
    }

    assertEquals(new ParseSummary("calls.csv", 4, 6), summary);
    assertEquals(
        List.of("c-001", "c-002", "c-003", "c-010"),
        out.records.stream().map(CallRecord::getCallId).toList());
    assertEquals(
        String.join(
            "\n",
            "line 5: expected 8 columns, found 4",
            "line 6: start_time \"2024-07-26 10:00\" is not ISO-8601 with an offset"
                + " (e.g. 2024-07-26T10:00:00+08:00 or 2024-07-26T02:00:00Z)",
            "line 7: unknown outcome \"HUNGUP\" (expected one of ANSWERED, NO_ANSWER, BUSY,"
                + " REJECTED, CALLER_HANGUP)",
            "line 8: ring_seconds \"-1\" is negative; talk_seconds \"x\" is not a whole number",
            "line 9: talk_seconds is 14 but outcome is NO_ANSWER (only ANSWERED calls have talk"
                + " time)",
            "line 10: call_id is empty; caller is empty"),
        out.errorMessages());
    assertEquals("calls.csv", out.errors.get(0).source());
  }

  @Test
  void shouldBuildACallRecordWithNormalisedParties() throws IOException {
    Collected<CallRecord> out =
        parseLine("c-1,CMCC,+8617000000001,188 1234 5678,2024-07-26T10:00:00+08:00,12,0,NO_ANSWER");

    assertEquals(
        List.of(
            CallRecord.newBuilder()
                .setCallId("c-1")
                .setCarrier("CMCC")
                .setCaller(new Party("+8617000000001", PartyKind.E164, "CN", "Asia/Shanghai"))
                .setCallee(new Party("+8618812345678", PartyKind.E164, "CN", "Asia/Shanghai"))
                .setStartTime(Instant.parse("2024-07-26T02:00:00Z"))
                .setRingSeconds(12)
                .setTalkSeconds(0)
                .setOutcome(CallOutcome.NO_ANSWER)
                .build()),
        out.records);
  }

  @Test
  void shouldKeepAShortCodeCallerAsASenderId() throws IOException {
    CallRecord call =
        parseLine("c-1,CMCC,95588,+8618812345678,2024-07-26T10:00:00Z,1,30,ANSWERED")
            .records
            .get(0);

    assertEquals(new Party("95588", PartyKind.SENDER_ID, null, null), call.getCaller());
    assertEquals(30, call.getTalkSeconds());
  }

  @Test
  void shouldAcceptOnlyE164NumbersWithoutADefaultRegion() throws IOException {
    CallRecord call =
        parse(
                new CallCsvParser((String) null),
                HEADER + "c-1,CMCC,188 1234 5678,+8618812345678,2024-07-26T10:00:00Z,1,0,BUSY\n")
            .records
            .get(0);

    assertEquals(PartyKind.SENDER_ID, call.getCaller().getKind());
    assertEquals("188 1234 5678", call.getCaller().getId());
    assertEquals(PartyKind.E164, call.getCallee().getKind());
  }

  @Test
  void shouldTruncateStartTimesToTheMillisecondAsAvroStoresThem() throws IOException {
    CallRecord call =
        parseLine("c-1,CMCC,95588,+8618812345678,2024-07-26T10:00:00.123456789+08:00,1,0,BUSY")
            .records
            .get(0);

    assertEquals(Instant.parse("2024-07-26T02:00:00.123Z"), call.getStartTime());
  }

  @Test
  void shouldReportAStartTimeWithoutAnOffset() throws IOException {
    String reason =
        onlyError(parseLine("c-1,CMCC,95588,+8618812345678,2024-07-26T10:00:00,1,0,BUSY"));

    assertEquals(
        "start_time \"2024-07-26T10:00:00\" is not ISO-8601 with an offset"
            + " (e.g. 2024-07-26T10:00:00+08:00 or 2024-07-26T02:00:00Z)",
        reason);
  }

  @Test
  void shouldReportAnOutcomeInTheWrongCase() throws IOException {
    String reason =
        onlyError(parseLine("c-1,CMCC,95588,+8618812345678,2024-07-26T10:00:00Z,1,0,answered"));

    assertEquals(
        "unknown outcome \"answered\" (expected one of ANSWERED, NO_ANSWER, BUSY, REJECTED,"
            + " CALLER_HANGUP)",
        reason);
  }

  @Test
  void shouldReportAnEmptyCalleeWithoutQuotingTheCaller() throws IOException {
    String reason =
        onlyError(parseLine("c-1,CMCC,+8618812345678,  ,2024-07-26T10:00:00Z,1,0,BUSY"));

    assertEquals("callee is empty", reason);
  }

  @Test
  void shouldReportANumberTooLargeForSeconds() throws IOException {
    String reason =
        onlyError(
            parseLine("c-1,CMCC,95588,+8618812345678,2024-07-26T10:00:00Z,99999999999,0,BUSY"));

    assertEquals("ring_seconds \"<number>\" is not a whole number", reason);
  }

  @Test
  void shouldReportAMalformedCsvRowAtItsLineAndReadTheNextOne() throws IOException {
    Collected<CallRecord> out =
        parse(
            parser,
            HEADER
                + "c-1,\"CMCC,95588,+8618812345678,2024-07-26T10:00:00Z,1,0,BUSY\n"
                + "c-2,CMCC,95588,+8618812345678,2024-07-26T10:00:00Z,1,0,BUSY\n");

    assertEquals(2, out.errors.get(0).lineNumber());
    assertEquals(
        "unterminated quoted field in column 2 (the quote opens on line 2)",
        out.errors.get(0).reason());
    assertEquals("c-2", out.records.get(0).getCallId());
  }

  @Test
  void shouldRefuseAFileWithoutTheContractColumns() {
    CsvHeaderException e =
        assertThrows(
            CsvHeaderException.class,
            () -> parse(parser, "call_id,carrier,caller,callee,start_time\n"));

    assertEquals(List.of("ring_seconds", "talk_seconds", "outcome"), e.missingColumns());
  }

  @Test
  void shouldRefuseAnUnknownDefaultRegion() {
    assertThrows(IllegalArgumentException.class, () -> new CallCsvParser("XX"));
  }
}

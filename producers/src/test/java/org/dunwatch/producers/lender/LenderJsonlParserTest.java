package org.dunwatch.producers.lender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.dunwatch.avro.common.Party;
import org.dunwatch.avro.common.PartyKind;
import org.dunwatch.avro.lender.Application;
import org.dunwatch.avro.lender.AttemptChannel;
import org.dunwatch.avro.lender.AttemptOutcome;
import org.dunwatch.avro.lender.CeaseRequest;
import org.dunwatch.avro.lender.CloseReason;
import org.dunwatch.avro.lender.CollectionAttempt;
import org.dunwatch.avro.lender.CollectorNumber;
import org.dunwatch.avro.lender.ContactRelation;
import org.dunwatch.avro.lender.DeclaredContact;
import org.dunwatch.avro.lender.Delinquency;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.avro.lender.LoanClosed;
import org.dunwatch.avro.lender.LoanOpened;
import org.dunwatch.avro.lender.TargetRole;
import org.dunwatch.producers.numbers.NumberNormalizer;
import org.dunwatch.producers.parse.Collected;
import org.dunwatch.producers.parse.ParseSummary;
import org.junit.jupiter.api.Test;

class LenderJsonlParserTest {

  private static final String COMMON = "\"lender_id\":\"L1\",\"at\":\"2024-07-26T10:00:00+08:00\"";
  private static final Instant AT = Instant.parse("2024-07-26T02:00:00Z");
  private static final Party BORROWER =
      new Party("+8618812345678", PartyKind.E164, "CN", "Asia/Shanghai");
  private static final Party CONTACT =
      new Party("+8613900000002", PartyKind.E164, "CN", "Asia/Shanghai");

  private final LenderJsonlParser parser = new LenderJsonlParser("CN");

  private Collected<LenderEvent> parse(String text) throws IOException {
    Collected<LenderEvent> out = new Collected<>();
    parser.parse(new StringReader(text), "lender.jsonl", out.records::add, out.errors::add);
    return out;
  }

  /** The only event of one line of the given type and fields. */
  private LenderEvent event(String type, String fields) throws IOException {
    Collected<LenderEvent> out =
        parse("{\"type\":\"" + type + "\"," + COMMON + "," + fields + "}\n");
    assertEquals("", out.errorMessages());
    assertEquals(1, out.records.size());
    return out.records.get(0);
  }

  /** The reason of the only error of one line. */
  private String error(String line) throws IOException {
    Collected<LenderEvent> out = parse(line + "\n");
    assertEquals(List.of(), out.records);
    assertEquals(1, out.errors.size(), out.errorMessages());
    assertEquals(1, out.errors.get(0).lineNumber());
    return out.errors.get(0).reason();
  }

  @Test
  void shouldReadALoanOpeningWithItsDeclaredContacts() throws IOException {
    LenderEvent e =
        event(
            "loan_opened",
            "\"loan_id\":\"loan-1\",\"borrower\":\"188 1234 5678\",\"contacts\":["
                + "{\"number\":\"+8613900000002\",\"relation\":\"EMERGENCY\"},"
                + "{\"number\":\"95588\",\"relation\":\"OTHER\"}],"
                + "\"principal\":3000,\"currency\":\"CNY\"");

    assertEquals("lender.jsonl:1", e.getEventId());
    assertEquals("L1", e.getLenderId());
    assertEquals(AT, e.getAt());
    assertEquals(
        new LoanOpened(
            "loan-1",
            BORROWER,
            List.of(
                new DeclaredContact(CONTACT, ContactRelation.EMERGENCY),
                new DeclaredContact(
                    new Party("95588", PartyKind.SENDER_ID, null, null), ContactRelation.OTHER)),
            3000.0,
            "CNY"),
        e.getPayload());
  }

  @Test
  void shouldAcceptALoanOpeningWithNoContactsAndNoAmount() throws IOException {
    LoanOpened loan =
        (LoanOpened)
            event(
                    "loan_opened",
                    "\"loan_id\":\"l\",\"borrower\":\"+8618812345678\",\"contacts\":[]")
                .getPayload();

    assertEquals(List.of(), loan.getContacts());
    assertNull(loan.getPrincipal());
    assertNull(loan.getCurrency());
  }

  @Test
  void shouldReadADelinquency() throws IOException {
    assertEquals(
        new Delinquency("loan-1", 34, 2187.5, "CNY"),
        event(
                "delinquency",
                "\"loan_id\":\"loan-1\",\"days_past_due\":34,\"amount_overdue\":2187.5,"
                    + "\"currency\":\"CNY\"")
            .getPayload());
    assertEquals(
        new Delinquency("loan-1", 0, null, null),
        event("delinquency", "\"loan_id\":\"loan-1\",\"days_past_due\":0").getPayload());
  }

  @Test
  void shouldReadALoanClosing() throws IOException {
    assertEquals(
        new LoanClosed("loan-1", CloseReason.WRITTEN_OFF),
        event("loan_closed", "\"loan_id\":\"loan-1\",\"reason\":\"WRITTEN_OFF\"").getPayload());
  }

  @Test
  void shouldReadACollectorNumberWithAndWithoutAnEnd() throws IOException {
    assertEquals(
        new CollectorNumber(
            new Party("+8617000000001", PartyKind.E164, "CN", "Asia/Shanghai"),
            "A7",
            Instant.parse("2024-12-31T23:59:59Z")),
        event(
                "collector_number",
                "\"number\":\"+8617000000001\",\"agency_id\":\"A7\","
                    + "\"valid_to\":\"2024-12-31T23:59:59Z\"")
            .getPayload());
    assertEquals(
        new CollectorNumber(new Party("95588", PartyKind.SENDER_ID, null, null), null, null),
        event("collector_number", "\"number\":\"95588\"").getPayload());
  }

  @Test
  void shouldUseTheAttemptIdAsEventIdWhenACollectionAttemptHasOne() throws IOException {
    LenderEvent e =
        event(
            "collection_attempt",
            "\"loan_id\":\"loan-1\",\"channel\":\"SMS\",\"target\":\"139 0000 0002\","
                + "\"target_role\":\"EMERGENCY_CONTACT\",\"outcome\":\"DELIVERED\","
                + "\"agency_id\":\"A7\",\"body\":\"你的朋友欠款不还\",\"attempt_id\":\"att-42\"");

    assertEquals("att-42", e.getEventId());
    assertEquals(
        new CollectionAttempt(
            "loan-1",
            AttemptChannel.SMS,
            CONTACT,
            TargetRole.EMERGENCY_CONTACT,
            AttemptOutcome.DELIVERED,
            "A7",
            "你的朋友欠款不还",
            "att-42"),
        e.getPayload());
  }

  @Test
  void shouldDeriveTheEventIdFromSourceAndLineWithoutAnAttemptId() throws IOException {
    Collected<LenderEvent> out =
        parse(
            "\n{\"type\":\"collection_attempt\","
                + COMMON
                + ",\"loan_id\":\"loan-1\",\"channel\":\"CALL\",\"target\":\"+8613900000002\","
                + "\"target_role\":\"THIRD_PARTY\",\"outcome\":\"NO_ANSWER\"}\n");

    LenderEvent e = out.records.get(0);
    assertEquals("lender.jsonl:2", e.getEventId());
    CollectionAttempt attempt = (CollectionAttempt) e.getPayload();
    assertNull(attempt.getAttemptId());
    assertNull(attempt.getAgencyId());
    assertNull(attempt.getBody());
  }

  @Test
  void shouldReadACeaseRequest() throws IOException {
    assertEquals(
        new CeaseRequest("loan-1", CONTACT),
        event("cease_request", "\"loan_id\":\"loan-1\",\"requester\":\"+8613900000002\"")
            .getPayload());
  }

  @Test
  void shouldReadAnApplicationWithTheLendersItWasForwardedTo() throws IOException {
    LenderEvent e =
        event(
            "application",
            "\"application_id\":\"A-1\",\"applicant\":\"188 1234 5678\",\"forwarded_to\":[\"L2\", \" L3 \"]");
    assertEquals(new Application("A-1", BORROWER, List.of("L2", "L3")), e.getPayload());
    assertEquals("L1/A-1", org.dunwatch.schemas.Keys.of(e));
  }

  @Test
  void shouldReadAnApplicationForwardedNowhereAsAnEmptyList() throws IOException {
    assertEquals(
        new Application("A-2", BORROWER, List.of()),
        event("application", "\"application_id\":\"A-2\",\"applicant\":\"+8618812345678\"")
            .getPayload());
  }

  @Test
  void shouldReportABadApplicationWithEveryProblem() throws IOException {
    String reason =
        error("{\"type\":\"application\"," + COMMON + ",\"forwarded_to\":[\"L2\", 7, \"\"]}");
    assertTrue(reason.contains("missing application_id"), reason);
    assertTrue(reason.contains("missing applicant"), reason);
    assertTrue(reason.contains("forwarded_to[1] must be a string, found number"), reason);
    assertTrue(reason.contains("forwarded_to[2]"), reason);
  }

  @Test
  void shouldIgnoreFieldsTheContractDoesNotName() throws IOException {
    assertEquals(
        new LoanClosed("loan-1", CloseReason.REPAID),
        event("loan_closed", "\"loan_id\":\"loan-1\",\"reason\":\"REPAID\",\"note\":{\"x\":1}")
            .getPayload());
  }

  @Test
  void shouldReadTheSampleFileWithEveryBadLineReportedAtItsLine() throws IOException {
    Collected<LenderEvent> out = new Collected<>();
    ParseSummary summary;
    try (InputStream in = getClass().getResourceAsStream("/samples/lender.jsonl")) {
      summary =
          parser.parse(
              new InputStreamReader(in, StandardCharsets.UTF_8),
              "lender.jsonl",
              out.records::add,
              out.errors::add);
    }

    assertEquals(new ParseSummary("lender.jsonl", 7, 3), summary);
    assertEquals(
        List.of(
            LoanOpened.class,
            Delinquency.class,
            CollectorNumber.class,
            CollectionAttempt.class,
            CollectionAttempt.class,
            CeaseRequest.class,
            LoanClosed.class),
        out.records.stream().map(e -> e.getPayload().getClass()).toList());
    assertEquals(
        List.of(
            "lender.jsonl:1",
            "lender.jsonl:2",
            "lender.jsonl:3",
            "att-42",
            "lender.jsonl:6",
            "lender.jsonl:7",
            "lender.jsonl:8"),
        out.records.stream().map(LenderEvent::getEventId).toList());
    assertTrue(out.errorAt(9).reason().startsWith("not valid JSON"), out.errorMessages());
    assertTrue(out.errorAt(10).reason().startsWith("unknown type \"refund\""));
    assertEquals(
        "missing loan_id; days_past_due must be a whole number, found string \"34\"",
        out.errorAt(11).reason());
  }

  @Test
  void shouldReportBadJsonWithoutQuotingDigits() throws IOException {
    String reason = error("{\"type\":\"cease_request\",\"requester\":8613900000002x}");

    assertTrue(reason.startsWith("not valid JSON (column "), reason);
    assertFalse(reason.contains("8613900000002"), reason);
  }

  @Test
  void shouldReportALineThatIsNotAnObject() throws IOException {
    assertEquals("expected a JSON object, found array", error("[1,2]"));
    assertEquals("expected a JSON object, found string", error("\"loan_opened\""));
  }

  @Test
  void shouldReportTwoObjectsOnOneLine() throws IOException {
    String reason =
        error(
            "{\"type\":\"loan_closed\","
                + COMMON
                + ",\"loan_id\":\"l\",\"reason\":\"SOLD\"} {\"type\":\"loan_closed\"}");

    assertTrue(reason.startsWith("not valid JSON"), reason);
  }

  @Test
  void shouldReportAKeyGivenTwice() throws IOException {
    String reason =
        error("{\"type\":\"loan_closed\"," + COMMON + ",\"loan_id\":\"a\",\"loan_id\":\"b\"}");

    assertTrue(reason.contains("Duplicate field 'loan_id'"), reason);
  }

  @Test
  void shouldReportAnUnknownTypeWithTheKnownOnes() throws IOException {
    assertEquals(
        "unknown type \"loan_sold\" (expected one of loan_opened, delinquency, loan_closed,"
            + " collector_number, collection_attempt, cease_request, application)",
        error("{\"type\":\"loan_sold\"," + COMMON + "}"));
  }

  @Test
  void shouldReportMissingCommonFields() throws IOException {
    assertEquals(
        "missing lender_id; missing at",
        error("{\"type\":\"loan_closed\",\"loan_id\":\"l\"," + "\"reason\":\"SOLD\"}"));
    assertEquals("missing type", error("{" + COMMON + "}"));
  }

  @Test
  void shouldReportATimeWithoutAnOffset() throws IOException {
    assertEquals(
        "at \"2024-07-26T10:00:00\" is not ISO-8601 with an offset"
            + " (e.g. 2024-07-26T10:00:00+08:00 or 2024-07-26T02:00:00Z)",
        error(
            "{\"type\":\"loan_closed\",\"lender_id\":\"L1\",\"at\":\"2024-07-26T10:00:00\","
                + "\"loan_id\":\"l\",\"reason\":\"SOLD\"}"));
  }

  @Test
  void shouldReportEveryBadEnumOfACollectionAttempt() throws IOException {
    String reason =
        error(
            "{\"type\":\"collection_attempt\","
                + COMMON
                + ",\"loan_id\":\"l\",\"channel\":\"EMAIL\",\"target\":\"+8613900000002\","
                + "\"target_role\":\"FRIEND\",\"outcome\":\"BUSY\"}");

    assertEquals(
        "unknown channel \"EMAIL\" (expected one of CALL, SMS, VISIT, OTHER); "
            + "unknown target_role \"FRIEND\" (expected one of BORROWER, EMERGENCY_CONTACT,"
            + " GUARANTOR, THIRD_PARTY, UNKNOWN); "
            + "unknown outcome \"BUSY\" (expected one of CONNECTED, NO_ANSWER, DELIVERED, FAILED)",
        reason);
  }

  @Test
  void shouldReportAnUnknownCloseReason() throws IOException {
    assertEquals(
        "unknown reason \"PAID\" (expected one of REPAID, WRITTEN_OFF, SOLD, OTHER)",
        error("{\"type\":\"loan_closed\"," + COMMON + ",\"loan_id\":\"l\",\"reason\":\"PAID\"}"));
  }

  @Test
  void shouldReportBadContactsWithTheirPosition() throws IOException {
    assertEquals(
        "unknown contacts[0].relation \"FRIEND\""
            + " (expected one of EMERGENCY, FAMILY, GUARANTOR, COLLEAGUE, OTHER); "
            + "missing contacts[1].number; contacts[2] must be an object, found string",
        error(
            "{\"type\":\"loan_opened\","
                + COMMON
                + ",\"loan_id\":\"l\",\"borrower\":\"+8618812345678\",\"contacts\":["
                + "{\"number\":\"+8613900000002\",\"relation\":\"FRIEND\"},"
                + "{\"relation\":\"FAMILY\"},\"+8613900000003\"]}"));
    assertEquals(
        "missing contacts (give [] for none)",
        error(
            "{\"type\":\"loan_opened\","
                + COMMON
                + ",\"loan_id\":\"l\",\"borrower\":\"+8618812345678\"}"));
  }

  @Test
  void shouldReportFieldsOfTheWrongJsonType() throws IOException {
    assertEquals(
        "loan_id must be a string, found number; days_past_due is negative (-3);"
            + " amount_overdue must be a number, found string \"12\"",
        error(
            "{\"type\":\"delinquency\","
                + COMMON
                + ",\"loan_id\":7,\"days_past_due\":-3,\"amount_overdue\":\"12\"}"));
    assertEquals(
        "days_past_due must be a whole number, found number 1.5",
        error("{\"type\":\"delinquency\"," + COMMON + ",\"loan_id\":\"l\",\"days_past_due\":1.5}"));
  }

  @Test
  void shouldReportAnEmptyNumberOrAJsonNullAsMissing() throws IOException {
    assertEquals(
        "requester is empty",
        error("{\"type\":\"cease_request\"," + COMMON + ",\"loan_id\":\"l\",\"requester\":\" \"}"));
    assertEquals(
        "missing requester",
        error("{\"type\":\"cease_request\"," + COMMON + ",\"loan_id\":\"l\",\"requester\":null}"));
  }

  @Test
  void shouldReportALineLongerThanTheLimitAndGoOn() throws IOException {
    LenderJsonlParser small = new LenderJsonlParser(new NumberNormalizer(), "CN", 200);
    Collected<LenderEvent> out = new Collected<>();
    String ok = "{\"type\":\"loan_closed\"," + COMMON + ",\"loan_id\":\"l\",\"reason\":\"SOLD\"}";
    small.parse(
        new StringReader("{\"x\":\"" + "y".repeat(500) + "\"}\r\n" + ok + "\r\n"),
        "big.jsonl",
        out.records::add,
        out.errors::add);

    assertEquals("line 1: line longer than 200 chars", out.errorMessages());
    assertEquals("big.jsonl:2", out.records.get(0).getEventId());
  }

  @Test
  void shouldReadCrlfLinesAndIgnoreAByteOrderMark() throws IOException {
    String closed =
        "{\"type\":\"loan_closed\"," + COMMON + ",\"loan_id\":\"l\",\"reason\":\"SOLD\"}";
    Collected<LenderEvent> out = parse("\uFEFF" + closed + "\r\n\r\n" + closed + "\r" + closed);

    assertEquals("", out.errorMessages());
    assertEquals(
        List.of("lender.jsonl:1", "lender.jsonl:3", "lender.jsonl:4"),
        out.records.stream().map(LenderEvent::getEventId).toList());
  }
}

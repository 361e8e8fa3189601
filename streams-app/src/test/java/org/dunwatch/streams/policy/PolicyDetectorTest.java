package org.dunwatch.streams.policy;

import static org.dunwatch.streams.testdata.LenderEvents.attempt;
import static org.dunwatch.streams.testdata.LenderEvents.cease;
import static org.dunwatch.streams.testdata.LenderEvents.collector;
import static org.dunwatch.streams.testdata.LenderEvents.delinquency;
import static org.dunwatch.streams.testdata.LenderEvents.loanOpened;
import static org.dunwatch.streams.testdata.LenderEvents.party;
import static org.dunwatch.streams.testdata.LenderEvents.senderId;
import static org.dunwatch.streams.testdata.LenderEvents.senderIdCollector;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.alert.AlertType;
import org.dunwatch.avro.alert.SubjectKind;
import org.dunwatch.avro.lender.AttemptChannel;
import org.dunwatch.avro.lender.AttemptOutcome;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.avro.lender.TargetRole;
import org.dunwatch.avro.telecom.CallOutcome;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.avro.telecom.SmsCategory;
import org.dunwatch.avro.telecom.SmsRecord;
import org.dunwatch.registry.MockSchemaRegistry;
import org.dunwatch.registry.RegistryConfig;
import org.dunwatch.registry.SchemaRegistryClient;
import org.dunwatch.schemas.Keys;
import org.dunwatch.schemas.TopicNames;
import org.dunwatch.schemas.Topics;
import org.dunwatch.streams.DunwatchTopology;
import org.dunwatch.streams.detect.IncidentIds;
import org.dunwatch.streams.rules.Rules;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy detectors in the whole topology, fed through the registry wire format. */
class PolicyDetectorTest {

  @TempDir Path stateDir;

  private static final String SCOPE = "policy-test";
  private static final String US_BORROWER = "+12125550101";
  private static final String US_SISTER = "+12125550102";
  private static final String US_AGENCY_A = "+12125550901";
  private static final String US_AGENCY_B = "+12125550902";
  private static final String CN_BORROWER = "+8618800000001";
  private static final String CN_SISTER = "+8618800000002";
  private static final String CN_STRANGER = "+8618800000003";
  private static final String CN_COLLECTOR = "+8617100000001";

  /** Monday 2 March 2026, 10:00 in New York (EST), 23:00 in Beijing. */
  private static final Instant MON = Instant.parse("2026-03-02T15:00:00Z");

  /** The same Monday, 10:00 in Beijing. */
  private static final Instant CN_MON = Instant.parse("2026-03-02T02:00:00Z");

  private TopologyTestDriver driver;
  private TestInputTopic<String, CallRecord> calls;
  private TestInputTopic<String, SmsRecord> sms;
  private TestInputTopic<String, LenderEvent> lender;
  private TestOutputTopic<String, Alert> alerts;
  private Instant latest = Instant.EPOCH;

  @BeforeEach
  void setUp() {
    start(Map.of());
  }

  /** Builds the driver, with {@code settings} added to the application's. */
  private void start(Map<String, String> settings) {
    Topics topics =
        Topics.create(
            TopicNames.defaults(),
            SchemaRegistryClient.create(RegistryConfig.of("mock://" + SCOPE)));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "policy-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    // a directory of its own: builds of two checkouts at once must not share RocksDB files
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.putAll(settings);
    driver = new TopologyTestDriver(DunwatchTopology.build(topics, Rules.defaults()), props);
    calls =
        driver.createInputTopic(
            topics.calls().name(),
            topics.calls().keySerde().serializer(),
            topics.calls().valueSerde().serializer());
    sms =
        driver.createInputTopic(
            topics.sms().name(),
            topics.sms().keySerde().serializer(),
            topics.sms().valueSerde().serializer());
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

  @AfterEach
  void tearDown() {
    driver.close();
    MockSchemaRegistry.drop(SCOPE);
  }

  private void send(LenderEvent e) {
    lender.pipeInput(Keys.of(e), e, e.getAt());
    seen(e.getAt());
  }

  private String call(String from, String to, Instant at, CallOutcome outcome, int talk) {
    String id = "call-" + to + "@" + at;
    CallRecord c = new CallRecord(id, "carrier", party(from), party(to), at, 5, talk, outcome);
    calls.pipeInput(Keys.of(c), c, at);
    seen(at);
    return id;
  }

  private String ring(String from, String to, Instant at) {
    return call(from, to, at, CallOutcome.NO_ANSWER, 0);
  }

  private void seen(Instant at) {
    if (at.isAfter(latest)) {
      latest = at;
    }
  }

  /** Moves stream time past every contact's join window with a call nobody collects on. */
  private List<Alert> settle() {
    ring("+8613900000000", "+8613900000001", latest.plus(Duration.ofMinutes(3)));
    return alerts.readValuesToList().stream()
        .filter(a -> a.getType() != AlertType.CALL_FLOOD)
        .toList();
  }

  private void usLoan() {
    send(loanOpened("L1", "loan-1", US_BORROWER, MON.minus(Duration.ofDays(60)), US_SISTER));
    send(collector("L1", "agency-A", US_AGENCY_A, MON.minus(Duration.ofDays(60))));
    send(collector("L1", "agency-B", US_AGENCY_B, MON.minus(Duration.ofDays(60))));
  }

  private void cnLoan(int daysPastDue) {
    send(loanOpened("L2", "loan-2", CN_BORROWER, CN_MON.minus(Duration.ofDays(90)), CN_SISTER));
    send(collector("L2", "agency-C", CN_COLLECTOR, CN_MON.minus(Duration.ofDays(90))));
    send(delinquency("L2", "loan-2", daysPastDue, CN_MON.minus(Duration.ofDays(1))));
  }

  /**
   * The sister is also the declared contact of a second borrower of L2, loan-4, 10 days past due
   * (reported after loan-2's facts: lender events older than the grace would be late).
   */
  private void sisterAlsoContactOfALoanTenDaysPastDue() {
    send(
        loanOpened(
            "L2", "loan-4", "+8613622223333", CN_MON.minus(Duration.ofHours(20)), CN_SISTER));
    send(delinquency("L2", "loan-4", 10, CN_MON.minus(Duration.ofHours(19))));
  }

  private static Instant day(int i) {
    return MON.plus(Duration.ofDays(i));
  }

  @Test
  void shouldKeepThePendingKeyFormatOfStoresAlreadyWritten() {
    for (long t : new long[] {-5, 0, 7, 1_721_952_000_000L, 9_999_999_999_999L}) {
      assertEquals(
          String.format("%013d/%s/%s", Math.max(0, t), "pn_ab", "c-1"),
          PolicyProcessor.pendingKey(t, "pn_ab", "c-1"));
    }
  }

  @Test
  void shouldNotAlertOnSevenCallsInSevenDaysToOneUsDebtor() {
    usLoan();
    for (int i = 0; i < 7; i++) {
      ring(US_AGENCY_A, US_BORROWER, day(i));
    }
    assertEquals(List.of(), settle());
  }

  @Test
  void shouldAlertOnceOnTheEighthCallInSevenDaysCitingRegulationF() {
    usLoan();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      ids.add(ring(US_AGENCY_A, US_BORROWER, day(i)));
    }
    ids.add(ring(US_AGENCY_A, US_BORROWER, day(6).plus(Duration.ofHours(2))));
    List<Alert> out = settle();
    assertEquals(1, out.size());
    Alert a = out.get(0);
    assertEquals(
        IncidentIds.alertId(
            AlertType.CONTACT_FREQUENCY,
            US_BORROWER + "|us.frequency.calls_7d|calls|L1|loan-1",
            day(0).toEpochMilli()),
        a.getAlertId());
    assertEquals(AlertType.CONTACT_FREQUENCY, a.getType());
    assertEquals("us.frequency.calls_7d", a.getRuleId());
    assertEquals(1, a.getRuleVersion());
    assertEquals("US", a.getJurisdiction());
    assertEquals(SubjectKind.AGENCY, a.getSubject().getKind());
    assertEquals("agency-A", a.getSubject().getId());
    assertEquals("L1", a.getLenderId());
    assertEquals("agency-A", a.getAgencyId());
    assertEquals("loan-1", a.getLoanId());
    assertEquals(US_BORROWER, a.getVictim());
    assertEquals(ids, a.getEvidence().getEventIds());
    assertEquals(8L, a.getEvidence().getTotal());
    assertEquals(
        Map.of("contacts", 8.0, "agencies", 1.0, "limit", 7.0, "days", 7.0), a.getMetrics());
    assertEquals(
        "8 calls in 7 days to one person about loan loan-1; Regulation F presumes more than 7 calls"
            + " in 7 days harassing (12 CFR 1006.14(b)(2)(i))",
        a.getExplanation());
    assertEquals(1, a.getRevision());
  }

  @Test
  void shouldAddUpTwoAgenciesOfOneLenderAndNameTheLender() {
    usLoan();
    for (int i = 0; i < 8; i++) {
      ring(
          i % 2 == 0 ? US_AGENCY_A : US_AGENCY_B,
          US_BORROWER,
          day(0).plus(Duration.ofMinutes(30L * i)));
    }
    List<Alert> out = settle();
    assertEquals(1, out.size());
    assertEquals(SubjectKind.LENDER, out.get(0).getSubject().getKind());
    assertEquals("L1", out.get(0).getSubject().getId());
    assertEquals(null, out.get(0).getAgencyId());
    assertEquals(2.0, out.get(0).getMetrics().get("agencies"));
    assertEquals(8L, out.get(0).getEvidence().getTotal());
  }

  @Test
  void shouldCountACallReportedByTheTelecomAndTheLenderOnce() {
    usLoan();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      ids.add(ring(US_AGENCY_A, US_BORROWER, day(i)));
    }
    // the lender reports the last of them, 90 s off the switch's clock
    send(
        attempt(
            "att-1",
            "L1",
            "agency-A",
            "loan-1",
            US_BORROWER,
            AttemptChannel.CALL,
            AttemptOutcome.NO_ANSWER,
            day(6).plusSeconds(90)));
    assertEquals(List.of(), settle());
    ids.add(ring(US_AGENCY_A, US_BORROWER, day(6).plus(Duration.ofHours(3))));
    List<Alert> out = settle();
    assertEquals(1, out.size());
    assertEquals(8L, out.get(0).getEvidence().getTotal());
    assertEquals(ids, out.get(0).getEvidence().getEventIds());
  }

  @Test
  void shouldReissueTheSameIncidentOnlyWhenItGrows() {
    usLoan();
    for (int i = 0; i < 9; i++) {
      ring(US_AGENCY_A, US_BORROWER, day(0).plus(Duration.ofMinutes(30L * i)));
    }
    List<Alert> out = settle();
    assertEquals(2, out.size());
    assertEquals(out.get(0).getAlertId(), out.get(1).getAlertId());
    assertEquals(List.of(1, 2), out.stream().map(Alert::getRevision).toList());
    assertEquals(List.of(8L, 9L), out.stream().map(a -> a.getEvidence().getTotal()).toList());
  }

  @Test
  void shouldAlertOnACallWithinSevenDaysAfterAConversation() {
    usLoan();
    call(US_AGENCY_A, US_BORROWER, day(0), CallOutcome.ANSWERED, 60);
    String next = ring(US_AGENCY_A, US_BORROWER, day(3));
    List<Alert> out = settle();
    assertEquals(1, out.size());
    assertEquals("us.frequency.after_conversation", out.get(0).getRuleId());
    assertEquals(List.of(next), out.get(0).getEvidence().getEventIds());
  }

  @Test
  void shouldHoldTheNewYorkCurfewAt2100OnBothSidesOfTheDaylightSavingChange() {
    usLoan();
    // Saturday 7 March 2026, EST (UTC-5); clocks go forward on Sunday 8 March
    ring(US_AGENCY_A, US_BORROWER, Instant.parse("2026-03-08T01:59:00Z")); // 20:59 EST
    String estLate = ring(US_AGENCY_A, US_BORROWER, Instant.parse("2026-03-08T02:00:00Z")); // 21:00
    // Monday 9 March 2026, EDT (UTC-4)
    ring(US_AGENCY_A, US_BORROWER, Instant.parse("2026-03-10T00:59:00Z")); // 20:59 EDT
    String edtLate = ring(US_AGENCY_A, US_BORROWER, Instant.parse("2026-03-10T01:00:00Z")); // 21:00
    List<Alert> out = settle();
    assertEquals(2, out.size());
    assertEquals(
        List.of(AlertType.OFF_HOURS_CONTACT, AlertType.OFF_HOURS_CONTACT),
        out.stream().map(Alert::getType).toList());
    assertEquals(
        List.of(List.of(estLate), List.of(edtLate)),
        out.stream().map(a -> a.getEvidence().getEventIds()).toList());
    assertEquals(
        "1 contact inside the 21:00–08:00 curfew at the recipient's local time (America/New_York),"
            + " the latest at 21:00 on 2026-03-07; Regulation F: no contact before 08:00 or after"
            + " 21:00 local time (12 CFR 1006.6(b)(1)(i))",
        out.get(0).getExplanation());
  }

  @Test
  void shouldAlertOnFourConnectedCallsADayToAChineseDebtorButNotThree() {
    cnLoan(10);
    for (int i = 0; i < 3; i++) {
      call(CN_COLLECTOR, CN_BORROWER, CN_MON.plus(Duration.ofHours(i)), CallOutcome.ANSWERED, 30);
    }
    assertEquals(List.of(), settle());
    call(CN_COLLECTOR, CN_BORROWER, CN_MON.plus(Duration.ofHours(5)), CallOutcome.ANSWERED, 30);
    List<Alert> out = settle();
    assertEquals(1, out.size());
    assertEquals("cn.frequency.connected_daily", out.get(0).getRuleId());
    assertEquals("CN", out.get(0).getJurisdiction());
    assertEquals(4L, out.get(0).getEvidence().getTotal());
  }

  @Test
  void shouldAlertOnSevenUnansweredCallsADayButNotSix() {
    cnLoan(10);
    for (int i = 0; i < 6; i++) {
      ring(CN_COLLECTOR, CN_BORROWER, CN_MON.plus(Duration.ofHours(i)));
    }
    assertEquals(List.of(), settle());
    ring(CN_COLLECTOR, CN_BORROWER, CN_MON.plus(Duration.ofHours(7)));
    List<Alert> out = settle();
    assertEquals(1, out.size());
    assertEquals("cn.frequency.unanswered_daily", out.get(0).getRuleId());
  }

  @Test
  void shouldTellADeclaredContactFromAnUndeclaredOneBeforeTheThreshold() {
    cnLoan(34);
    send(
        attempt(
            "att-s",
            "L2",
            null,
            "loan-2",
            CN_SISTER,
            AttemptChannel.CALL,
            AttemptOutcome.CONNECTED,
            CN_MON));
    send(
        attempt(
            "att-x",
            "L2",
            null,
            "loan-2",
            CN_STRANGER,
            AttemptChannel.CALL,
            AttemptOutcome.CONNECTED,
            CN_MON.plusSeconds(60)));
    List<Alert> out = settle();
    assertEquals(2, out.size());
    assertEquals(
        List.of(AlertType.THIRD_PARTY_CONTACT, AlertType.THIRD_PARTY_CONTACT),
        out.stream().map(Alert::getType).toList());
    assertEquals(List.of(CN_SISTER, CN_STRANGER), out.stream().map(Alert::getVictim).toList());
    assertEquals(
        "1 contact to a declared contact (FAMILY) of loan loan-2 at 34 days past due, before 60;"
            + " NIFA 2024 guideline: contacts only when the debtor cannot be reached; policy"
            + " threshold 60 days past due",
        out.get(0).getExplanation());
    assertEquals(
        List.of("cn.third_party.before_threshold", "cn.third_party.undeclared"),
        out.stream().map(Alert::getRuleId).toList());
    assertEquals(
        "1 contact to an undeclared third party of loan loan-2 at 34 days past due;"
            + " NIFA 2024 guideline: collection only from the debtor and the contacts the debtor"
            + " declared",
        out.get(1).getExplanation());
  }

  /**
   * Report 001 (Huabei): the loan at 34 days past due declares no contacts; two days later the
   * lender's registered number calls a relation found through a delivery address, the call is
   * connected, and the lender reports it naming that person a third party.
   */
  @Test
  void shouldFlagTheLendersConnectedCallToAnUndeclaredRelationWhateverTheDaysPastDue() {
    Instant opened = CN_MON.minus(Duration.ofDays(90));
    send(loanOpened("L2", "loan-h", CN_BORROWER, opened));
    send(collector("L2", null, CN_COLLECTOR, opened));
    send(delinquency("L2", "loan-h", 34, CN_MON.minus(Duration.ofDays(2))));
    Instant at = CN_MON.plus(Duration.ofHours(4));
    String callId = call(CN_COLLECTOR, CN_STRANGER, at, CallOutcome.ANSWERED, 95);
    send(
        attempt(
            "att-h",
            "L2",
            null,
            "loan-h",
            CN_STRANGER,
            AttemptChannel.CALL,
            AttemptOutcome.CONNECTED,
            at.plusSeconds(40),
            TargetRole.THIRD_PARTY));

    List<Alert> out = settle();

    assertEquals(1, out.size(), "one contact, one incident: " + out);
    Alert a = out.get(0);
    assertEquals(AlertType.THIRD_PARTY_CONTACT, a.getType());
    assertEquals("cn.third_party.undeclared", a.getRuleId());
    assertEquals(CN_STRANGER, a.getVictim());
    assertEquals("L2", a.getLenderId());
    assertEquals(List.of(callId), a.getEvidence().getEventIds(), "counted once");
  }

  /**
   * A lender's registered number calls someone on none of its loans, connected, and the lender
   * reports nothing: an applicant's follow-up looks the same, so without a report naming a loan the
   * call is not judged collection from an undeclared person.
   */
  @Test
  void shouldNotFlagAConnectedCallToSomeoneOnNoLoanThatNoLenderReportNames() {
    Instant opened = CN_MON.minus(Duration.ofDays(90));
    send(loanOpened("L2", "loan-h", CN_BORROWER, opened));
    send(collector("L2", null, CN_COLLECTOR, opened));
    send(delinquency("L2", "loan-h", 34, CN_MON.minus(Duration.ofDays(2))));
    call(CN_COLLECTOR, CN_STRANGER, CN_MON.plus(Duration.ofHours(4)), CallOutcome.ANSWERED, 95);

    assertEquals(List.of(), settle());
  }

  @Test
  void shouldNotCallAnyoneAnUndeclaredThirdPartyOfALoanNobodyReportedOpening() {
    send(collector("L2", null, CN_COLLECTOR, CN_MON.minus(Duration.ofDays(90))));
    send(
        attempt(
            "att-u",
            "L2",
            null,
            "loan-unknown",
            CN_STRANGER,
            AttemptChannel.CALL,
            AttemptOutcome.CONNECTED,
            CN_MON,
            TargetRole.THIRD_PARTY));
    assertEquals(List.of(), settle(), "the recipient may be that loan's borrower");
  }

  @Test
  void shouldJudgeTheLendersReportOfACallTheTelecomSawFirstAgainstTheLoanItNames() {
    cnLoan(34);
    // unanswered: alone, a ring to a number on none of L2's loans says nothing
    ring(CN_COLLECTOR, CN_STRANGER, CN_MON);
    assertEquals(List.of(), settle());
    send(
        attempt(
            "att-r",
            "L2",
            null,
            "loan-2",
            CN_STRANGER,
            AttemptChannel.CALL,
            AttemptOutcome.NO_ANSWER,
            CN_MON.plusSeconds(30),
            TargetRole.THIRD_PARTY));
    List<Alert> out = settle();
    assertEquals(List.of("loan-2"), out.stream().map(Alert::getLoanId).toList());
    assertEquals("cn.third_party.undeclared", out.get(0).getRuleId());
  }

  /**
   * Report 000: the lender's registered SMS sender, a 1069 service number, texts a person who is
   * neither borrower nor declared contact about a borrower 10 days past due.
   */
  @Test
  void shouldFlagAMessageFromTheLendersRegisteredSenderIdToAStranger() {
    String sender = "1069055500001";
    Instant registered = CN_MON.minus(Duration.ofDays(30));
    send(loanOpened("L2", "loan-s", CN_BORROWER, CN_MON.minus(Duration.ofDays(45)), CN_SISTER));
    send(senderIdCollector("L2", sender, registered));
    send(delinquency("L2", "loan-s", 10, CN_MON.minus(Duration.ofHours(3))));
    SmsRecord m =
        new SmsRecord(
            "sms-000",
            "CMCC",
            senderId(sender),
            party(CN_STRANGER),
            CN_MON,
            SmsCategory.UNKNOWN,
            "您的亲友谭正188****0001在闪借严重逾期2187.00元,作为紧急联系人请督促其马上还款");
    sms.pipeInput(Keys.of(m), m, CN_MON);
    seen(CN_MON);

    List<Alert> all = settleAll();

    Alert contact = only(all, AlertType.THIRD_PARTY_CONTACT);
    assertEquals("cn.third_party.undeclared", contact.getRuleId());
    assertEquals("L2", contact.getLenderId());
    assertEquals(CN_STRANGER, contact.getVictim());
    Alert disclosure = only(all, AlertType.THIRD_PARTY_DISCLOSURE);
    assertEquals("L2", disclosure.getLenderId(), "the sender id is the lender's");
    assertEquals(sender, disclosure.getSubject().getId());
  }

  @Test
  void shouldWaitForADelinquencyReportStampedALittleAfterTheContact() {
    send(loanOpened("L2", "loan-2", CN_BORROWER, CN_MON.minus(Duration.ofDays(90)), CN_SISTER));
    send(collector("L2", "agency-C", CN_COLLECTOR, CN_MON.minus(Duration.ofDays(90))));
    ring(CN_COLLECTOR, CN_SISTER, CN_MON);
    assertEquals(List.of(), settle(), "no days past due known yet: the threshold waits");
    // the day's report, stamped an hour after the call: 61 days past due
    send(delinquency("L2", "loan-2", 61, CN_MON.plus(Duration.ofHours(1))));
    ring("+8613900000000", "+8613900000001", CN_MON.plus(Duration.ofHours(7)));
    assertEquals(List.of(), settle(), "judged at 61 days past due: lawful");
  }

  @Test
  void shouldJudgeAContactWithNoDelinquencyReportWithinTheWaitAsCurrent() {
    send(loanOpened("L2", "loan-2", CN_BORROWER, CN_MON.minus(Duration.ofDays(90)), CN_SISTER));
    send(collector("L2", "agency-C", CN_COLLECTOR, CN_MON.minus(Duration.ofDays(90))));
    String id = ring(CN_COLLECTOR, CN_SISTER, CN_MON);
    assertEquals(List.of(), settle());
    // a report a day later is not about the call's time
    send(delinquency("L2", "loan-2", 61, CN_MON.plus(Duration.ofDays(1))));
    List<Alert> out = settle();
    assertEquals(1, out.size());
    assertEquals("cn.third_party.before_threshold", out.get(0).getRuleId());
    assertEquals(0.0, out.get(0).getMetrics().get("days_past_due"));
    assertEquals(List.of(id), out.get(0).getEvidence().getEventIds());
  }

  private List<Alert> settleAll() {
    ring("+8613900000000", "+8613900000001", latest.plus(Duration.ofMinutes(3)));
    return alerts.readValuesToList();
  }

  private static Alert only(List<Alert> alerts, AlertType type) {
    List<Alert> of = alerts.stream().filter(a -> a.getType() == type).toList();
    assertEquals(1, of.size(), type + " in " + alerts);
    return of.get(0);
  }

  @Test
  void shouldNotTreatACallToTheLendersOwnBorrowerAsThirdPartyContactAboutAnotherLoan() {
    cnLoan(34);
    // the sister took a loan of her own with L2 yesterday
    send(loanOpened("L2", "loan-3", CN_SISTER, CN_MON.minus(Duration.ofHours(20))));
    ring(CN_COLLECTOR, CN_SISTER, CN_MON);
    assertEquals(List.of(), settle(), "about her own debt, not her brother's");
    ring(CN_COLLECTOR, "+8613911112222", CN_MON.plusSeconds(600));
    assertEquals(List.of(), settle(), "a stranger on no loan: no loan to judge");
  }

  @Test
  void shouldNotFlagACallNamingNoLoanWhenItMayBeAboutALoanPastTheThreshold() {
    cnLoan(60);
    sisterAlsoContactOfALoanTenDaysPastDue();
    ring(CN_COLLECTOR, CN_SISTER, CN_MON);
    assertEquals(List.of(), settle(), "may be about loan-2, at 60 days: lawful");

    // a lender's report names the loan: about loan-4, at 10 days, it is before the threshold
    send(
        attempt(
            "att-4",
            "L2",
            null,
            "loan-4",
            CN_SISTER,
            AttemptChannel.CALL,
            AttemptOutcome.CONNECTED,
            CN_MON.plusSeconds(3600)));
    List<Alert> out = settle();
    assertEquals(List.of(AlertType.THIRD_PARTY_CONTACT), out.stream().map(Alert::getType).toList());
    assertEquals("loan-4", out.get(0).getLoanId());
  }

  @Test
  void shouldFlagACallNamingNoLoanThatIsBeforeTheThresholdForEveryLoanItMayBeAbout() {
    cnLoan(34);
    sisterAlsoContactOfALoanTenDaysPastDue();
    ring(CN_COLLECTOR, CN_SISTER, CN_MON);
    List<Alert> out = settle();
    assertEquals(List.of("loan-2", "loan-4"), out.stream().map(Alert::getLoanId).sorted().toList());
    assertEquals(
        List.of(AlertType.THIRD_PARTY_CONTACT, AlertType.THIRD_PARTY_CONTACT),
        out.stream().map(Alert::getType).toList());
  }

  @Test
  void shouldNotAlertOnAThirdPartyContactAtTheThreshold() {
    cnLoan(60);
    ring(CN_COLLECTOR, CN_SISTER, CN_MON);
    assertEquals(List.of(), settle());
  }

  @Test
  void shouldAlertOnTheSecondContactWithTheSameUsThirdPartyNotTheFirst() {
    usLoan();
    ring(US_AGENCY_A, US_SISTER, day(0));
    assertEquals(List.of(), settle());
    ring(US_AGENCY_A, US_SISTER, day(1));
    List<Alert> out = settle();
    assertEquals(1, out.size());
    assertEquals("us.third_party.repeat", out.get(0).getRuleId());
  }

  @Test
  void shouldAlertOnAContactAfterACeaseRequestNotBefore() {
    usLoan();
    ring(US_AGENCY_A, US_BORROWER, day(0));
    send(cease("L1", "loan-1", US_BORROWER, day(0).plus(Duration.ofHours(1))));
    String after = ring(US_AGENCY_A, US_BORROWER, day(1));
    List<Alert> out = settle();
    assertEquals(1, out.size());
    assertEquals(AlertType.CONTACT_AFTER_CEASE, out.get(0).getType());
    assertEquals("us.cease", out.get(0).getRuleId());
    assertEquals(List.of(after), out.get(0).getEvidence().getEventIds());
  }

  @Test
  void shouldJudgeACallAgainstACeaseRequestThatArrivesAfterItWithinTheJoinWindow() {
    usLoan();
    String late = ring(US_AGENCY_A, US_BORROWER, day(0));
    // reported at 09:50, before the 10:00 call, but it reaches the pipeline after the call
    send(cease("L1", "loan-1", US_BORROWER, day(0).minus(Duration.ofMinutes(10))));
    List<Alert> out = settle();
    assertEquals(1, out.size());
    assertEquals(AlertType.CONTACT_AFTER_CEASE, out.get(0).getType());
    assertEquals(List.of(late), out.get(0).getEvidence().getEventIds());
  }

  /** The driver again, with the half-second wall-clock hold the service runs with. */
  private void restartWithHold() {
    driver.close();
    start(Map.of(PolicyDetector.HOLD_CONFIG, String.valueOf(HOLD.toMillis())));
  }

  private static final Duration HOLD = Duration.ofMillis(500);

  @Test
  void shouldJudgeAContactOnADelinquencyThatArrivesAfterItsJoinWindowWithinTheWallClockHold() {
    restartWithHold();
    cnLoan(59);
    ring(CN_COLLECTOR, CN_SISTER, CN_MON);
    assertEquals(List.of(), settle(), "stream time is past the join window, the hold is not");
    // the day's report, 60 days past due from a minute before the call, comes in now
    send(delinquency("L2", "loan-2", 60, CN_MON.minus(Duration.ofMinutes(1))));
    driver.advanceWallClockTime(HOLD);

    assertEquals(List.of(), settle(), "at the threshold, not before it");
  }

  @Test
  void shouldJudgeAContactOnWhatIsKnownWhenItsJoinWindowPassesWithoutAHold() {
    cnLoan(59);
    ring(CN_COLLECTOR, CN_SISTER, CN_MON);
    List<Alert> out = settle();
    send(delinquency("L2", "loan-2", 60, CN_MON.minus(Duration.ofMinutes(1))));
    driver.advanceWallClockTime(HOLD);

    assertEquals(1, out.size(), "judged at 59 days past due");
    assertEquals(AlertType.THIRD_PARTY_CONTACT, out.get(0).getType());
    assertEquals(List.of(), settle());
  }

  @Test
  void shouldReleaseAHeldContactOnTheWallClockWithoutFurtherRecords() {
    restartWithHold();
    cnLoan(10);
    ring(CN_COLLECTOR, CN_SISTER, CN_MON);
    assertEquals(List.of(), settle());

    driver.advanceWallClockTime(HOLD);
    List<Alert> out =
        alerts.readValuesToList().stream()
            .filter(a -> a.getType() != AlertType.CALL_FLOOD)
            .toList();

    assertEquals(1, out.size());
    assertEquals(AlertType.THIRD_PARTY_CONTACT, out.get(0).getType());
  }

  @Test
  void shouldReadTheHoldAsMillisecondsAndRefuseAnythingElse() {
    assertEquals(0, PolicyDetector.holdMs(null));
    assertEquals(500, PolicyDetector.holdMs(" 500 "));
    for (String bad : List.of("soon", "-1")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> PolicyDetector.holdMs(bad));
      assertTrue(e.getMessage().contains(PolicyDetector.HOLD_CONFIG), e.getMessage());
    }
  }

  @Test
  void shouldAlertOnACollectionSmsInTheChineseCurfewThroughTheWholeTopology() {
    cnLoan(10);
    Instant night = Instant.parse("2026-03-02T15:30:00Z"); // 23:30 in Beijing
    SmsRecord m =
        new SmsRecord(
            "sms-1",
            "carrier",
            party(CN_COLLECTOR),
            party(CN_BORROWER),
            night,
            SmsCategory.NOTIFICATION,
            "please repay");
    sms.pipeInput(Keys.of(m), m, night);
    seen(night);
    List<Alert> out = settle();
    assertEquals(1, out.size());
    assertEquals(AlertType.OFF_HOURS_CONTACT, out.get(0).getType());
    assertEquals("cn.curfew", out.get(0).getRuleId());
    assertEquals(List.of("sms-1"), out.get(0).getEvidence().getEventIds());
    assertEquals(SubjectKind.AGENCY, out.get(0).getSubject().getKind());
  }

  @Test
  void shouldUseTheDefaultZoneForAnUntrustedOne() {
    PolicyRule.Pack us = PolicyRule.defaults().packs().get("us");
    assertEquals("America/New_York", PolicyProcessor.zoneOf("America/Adak", us).getId());
    assertEquals("America/New_York", PolicyProcessor.zoneOf(null, us).getId());
    assertEquals("America/Chicago", PolicyProcessor.zoneOf("America/Chicago", us).getId());
  }
}

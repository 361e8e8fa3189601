package org.dunwatch.streams.behaviour;

import static org.dunwatch.streams.testdata.CallBuilder.T0;
import static org.dunwatch.streams.testdata.CallBuilder.call;
import static org.dunwatch.streams.testdata.LenderEvents.attempt;
import static org.dunwatch.streams.testdata.LenderEvents.collector;
import static org.dunwatch.streams.testdata.LenderEvents.loanOpened;
import static org.dunwatch.streams.testdata.SmsBuilder.sms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.alert.AlertType;
import org.dunwatch.avro.alert.Severity;
import org.dunwatch.avro.alert.SubjectKind;
import org.dunwatch.avro.lender.AttemptChannel;
import org.dunwatch.avro.lender.AttemptOutcome;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.streams.detect.IncidentIds;
import org.dunwatch.streams.rules.RuleException;
import org.dunwatch.streams.rules.Rules;
import org.dunwatch.streams.state.WrongPartyContact;
import org.dunwatch.streams.state.WrongPartyState;
import org.dunwatch.streams.testdata.CallBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WRONG_PARTY end to end: lender reference data, a month of ordinary calls for the circles, then
 * collectors (calls, SMS and the attempts their lenders report) pursuing a number.
 */
class WrongPartyDetectorTest {

  /** Mr. Jiang's bakery (seed 004): nobody's borrower, nobody's contact. */
  private static final String SHOP = "+8613900000099";

  private static final String SUPPLIER = "+8613900000001";
  private static final String MOTHER = "+8613500000001";
  private static final Instant OPENED = T0.minus(Duration.ofDays(40));
  private static final Instant REGISTERED = T0.minus(Duration.ofDays(35));

  @TempDir Path stateDir;
  private final List<BehaviourHarness> harnesses = new ArrayList<>();

  @AfterEach
  void close() {
    harnesses.forEach(BehaviourHarness::close);
  }

  private BehaviourHarness start() {
    BehaviourHarness h =
        new BehaviourHarness(Rules.defaults(), stateDir.resolve("d" + harnesses.size()));
    harnesses.add(h);
    return h;
  }

  static String lender(int i) {
    return "lender-" + i;
  }

  static String loan(int i) {
    return "loan-" + i;
  }

  static String borrower(int i) {
    return String.format("+86158000000%02d", i);
  }

  static String collectorNumber(int i) {
    return String.format("+86171000000%02d", i);
  }

  /** Loan {@code i} of lender {@code i} to borrower {@code i}, and lender {@code i}'s collector. */
  private static void lenders(BehaviourHarness h, int count, String... contacts) {
    for (int i = 1; i <= count; i++) {
      h.lender(loanOpened(lender(i), loan(i), borrower(i), OPENED, contacts));
    }
    registerCollectors(h, count);
  }

  /** Lender events are in event time order: the loans first, then the collectors. */
  private static void registerCollectors(BehaviourHarness h, int count) {
    for (int i = 1; i <= count; i++) {
      h.lender(collector(lender(i), "agency-" + i, collectorNumber(i), REGISTERED));
    }
  }

  private static LenderEvent attemptTo(String target, int lender, String id, Instant at) {
    return attempt(
        id,
        lender(lender),
        "agency-" + lender,
        loan(lender),
        target,
        AttemptChannel.CALL,
        AttemptOutcome.NO_ANSWER,
        at);
  }

  /** 28 days before T0: {@code a} and {@code b} talk every day. */
  private static List<CallBuilder> talkDaily(String a, String b) {
    List<CallBuilder> calls = new ArrayList<>();
    for (int d = 0; d < 28; d++) {
      Instant day = T0.minus(Duration.ofDays(28 - d));
      calls.add(call(d % 2 == 0 ? a : b, d % 2 == 0 ? b : a).at(day).answered(120));
    }
    return calls;
  }

  private static Instant days(double d) {
    return T0.plus(Duration.ofMinutes((long) (d * 24 * 60)));
  }

  @Test
  void shouldAlertOnceAndGrowAsLendersJoinPursuingAShopOwnerForStrangersDebts() {
    BehaviourHarness h = start();
    lenders(h, 4, MOTHER);
    h.calls(talkDaily(SHOP, SUPPLIER));
    for (int i = 1; i <= 4; i++) {
      h.calls(talkDaily(borrower(i), MOTHER));
    }
    assertEquals(List.of(), h.alerts());

    // lender 1's collector calls: whose debt is unknown, so alone it alerts nothing
    h.calls(
        List.of(
            call(collectorNumber(1), SHOP).at(T0).id("call-1a").unanswered(),
            call(collectorNumber(1), SHOP).at(days(0.5)).id("call-1b").answered(20)));
    assertEquals(List.of(), h.alerts());
    WrongPartyState early = h.<WrongPartyState>store(WrongPartyDetector.STORE).get(SHOP);
    assertEquals(2, early.getContacts().size());
    assertNull(early.getContacts().get(0).getLoanId());
    assertNull(early.getIncident());

    // lender 1 reports one of those attempts: a loan whose borrower the shop never called
    h.lender(attemptTo(SHOP, 1, "att-1", days(0.6)));
    assertEquals(List.of(), h.alerts(), "one lender, one borrower, one contact about the loan");

    // a second platform's collector texts: with a stranger's loan on file, a second lender counts
    h.sms(sms(collectorNumber(2), SHOP).at(days(1)).id("sms-2").notification("请尽快还款"));
    List<Alert> first = h.alerts();
    assertEquals(1, first.size());
    Alert a = first.get(0);
    String id = IncidentIds.alertId(AlertType.WRONG_PARTY, SHOP, T0.toEpochMilli());
    assertEquals(id, a.getAlertId());
    assertEquals(AlertType.WRONG_PARTY, a.getType());
    assertEquals("wrong_party.number", a.getRuleId());
    assertEquals(2, a.getRuleVersion());
    assertEquals(Severity.MEDIUM, a.getSeverity());
    assertEquals("CN", a.getJurisdiction());
    assertEquals(SubjectKind.LENDER, a.getSubject().getKind());
    assertEquals("lender-1", a.getSubject().getId(), "3 contacts against 1");
    assertEquals(SHOP, a.getVictim());
    assertEquals("lender-1", a.getLenderId());
    assertEquals("agency-1", a.getAgencyId());
    assertEquals("loan-1", a.getLoanId(), "the one loan on file");
    assertEquals(T0, a.getWindowStart());
    assertEquals(days(1), a.getWindowEnd());
    assertEquals(days(1), a.getTriggeredAt());
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("contacts", 4.0);
    metrics.put("lenders", 2.0);
    metrics.put("borrowers", 1.0);
    metrics.put("loans", 1.0);
    metrics.put("declared_loans", 0.0);
    metrics.put("max_contacts_per_loan", 1.0);
    metrics.put("unattributed_contacts", 3.0);
    metrics.put("lender.lender-1", 3.0);
    metrics.put("lender.lender-2", 1.0);
    assertEquals(metrics, a.getMetrics());
    assertEquals(List.of("call-1a", "call-1b", "att-1", "sms-2"), a.getEvidence().getEventIds());
    assertEquals(4L, a.getEvidence().getTotal());
    assertEquals(1, a.getRevision());
    assertEquals(
        "4 collection contacts in 30 days from 2 lenders (lender-1 3, lender-2 1) about debts"
            + " this number has no tie to: 1 loan of 1 borrower (lender-1/loan-1); 3 of the"
            + " contacts, from registered collectors, named no loan on file",
        a.getExplanation());

    // the second platform reports its attempt: a second stranger's loan, same incident
    h.lender(attemptTo(SHOP, 2, "att-2", days(1.1)));
    List<Alert> second = h.alerts();
    assertEquals(1, second.size());
    Alert b = second.get(0);
    assertEquals(id, b.getAlertId());
    assertEquals(2, b.getRevision());
    assertEquals(Severity.MEDIUM, b.getSeverity());
    assertEquals("lender-1", b.getSubject().getId());
    assertNull(b.getLoanId(), "two loans");
    assertEquals(5.0, b.getMetrics().get("contacts"));
    assertEquals(2.0, b.getMetrics().get("borrowers"));
    assertEquals(2.0, b.getMetrics().get("loans"));
    assertEquals(2.0, b.getMetrics().get("lender.lender-2"));

    // a third platform joins: re-issued, same id
    h.lender(attemptTo(SHOP, 3, "att-3", days(2)));
    List<Alert> third = h.alerts();
    assertEquals(1, third.size());
    assertEquals(id, third.get(0).getAlertId());
    assertEquals(3, third.get(0).getRevision());
    assertEquals(Severity.MEDIUM, third.get(0).getSeverity());
    assertEquals(3.0, third.get(0).getMetrics().get("lenders"));
    assertEquals(3.0, third.get(0).getMetrics().get("borrowers"));

    // more of the same lenders and loans: nothing new to say
    h.lender(attemptTo(SHOP, 2, "att-2b", days(3)));
    h.calls(List.of(call(collectorNumber(3), SHOP).at(days(3.5)).id("call-3").ringOnly()));
    assertEquals(List.of(), h.alerts());

    // the fourth: twice the threshold of lenders and of borrowers
    h.lender(attemptTo(SHOP, 4, "att-4", days(4)));
    List<Alert> fourth = h.alerts();
    assertEquals(1, fourth.size());
    Alert c = fourth.get(0);
    assertEquals(id, c.getAlertId());
    assertEquals(4, c.getRevision());
    assertEquals(Severity.HIGH, c.getSeverity());
    assertEquals(4.0, c.getMetrics().get("lenders"));
    assertEquals(9.0, c.getMetrics().get("contacts"));
    assertEquals(2.0, c.getMetrics().get("max_contacts_per_loan"));
    assertEquals(4.0, c.getMetrics().get("unattributed_contacts"));
    assertEquals(
        List.of(
            "call-1a", "call-1b", "att-1", "sms-2", "att-2", "att-3", "att-2b", "call-3", "att-4"),
        c.getEvidence().getEventIds());
    assertEquals(
        "9 collection contacts in 30 days from 4 lenders (lender-1 3, lender-2 3, lender-3 2,"
            + " lender-4 1) about debts this number has no tie to: 4 loans of 4 borrowers"
            + " (lender-1/loan-1, lender-2/loan-2, lender-3/loan-3, lender-4/loan-4); 4 of the"
            + " contacts, from registered collectors, named no loan on file",
        c.getExplanation());
    assertEquals("lender-2", c.getSubject().getId(), "tied at 3 with lender-1, contacted last");

    WrongPartyState state = h.<WrongPartyState>store(WrongPartyDetector.STORE).get(SHOP);
    assertEquals(9, state.getContacts().size());
    assertEquals(id, state.getIncident().getAlertId());
    assertEquals(4, state.getIncident().getAlertedLenders());
    assertEquals(
        List.of("lender-1", "lender-1", "lender-1", "lender-2", "lender-2"),
        state.getContacts().subList(0, 5).stream().map(WrongPartyContact::getLenderId).toList());
  }

  @Test
  void shouldNotAlertWhenTheBorrowerHimselfIsPursuedByEveryLender() {
    BehaviourHarness h = start();
    for (int i = 1; i <= 3; i++) {
      h.lender(loanOpened(lender(i), loan(i), borrower(1), OPENED, MOTHER));
    }
    registerCollectors(h, 3);
    for (int i = 1; i <= 3; i++) {
      for (int k = 0; k < 4; k++) {
        Instant at = days(i + k * 0.1);
        h.calls(List.of(call(collectorNumber(i), borrower(1)).at(at).unanswered()));
        h.lender(attemptTo(borrower(1), i, "att-" + i + "-" + k, at.plusSeconds(60)));
      }
    }
    assertEquals(List.of(), h.alerts());
    assertNull(h.<WrongPartyState>store(WrongPartyDetector.STORE).get(borrower(1)));
  }

  @Test
  void shouldNotAlertOnADeclaredContactWhoIsInTheBorrowersCircle() {
    BehaviourHarness h = start();
    lenders(h, 1, MOTHER);
    h.calls(talkDaily(borrower(1), MOTHER));
    for (int k = 0; k < 6; k++) {
      h.calls(List.of(call(collectorNumber(1), MOTHER).at(days(k * 0.5)).unanswered()));
      h.lender(attemptTo(MOTHER, 1, "att-" + k, days(k * 0.5 + 0.01)));
    }
    assertEquals(List.of(), h.alerts());
    assertNull(h.<WrongPartyState>store(WrongPartyDetector.STORE).get(MOTHER));
  }

  @Test
  void shouldNotAlertOnANumberDeclaredOnSeveralLoansThatIsInRegularTouchWithTheBorrower() {
    BehaviourHarness h = start();
    for (int i = 1; i <= 3; i++) {
      h.lender(loanOpened(lender(i), loan(i), borrower(1), OPENED, MOTHER));
    }
    registerCollectors(h, 3);
    h.calls(talkDaily(borrower(1), MOTHER));
    for (int i = 1; i <= 3; i++) {
      h.calls(List.of(call(collectorNumber(i), MOTHER).at(days(i)).unanswered()));
      h.lender(attemptTo(MOTHER, i, "att-" + i, days(i + 0.01)));
    }
    assertEquals(List.of(), h.alerts());
    assertNull(h.<WrongPartyState>store(WrongPartyDetector.STORE).get(MOTHER));
  }

  /** Seed 4242 of the eval: a declared contact of two loans of two lenders, called lawfully. */
  @Test
  void shouldNotAlertOnADeclaredContactCalledOnceEachByTheLendersOfTwoLoans() {
    BehaviourHarness h = start();
    for (int i = 1; i <= 2; i++) {
      h.lender(loanOpened(lender(i), loan(i), borrower(i), OPENED, SHOP));
    }
    registerCollectors(h, 2);
    h.calls(talkDaily(SHOP, SUPPLIER));
    h.calls(List.of(call(collectorNumber(1), SHOP).at(T0).id("call-1").unanswered()));
    h.calls(List.of(call(collectorNumber(2), SHOP).at(days(1)).id("call-2").unanswered()));
    assertEquals(List.of(), h.alerts());
  }

  @Test
  void shouldAlertOnANumberDeclaredOnLoansOfThreeLendersThatNeverCalledTheBorrower() {
    BehaviourHarness h = start();
    for (int i = 1; i <= 3; i++) {
      h.lender(loanOpened(lender(i), loan(i), borrower(1), OPENED, SHOP));
    }
    registerCollectors(h, 3);
    h.calls(talkDaily(SHOP, SUPPLIER));
    h.calls(List.of(call(collectorNumber(1), SHOP).at(T0).id("call-1").unanswered()));
    h.calls(List.of(call(collectorNumber(2), SHOP).at(days(1)).id("call-2").unanswered()));
    assertEquals(List.of(), h.alerts(), "declared on two lenders' loans: not yet pursuit");
    h.calls(List.of(call(collectorNumber(3), SHOP).at(days(2)).id("call-3").unanswered()));
    List<Alert> alerts = h.alerts();
    assertEquals(1, alerts.size());
    Alert a = alerts.get(0);
    assertEquals(Severity.MEDIUM, a.getSeverity());
    assertEquals(SHOP, a.getVictim());
    assertEquals("lender-3", a.getSubject().getId());
    assertEquals(3.0, a.getMetrics().get("declared_loans"));
    assertEquals(1.0, a.getMetrics().get("borrowers"));
    assertEquals(List.of("call-1", "call-2", "call-3"), a.getEvidence().getEventIds());
    assertEquals(
        "3 collection contacts in 30 days from 3 lenders (lender-1 1, lender-2 1, lender-3 1)"
            + " about debts this number has no tie to: 3 loans of 1 borrower (lender-1/loan-1,"
            + " lender-2/loan-2, lender-3/loan-3); declared as a contact on 3 of the loans, yet"
            + " never in touch with the borrower",
        a.getExplanation());
  }

  @Test
  void shouldNotAlertOnADeclaredContactOfTwoBorrowersOfOneLenderCalledByThatLender() {
    BehaviourHarness h = start();
    // one lender's two borrowers both gave the shop as their emergency contact: that lender's
    // business, and the ties may simply be older than the circle window
    h.lender(loanOpened(lender(1), loan(1), borrower(1), OPENED, SHOP));
    h.lender(loanOpened(lender(1), loan(2), borrower(2), OPENED, SHOP));
    registerCollectors(h, 1);
    h.calls(talkDaily(SHOP, SUPPLIER));
    h.calls(List.of(call(collectorNumber(1), SHOP).at(T0).id("call-1").unanswered()));
    h.calls(List.of(call(collectorNumber(1), SHOP).at(days(1)).id("call-2").unanswered()));
    assertEquals(List.of(), h.alerts());
  }

  /** Seed 000: told his "relative" is overdue, again and again, by one platform. */
  @Test
  void shouldAlertOnThreeContactsAboutOneLoanOfABorrowerTheNumberHasNoTieTo() {
    BehaviourHarness h = start();
    lenders(h, 1, MOTHER);
    h.calls(talkDaily(SHOP, SUPPLIER));
    h.lender(attemptTo(SHOP, 1, "att-a", T0), attemptTo(SHOP, 1, "att-b", days(0.1)));
    assertEquals(List.of(), h.alerts());
    h.lender(attemptTo(SHOP, 1, "att-b", days(0.1)));
    assertEquals(List.of(), h.alerts(), "a redelivered attempt is not a third contact");
    h.lender(attemptTo(SHOP, 1, "att-c", days(0.2)));
    List<Alert> alerts = h.alerts();
    assertEquals(1, alerts.size());
    assertEquals("loan-1", alerts.get(0).getLoanId());
    assertEquals(3.0, alerts.get(0).getMetrics().get("max_contacts_per_loan"));
    assertEquals(Severity.MEDIUM, alerts.get(0).getSeverity());
  }

  @Test
  void shouldReadTheDefaultsFromTheBuiltInRulePackAndRejectUnknownKeys() {
    assertEquals(WrongPartyRule.defaults(), WrongPartyRule.from(Rules.defaults()));
    Rules custom =
        Rules.parse(
            "{\"detectors\": {\"wrong_party\": {\"rules\": {\"wrong_party.number\":"
                + " {\"lenders\": 3, \"window\": \"P14D\"}}}}}",
            "test");
    WrongPartyRule r = WrongPartyRule.from(custom);
    assertEquals(3, r.lenders());
    assertEquals(Duration.ofDays(14), r.window());
    assertEquals(2, r.borrowers());
    assertThrows(
        RuleException.class,
        () ->
            WrongPartyRule.from(
                Rules.parse("{\"detectors\": {\"wrong_party\": {\"max_contact\": 5}}}", "test")));
  }
}

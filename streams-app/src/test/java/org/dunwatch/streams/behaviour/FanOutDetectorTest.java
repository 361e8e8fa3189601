package org.dunwatch.streams.behaviour;

import static org.dunwatch.streams.testdata.CallBuilder.T0;
import static org.dunwatch.streams.testdata.CallBuilder.VICTIM;
import static org.dunwatch.streams.testdata.CallBuilder.call;
import static org.dunwatch.streams.testdata.LenderEvents.collector;
import static org.dunwatch.streams.testdata.LenderEvents.loanOpened;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.alert.AlertType;
import org.dunwatch.avro.alert.Severity;
import org.dunwatch.avro.alert.SubjectKind;
import org.dunwatch.avro.lender.AttemptChannel;
import org.dunwatch.avro.lender.AttemptOutcome;
import org.dunwatch.streams.detect.IncidentIds;
import org.dunwatch.streams.rules.Rules;
import org.dunwatch.streams.state.CircleState;
import org.dunwatch.streams.state.FanOutState;
import org.dunwatch.streams.state.SourceSpread;
import org.dunwatch.streams.state.Tie;
import org.dunwatch.streams.testdata.CallBuilder;
import org.dunwatch.streams.testdata.LenderEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The social graph and CONTACT_FAN_OUT end to end: a month of ordinary calls builds the borrower's
 * circle, then collectors work through it.
 */
class FanOutDetectorTest {

  private static final String BORROWER = VICTIM;
  private static final String MOTHER = "+8613500000001";
  private static final String COLLECTOR_1 = "+8617100000001";
  private static final String COLLECTOR_2 = "+8617100000002";
  private static final String STRANGER = "+8617255550000";
  private static final int FRIENDS = 22;
  private static final int DECLARED = 7;

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

  /** The borrower owes lender-a (friend 7 declared) and has a month of ordinary calls behind. */
  private BehaviourHarness startWithTheBorrowersMonth() {
    BehaviourHarness h = start();
    h.lender(
        loanOpened(
            "lender-a", "loan-1", BORROWER, T0.minus(Duration.ofDays(40)), friend(DECLARED)));
    h.calls(ordinaryMonth(BORROWER));
    return h;
  }

  static String friend(int i) {
    return String.format("+8613600000%03d", i);
  }

  /** 28 days before T0: the owner calls a friend a day, a friend calls back, mother calls daily. */
  private static List<CallBuilder> ordinaryMonth(String owner) {
    List<CallBuilder> calls = new ArrayList<>();
    for (int d = 0; d < 28; d++) {
      Instant day = T0.minus(Duration.ofDays(28 - d));
      calls.add(
          call(owner, friend(d % FRIENDS + 1)).at(day.plus(Duration.ofHours(1))).answered(90));
      calls.add(
          call(friend((d + 3) % FRIENDS + 1), owner)
              .at(day.plus(Duration.ofHours(2)))
              .answered(40));
      calls.add(call(MOTHER, owner).at(day.plus(Duration.ofHours(3))).answered(300));
    }
    return calls;
  }

  /** Collectors 1 and 2 in turn call friends {@code from..to}, one every 2 hours from T0. */
  private static List<CallBuilder> collectorsCall(int from, int to, Instant start) {
    List<CallBuilder> calls = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      String c = i % 2 == 1 ? COLLECTOR_1 : COLLECTOR_2;
      calls.add(call(c, friend(i)).at(start.plus(Duration.ofHours(2L * (i - 1)))).unanswered());
    }
    return calls;
  }

  @Test
  void shouldAlertAsCollectorsReachFiveThenTenThenTwentyPeopleOfTheBorrowersCircle() {
    BehaviourHarness h = startWithTheBorrowersMonth();
    h.lender(
        collector("lender-a", "agency-1", COLLECTOR_1, T0.minus(Duration.ofHours(12))),
        collector("lender-a", "agency-1", COLLECTOR_2, T0.minus(Duration.ofHours(11))));
    assertEquals(List.of(), h.alerts(), "a month of ordinary calls alerts nothing");

    CircleState circle = h.<CircleState>store(Circles.STORE).get(BORROWER);
    assertEquals(FRIENDS + 1, circle.getTies().size(), "22 friends and the mother");
    Tie strongest = circle.getTies().get(0);
    assertEquals(MOTHER, strongest.getNumber());
    assertEquals(56, strongest.getStrength(), "28 answered calls, 2 each");
    assertEquals(
        List.of(BORROWER),
        h.<CircleState>store(Circles.STORE).get(friend(1)).getTies().stream()
            .map(Tie::getNumber)
            .toList());

    List<CallBuilder> spread = collectorsCall(1, FRIENDS, T0);
    h.calls(spread.subList(0, 4));
    assertEquals(List.of(), h.alerts(), "4 people: below the threshold");
    h.calls(spread.subList(4, 5));
    List<Alert> first = h.alerts();
    assertEquals(1, first.size());
    Alert a = first.get(0);
    String id =
        IncidentIds.alertId(
            AlertType.CONTACT_FAN_OUT, BORROWER + "|LENDER:lender-a", T0.toEpochMilli());
    assertEquals(id, a.getAlertId());
    assertEquals(AlertType.CONTACT_FAN_OUT, a.getType());
    assertEquals("fan_out.circle", a.getRuleId());
    assertEquals(2, a.getRuleVersion());
    assertEquals(Severity.MEDIUM, a.getSeverity());
    assertEquals("CN", a.getJurisdiction());
    assertEquals(SubjectKind.LENDER, a.getSubject().getKind());
    assertEquals("lender-a", a.getSubject().getId());
    assertEquals(BORROWER, a.getVictim());
    assertEquals("lender-a", a.getLenderId());
    assertEquals("agency-1", a.getAgencyId());
    assertEquals("loan-1", a.getLoanId());
    assertEquals(T0, a.getWindowStart());
    assertEquals(T0.plus(Duration.ofHours(8)), a.getWindowEnd());
    assertEquals(Map.of("reached", 5.0, "declared_contacts_reached", 0.0), a.getMetrics());
    assertEquals(ids(spread.subList(0, 5)), a.getEvidence().getEventIds());
    assertEquals(5L, a.getEvidence().getTotal());
    assertEquals(1, a.getRevision());
    assertEquals(
        "lender lender-a reached 5 people of the borrower's circle in 7 days who are not declared"
            + " contacts",
        a.getExplanation());

    // friends 6..11, with the declared contact (7) among them: the 10th counted is friend 11
    h.calls(spread.subList(5, 10));
    assertEquals(List.of(), h.alerts());
    h.calls(spread.subList(10, 11));
    List<Alert> second = h.alerts();
    assertEquals(1, second.size());
    assertEquals(id, second.get(0).getAlertId());
    assertEquals(2, second.get(0).getRevision());
    assertEquals(Severity.HIGH, second.get(0).getSeverity());
    assertEquals(
        Map.of("reached", 10.0, "declared_contacts_reached", 1.0), second.get(0).getMetrics());
    assertEquals(
        "lender lender-a reached 10 people of the borrower's circle in 7 days who are not"
            + " declared contacts (and 1 declared contact)",
        second.get(0).getExplanation());

    h.calls(spread.subList(11, 20));
    assertEquals(List.of(), h.alerts());
    h.calls(spread.subList(20, 21));
    List<Alert> third = h.alerts();
    assertEquals(1, third.size());
    assertEquals(id, third.get(0).getAlertId());
    assertEquals(3, third.get(0).getRevision());
    assertEquals(Severity.CRITICAL, third.get(0).getSeverity());
    assertEquals(20.0, third.get(0).getMetrics().get("reached"));

    h.calls(spread.subList(21, 22));
    h.calls(collectorsCall(1, 3, T0.plus(Duration.ofDays(2))));
    assertEquals(List.of(), h.alerts(), "21 people and repeat calls do not double the spread");

    FanOutState state = h.<FanOutState>store(FanOutDetector.STORE).get(BORROWER);
    assertEquals(1, state.getSources().size());
    SourceSpread s = state.getSources().get(0);
    assertEquals("LENDER:lender-a", s.getSource());
    assertEquals(FRIENDS, s.getReached().size());
    assertEquals(1, s.getReached().stream().filter(p -> p.getDeclared()).count());
    assertEquals(20, s.getAlertedCount());
  }

  @Test
  void shouldForgetAnEndedFanOutAfterItsWindowAndACircleAfterTheCircleWindow() {
    BehaviourHarness h = startWithTheBorrowersMonth();
    h.lender(collector("lender-a", "agency-1", COLLECTOR_1, T0.minus(Duration.ofHours(12))));
    for (int i = 1; i <= 5; i++) {
      h.calls(List.of(call(COLLECTOR_1, friend(i)).at(T0.plus(Duration.ofHours(i))).unanswered()));
    }
    assertEquals(1, h.alerts().size());
    assertEquals(Set.of(BORROWER), keys(h.store(FanOutDetector.STORE)));

    // 6 days on, a lender event moves the fan-out task's stream time: the reaches (T0+1 h to
    // T0+5 h) are still within the 7-day window, so the incident stays
    h.lender(collector("lender-c", "agency-3", COLLECTOR_2, T0.plus(Duration.ofDays(6))));
    assertEquals(Set.of(BORROWER), keys(h.store(FanOutDetector.STORE)));
    // 8 days on, every reach has left the window: the incident has ended and the borrower goes
    h.lender(collector("lender-c", "agency-3", COLLECTOR_2, T0.plus(Duration.ofDays(8))));
    assertEquals(Set.of(), keys(h.store(FanOutDetector.STORE)));
    assertEquals(
        FRIENDS + 1,
        h.<CircleState>store(Circles.STORE).get(BORROWER).getTies().size(),
        "the circle window is 30 days: the borrower's circle is still there");

    // 31 days after the last call, every tie is older than the circle window, except the
    // tie of the one new call's two numbers
    String a = "+8613900000001";
    String b = "+8613900000002";
    h.calls(List.of(call(a, b).at(T0.plus(Duration.ofDays(31))).answered(30)));
    assertEquals(Set.of(a, b), keys(h.store(Circles.STORE)));
  }

  private static Set<String> keys(KeyValueStore<String, ?> store) {
    Set<String> keys = new HashSet<>();
    try (KeyValueIterator<String, ?> it = store.all()) {
      it.forEachRemaining(e -> keys.add(e.key));
    }
    return keys;
  }

  @Test
  void shouldAlertOnOneUnregisteredNumberWorkingThroughABorrowersCircle() {
    BehaviourHarness h = start();
    h.lender(loanOpened("lender-b", "loan-9", BORROWER, T0.minus(Duration.ofDays(40))));
    h.calls(ordinaryMonth(BORROWER));
    List<CallBuilder> calls = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      calls.add(call(STRANGER, friend(i)).at(T0.plus(Duration.ofHours(i))).ringOnly());
    }
    h.calls(calls.subList(0, 9));
    assertEquals(List.of(), h.alerts(), "a number no lender owns needs 10 people, not 5");
    h.calls(calls.subList(9, 10));
    List<Alert> alerts = h.alerts();
    assertEquals(1, alerts.size());
    Alert a = alerts.get(0);
    assertEquals(SubjectKind.NUMBER, a.getSubject().getKind());
    assertEquals(STRANGER, a.getSubject().getId());
    assertEquals(Severity.HIGH, a.getSeverity());
    assertNull(a.getLenderId());
    assertNull(a.getLoanId());
    assertEquals(BORROWER, a.getVictim());
    assertEquals(
        "number "
            + STRANGER
            + " reached 10 people of the borrower's circle in 7 days who are not declared contacts",
        a.getExplanation());
  }

  @Test
  void shouldNotAlertOnACallCentreWhoseManyCallsLandInTheBorrowersCircleByChance() {
    BehaviourHarness h = start();
    h.lender(loanOpened("lender-b", "loan-9", BORROWER, T0.minus(Duration.ofDays(40))));
    h.calls(ordinaryMonth(BORROWER));
    String centre = "+862168000000";
    List<CallBuilder> calls = new ArrayList<>();
    for (int i = 1; i <= 60; i++) {
      // 60 customers across the network, and every sixth call one of the borrower's friends
      calls.add(
          call(centre, String.format("+8613900000%03d", i))
              .at(T0.plus(Duration.ofMinutes(10L * i)))
              .answered(30));
      if (i % 6 == 0) {
        calls.add(
            call(centre, friend(i / 6)).at(T0.plus(Duration.ofMinutes(10L * i + 1))).answered(30));
      }
    }
    h.calls(calls);
    assertEquals(List.of(), h.alerts(), "10 of the circle among 70 people called: a sliver");
    SourceSpread s = h.<FanOutState>store(FanOutDetector.STORE).get(BORROWER).getSources().get(0);
    assertEquals("NUMBER:" + centre, s.getSource());
    assertEquals(10, s.getReached().size());
    assertEquals(
        31,
        s.getSourceContacts(),
        "the centre's ties are capped at circle.top_k (30), plus the call");

    // the same number turning to the borrower's friends alone: at 16 of its 31 contacts it works
    // the phone book (source_share 0.5), and the incident grows to CRITICAL at 20
    List<CallBuilder> book = new ArrayList<>();
    for (int i = 11; i <= FRIENDS; i++) {
      book.add(call(centre, friend(i)).at(T0.plus(Duration.ofHours(20 + i))).ringOnly());
    }
    h.calls(book);
    List<Alert> alerts = h.alerts();
    assertEquals(2, alerts.size(), "once it works the phone book, it is a fan-out: " + alerts);
    assertEquals(centre, alerts.get(0).getSubject().getId());
    assertEquals(16.0, alerts.get(0).getMetrics().get("reached"));
    assertEquals(Severity.HIGH, alerts.get(0).getSeverity());
    assertEquals(alerts.get(0).getAlertId(), alerts.get(1).getAlertId());
    assertEquals(20.0, alerts.get(1).getMetrics().get("reached"));
    assertEquals(Severity.CRITICAL, alerts.get(1).getSeverity());
  }

  @Test
  void shouldCountCallsMadeBeforeTheCollectorsRegistrationArrivedTowardsItsLender() {
    BehaviourHarness h = start();
    h.lender(loanOpened("lender-a", "loan-1", BORROWER, T0.minus(Duration.ofDays(40))));
    h.calls(ordinaryMonth(BORROWER));
    // the agency line also works other borrowers: 30 customers, so on its own it is no fan-out
    List<CallBuilder> others = new ArrayList<>();
    for (int i = 1; i <= 30; i++) {
      others.add(
          call(COLLECTOR_1, String.format("+8613900000%03d", i))
              .at(T0.minus(Duration.ofHours(10)).plus(Duration.ofMinutes(i)))
              .unanswered());
    }
    h.calls(others);
    List<CallBuilder> spread = collectorsCall(1, 6, T0);
    List<CallBuilder> first = spread.stream().filter(c -> c.caller().equals(COLLECTOR_1)).toList();
    h.calls(first);
    assertEquals(List.of(), h.alerts(), "3 friends from an unknown number: nothing yet");
    // the registration, dated before every call, arrives only now
    h.lender(collector("lender-a", "agency-1", COLLECTOR_1, T0.minus(Duration.ofDays(1))));
    h.calls(collectorsCall(7, 7, T0));
    h.calls(collectorsCall(9, 9, T0));
    List<Alert> alerts = h.alerts();
    assertEquals(1, alerts.size(), "the 3 earlier friends and 2 later ones are the lender's 5");
    assertEquals("lender-a", alerts.get(0).getSubject().getId());
    assertEquals(5.0, alerts.get(0).getMetrics().get("reached"));
    assertEquals(T0, alerts.get(0).getWindowStart());
    FanOutState state = h.<FanOutState>store(FanOutDetector.STORE).get(BORROWER);
    assertEquals(
        List.of("LENDER:lender-a"),
        state.getSources().stream().map(SourceSpread::getSource).toList(),
        "the number's earlier spread is folded into its lender's");
  }

  @Test
  void shouldNotCountALendersCallsToItsOwnBorrowersWhoAreFriendsOfAnother() {
    BehaviourHarness h = start();
    h.lender(loanOpened("lender-a", "loan-1", BORROWER, T0.minus(Duration.ofDays(40))));
    for (int i = 1; i <= 6; i++) {
      h.lender(loanOpened("lender-a", "loan-f" + i, friend(i), T0.minus(Duration.ofDays(30))));
    }
    h.calls(ordinaryMonth(BORROWER));
    h.lender(collector("lender-a", "agency-1", COLLECTOR_1, T0.minus(Duration.ofHours(12))));
    List<CallBuilder> calls = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      calls.add(call(COLLECTOR_1, friend(i)).at(T0.plus(Duration.ofHours(i))).unanswered());
    }
    h.calls(calls);
    assertEquals(List.of(), h.alerts(), "six of lender-a's own borrowers, each about his own loan");
  }

  @Test
  void shouldNotCountAFriendOfTheBorrowerCallingOtherFriends() {
    BehaviourHarness h = start();
    h.lender(loanOpened("lender-b", "loan-9", BORROWER, T0.minus(Duration.ofDays(40))));
    h.calls(ordinaryMonth(BORROWER));
    // an old schoolmate: talks with the borrower, then rings round the shared friends once each
    List<CallBuilder> calls = new ArrayList<>();
    calls.add(call(STRANGER, BORROWER).at(T0.minus(Duration.ofMinutes(30))).answered(120));
    for (int i = 1; i <= 6; i++) {
      calls.add(call(STRANGER, friend(i)).at(T0.plus(Duration.ofHours(i))).ringOnly());
    }
    h.calls(calls);
    assertEquals(List.of(), h.alerts(), "" + h.<CircleState>store(Circles.STORE).get(STRANGER));
  }

  @Test
  void shouldAlertForEachBorrowerWhoseCircleTheCalledFriendsAreIn() {
    // one reach record carries both borrowers (the friends are in both circles); each is judged
    BehaviourHarness h = start();
    String spouse = "+8618800000777";
    h.lender(
        loanOpened("lender-a", "loan-1", BORROWER, T0.minus(Duration.ofDays(40))),
        loanOpened("lender-a", "loan-2", spouse, T0.minus(Duration.ofDays(40))));
    List<CallBuilder> hers = ordinaryMonth(BORROWER);
    List<CallBuilder> his = ordinaryMonth(spouse);
    List<CallBuilder> both = new ArrayList<>();
    for (int i = 0; i < hers.size(); i++) {
      both.add(hers.get(i));
      both.add(his.get(i));
    }
    h.calls(both);
    h.lender(
        collector("lender-a", "agency-1", COLLECTOR_1, T0.minus(Duration.ofHours(12))),
        collector("lender-a", "agency-1", COLLECTOR_2, T0.minus(Duration.ofHours(11))));
    h.calls(collectorsCall(1, 5, T0));
    List<Alert> alerts = h.alerts();
    assertEquals(
        List.of(spouse, BORROWER), alerts.stream().map(Alert::getVictim).sorted().toList());
    for (Alert a : alerts) {
      assertEquals(AlertType.CONTACT_FAN_OUT, a.getType());
      assertEquals(5.0, a.getMetrics().get("reached"));
      assertEquals("lender-a", a.getLenderId());
    }
  }

  @Test
  void shouldNotAlertWhenTheCircleIsNotABorrowersOrTheCollectorWorksForAnotherLender() {
    BehaviourHarness h = start();
    // the borrower owes lender-b; lender-a's collector and a courier call 8 of the friends
    h.lender(loanOpened("lender-b", "loan-9", "+8618800000000", T0.minus(Duration.ofDays(40))));
    h.calls(ordinaryMonth(BORROWER));
    h.lender(collector("lender-a", "agency-1", COLLECTOR_1, T0.minus(Duration.ofHours(1))));
    List<CallBuilder> calls = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      calls.add(call(COLLECTOR_1, friend(i)).at(T0.plus(Duration.ofHours(i))).unanswered());
      calls.add(
          call("+8695546000", friend(i))
              .at(T0.plus(Duration.ofHours(i)).plusSeconds(60))
              .answered(20));
    }
    h.calls(calls);
    assertEquals(List.of(), h.alerts());
    assertNull(h.<FanOutState>store(FanOutDetector.STORE).get(BORROWER));
  }

  @Test
  void shouldCountLenderReportedAttemptsToThirdParties() {
    BehaviourHarness h = start();
    h.lender(
        loanOpened(
            "lender-a", "loan-1", BORROWER, T0.minus(Duration.ofDays(40)), friend(DECLARED)));
    for (int i = 3; i <= 8; i++) {
      h.lender(
          LenderEvents.attempt(
              "att-" + i,
              "lender-a",
              "agency-2",
              "loan-1",
              friend(i),
              AttemptChannel.CALL,
              AttemptOutcome.CONNECTED,
              T0.plus(Duration.ofHours(i))));
    }
    List<Alert> alerts = h.alerts();
    assertEquals(1, alerts.size(), "friends 3..8 less the declared 7: five people");
    Alert a = alerts.get(0);
    assertEquals(Map.of("reached", 5.0, "declared_contacts_reached", 1.0), a.getMetrics());
    assertEquals(
        List.of("att-3", "att-4", "att-5", "att-6", "att-8"), a.getEvidence().getEventIds());
    assertEquals("agency-2", a.getAgencyId());
  }

  private static List<String> ids(List<CallBuilder> calls) {
    return calls.stream().map(CallBuilder::callId).toList();
  }
}

package org.dunwatch.producers.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.alert.AlertType;
import org.dunwatch.avro.alert.Evidence;
import org.dunwatch.avro.alert.Severity;
import org.dunwatch.avro.alert.Subject;
import org.dunwatch.avro.alert.SubjectKind;
import org.dunwatch.producers.sim.Label.LabelSubject;
import org.junit.jupiter.api.Test;

class LabelMatcherTest {

  private static final Instant T0 = Instant.parse("2024-07-26T01:00:00Z");
  private static final String VICTIM = "+8618812345678";
  private static final String BOMBER = "+8617012345678";

  private static final Label BOMBING =
      new Label(
          "s01",
          ScenarioKind.CALL_BOMBING,
          null,
          AlertType.CALL_FLOOD,
          "CN",
          VICTIM,
          List.of(VICTIM),
          LabelSubject.number(BOMBER),
          List.of(LabelSubject.number(BOMBER), LabelSubject.number("+8617087654321")),
          null,
          null,
          null,
          T0,
          T0.plus(Duration.ofHours(6)),
          List.of("c1"),
          List.of(),
          "bombing");

  private static final Label FREQUENCY =
      new Label(
          "s02",
          ScenarioKind.FREQUENCY_BREACH,
          null,
          AlertType.CONTACT_FREQUENCY,
          "CN",
          "+8613900000001",
          List.of("+8613900000001"),
          LabelSubject.lender("lnd-cn-01"),
          List.of(LabelSubject.lender("lnd-cn-01")),
          "lnd-cn-01",
          null,
          "ln-1",
          T0,
          T0.plus(Duration.ofHours(8)),
          List.of("c2"),
          List.of(),
          "frequency");

  private static final Label SHOP =
      new Label(
          "o001",
          null,
          ActorRole.SHOP,
          null,
          "CN",
          "+8613800000002",
          List.of("+8613800000002"),
          null,
          List.of(),
          null,
          null,
          null,
          T0.minus(Duration.ofDays(1)),
          T0.plus(Duration.ofDays(1)),
          List.of(),
          List.of(),
          "shop");

  private final LabelMatcher matcher = new LabelMatcher(List.of(BOMBING, FREQUENCY, SHOP));

  @Test
  void shouldFindAScenarioByTypeVictimSubjectAndOverlappingWindowCountingAnIncidentOnce() {
    Alert first =
        alert(
            "a1",
            1,
            AlertType.CALL_FLOOD,
            VICTIM,
            SubjectKind.NUMBER,
            BOMBER,
            T0.plusSeconds(600),
            T0.plus(Duration.ofHours(1)));
    Alert grown =
        alert(
            "a1",
            2,
            AlertType.CALL_FLOOD,
            VICTIM,
            SubjectKind.NUMBER,
            "+8617087654321",
            T0,
            T0.plus(Duration.ofHours(3)));

    LabelMatcher.Result r = matcher.match(List.of(first, grown));

    assertEquals(1, r.incidents());
    assertTrue(r.scenarios().get(0).found());
    assertEquals(List.of(grown), r.scenarios().get(0).incidents());
    assertEquals(new LabelMatcher.Tally(1, 1, 0, 0), r.byType().get(AlertType.CALL_FLOOD));
    assertEquals(new LabelMatcher.Tally(1, 0, 1, 0), r.byType().get(AlertType.CONTACT_FREQUENCY));
  }

  @Test
  void shouldNotMatchAnotherVictimAnotherSubjectAnotherTypeOrAnotherTime() {
    Instant end = T0.plus(Duration.ofHours(1));
    assertFalse(
        matcher.finds(
            alert(
                "x",
                1,
                AlertType.CALL_FLOOD,
                "+8618800000000",
                SubjectKind.NUMBER,
                BOMBER,
                T0,
                end),
            BOMBING));
    assertFalse(
        matcher.finds(
            alert(
                "x",
                1,
                AlertType.CALL_FLOOD,
                VICTIM,
                SubjectKind.NUMBER,
                "+8617000000000",
                T0,
                end),
            BOMBING));
    assertFalse(
        matcher.finds(
            alert("x", 1, AlertType.SMS_FLOOD, VICTIM, SubjectKind.NUMBER, BOMBER, T0, end),
            BOMBING));
    Instant dayLater = T0.plus(Duration.ofDays(1));
    assertFalse(
        matcher.finds(
            alert(
                "x",
                1,
                AlertType.CALL_FLOOD,
                VICTIM,
                SubjectKind.NUMBER,
                BOMBER,
                dayLater,
                dayLater.plusSeconds(60)),
            BOMBING));
    // a lender-level alert: subject kind and lender id must agree
    assertTrue(matcher.finds(lenderAlert("lnd-cn-01"), FREQUENCY));
    assertFalse(matcher.finds(lenderAlert("lnd-cn-02"), FREQUENCY));
  }

  @Test
  void shouldAttributeFalsePositivesToOrdinaryActorsAndRelateOtherTypesToScenarios() {
    Alert onShop =
        alert(
            "b",
            1,
            AlertType.CALL_FLOOD,
            "+8613800000002",
            SubjectKind.NUMBER,
            "+8613000000009",
            T0,
            T0.plusSeconds(3600));
    Alert otherType =
        alert(
            "c",
            1,
            AlertType.OFF_HOURS_CONTACT,
            VICTIM,
            SubjectKind.NUMBER,
            BOMBER,
            T0,
            T0.plusSeconds(60));
    Alert stray =
        alert(
            "d",
            1,
            AlertType.SMS_FLOOD,
            "+8610000000000",
            SubjectKind.NUMBER,
            "95588",
            T0,
            T0.plusSeconds(60));

    LabelMatcher.Result r = matcher.match(List.of(onShop, otherType, stray));

    assertEquals(List.of(new LabelMatcher.Explained(onShop, SHOP)), r.onOrdinary());
    assertEquals(List.of(new LabelMatcher.Explained(otherType, BOMBING)), r.related());
    assertEquals(List.of(stray), r.unexplained());
    assertEquals(0, r.found());
  }

  @Test
  void shouldCompareLabelNumbersWithPseudonymisedAlerts() {
    LabelMatcher pseudonymised =
        new LabelMatcher(List.of(BOMBING), Duration.ZERO, n -> "pn_" + n.substring(1));
    Alert a =
        alert(
            "a",
            1,
            AlertType.CALL_FLOOD,
            "pn_" + VICTIM.substring(1),
            SubjectKind.NUMBER,
            "pn_" + BOMBER.substring(1),
            T0,
            T0.plusSeconds(60));
    assertTrue(pseudonymised.finds(a, BOMBING));
  }

  private static Alert lenderAlert(String lender) {
    Alert a =
        alert(
            "l",
            1,
            AlertType.CONTACT_FREQUENCY,
            "+8613900000001",
            SubjectKind.LENDER,
            lender,
            T0,
            T0.plus(Duration.ofDays(1)));
    a.setLenderId(lender);
    return a;
  }

  private static Alert alert(
      String id,
      int revision,
      AlertType type,
      String victim,
      SubjectKind kind,
      String subject,
      Instant from,
      Instant to) {
    return Alert.newBuilder()
        .setAlertId(id)
        .setType(type)
        .setRuleId("r")
        .setRuleVersion(1)
        .setSeverity(Severity.HIGH)
        .setSubject(new Subject(kind, subject))
        .setVictim(victim)
        .setWindowStart(from)
        .setWindowEnd(to)
        .setDetectedAt(to)
        .setMetrics(Map.of())
        .setEvidence(new Evidence(List.of(), 0L))
        .setExplanation("x")
        .setRevision(revision)
        .build();
  }
}

package org.dunwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.dunwatch.producers.sim.ActorRole;
import org.dunwatch.producers.sim.Label;
import org.dunwatch.producers.sim.Label.LabelSubject;
import org.dunwatch.producers.sim.LabelMatcher;
import org.dunwatch.producers.sim.ScenarioKind;
import org.junit.jupiter.api.Test;

class EvalReportTest {

  private static final Instant T0 = Instant.parse("2024-07-26T01:00:00Z");
  private static final String VICTIM = "+8618812345678";
  private static final String BOMBER = "+8617012345678";
  private static final String SHOP = "+8613800000002";
  private static final String CURFEW_VICTIM = "+14155550100";

  private static Label scenario(
      String id,
      ScenarioKind kind,
      AlertType type,
      String victim,
      LabelSubject subject,
      Instant start,
      Duration span,
      List<AlertType> also) {
    return new Label(
        id,
        kind,
        null,
        type,
        "CN",
        victim,
        List.of(victim),
        subject,
        List.of(subject),
        null,
        null,
        null,
        start,
        start.plus(span),
        List.of("e-" + id),
        List.of(),
        id,
        also);
  }

  private static final Label BOMBING =
      scenario(
          "s01",
          ScenarioKind.CALL_BOMBING,
          AlertType.CALL_FLOOD,
          VICTIM,
          LabelSubject.number(BOMBER),
          T0,
          Duration.ofHours(6),
          List.of());
  private static final Label SECOND_BOMBING =
      scenario(
          "s02",
          ScenarioKind.CALL_BOMBING,
          AlertType.CALL_FLOOD,
          "+8618800000009",
          LabelSubject.number(BOMBER),
          T0.plus(Duration.ofDays(1)),
          Duration.ofHours(6),
          List.of());
  private static final Label CURFEW =
      scenario(
          "s03",
          ScenarioKind.CURFEW_BREACH,
          AlertType.OFF_HOURS_CONTACT,
          CURFEW_VICTIM,
          LabelSubject.lender("lnd-us-01"),
          T0,
          Duration.ofMinutes(30),
          List.of(AlertType.CONTACT_FREQUENCY));
  private static final Label SHOP_LABEL =
      new Label(
          "o001",
          null,
          ActorRole.SHOP,
          null,
          "CN",
          SHOP,
          List.of(SHOP),
          null,
          List.of(),
          null,
          null,
          null,
          T0.minus(Duration.ofDays(1)),
          T0.plus(Duration.ofDays(2)),
          List.of(),
          List.of(),
          "shop");

  private final List<Label> labels = List.of(BOMBING, SECOND_BOMBING, CURFEW, SHOP_LABEL);

  @Test
  void shouldCountRecallPrecisionAndTimeToDetectPerTypeAndNameEveryFalsePositive() {
    List<Alert> alerts =
        List.of(
            // the bombing: first alert 40 min in, re-issued later with the same id
            alert(
                "a1", 1, AlertType.CALL_FLOOD, VICTIM, BOMBER, T0, T0.plus(Duration.ofMinutes(40))),
            alert("a1", 2, AlertType.CALL_FLOOD, VICTIM, BOMBER, T0, T0.plus(Duration.ofHours(3))),
            // a shop taking many calls flagged: a false positive on an ordinary actor
            alert(
                "a2",
                1,
                AlertType.CALL_FLOOD,
                SHOP,
                "+8613000000001",
                T0,
                T0.plus(Duration.ofHours(1))),
            // the curfew found, and the frequency breach its calls also are: not a false positive
            lender(
                "a3", AlertType.OFF_HOURS_CONTACT, CURFEW_VICTIM, T0.plus(Duration.ofMinutes(1))),
            lender(
                "a4", AlertType.CONTACT_FREQUENCY, CURFEW_VICTIM, T0.plus(Duration.ofMinutes(20))),
            // a threat alert on the bombing victim: not expected of a bombing, so false
            alert(
                "a5",
                1,
                AlertType.THREAT_OR_ABUSE,
                VICTIM,
                BOMBER,
                T0,
                T0.plus(Duration.ofHours(1))));

    EvalReport report = EvalReport.of(alerts, new LabelMatcher(labels));

    EvalReport.Row flood = report.rows().get(AlertType.CALL_FLOOD);
    assertEquals(2, flood.injected());
    assertEquals(1, flood.found());
    assertEquals(1, flood.missed());
    assertEquals(2, flood.incidents(), "two alert ids: the bombing and the shop");
    assertEquals(1, flood.falsePositives());
    assertEquals(0.5, flood.recall());
    assertEquals(0.5, flood.precision());
    assertEquals(Duration.ofMinutes(40), flood.ttdMedian(), "from the first revision's trigger");

    EvalReport.Row curfew = report.rows().get(AlertType.OFF_HOURS_CONTACT);
    assertEquals(1.0, curfew.recall());
    assertEquals(1.0, curfew.precision());
    assertEquals(Duration.ofMinutes(1), curfew.ttdP95());

    EvalReport.Row frequency = report.rows().get(AlertType.CONTACT_FREQUENCY);
    assertEquals(0, frequency.injected());
    assertTrue(Double.isNaN(frequency.recall()));
    assertEquals(1.0, frequency.precision(), "also expected of the curfew breach");

    EvalReport.Row threat = report.rows().get(AlertType.THREAT_OR_ABUSE);
    assertEquals(0.0, threat.precision());

    assertEquals(
        List.of("a2", "a5"),
        report.falsePositives().stream().map(f -> f.incident().getAlertId()).sorted().toList());
    assertEquals(
        "ordinary o001 (SHOP)",
        report.falsePositives().stream()
            .filter(f -> f.incident().getAlertId().equals("a2"))
            .findFirst()
            .orElseThrow()
            .hit());
    assertEquals(
        List.of(
            "CALL_FLOOD recall 0.50 < 0.95",
            "CALL_FLOOD precision 0.50 < 0.95",
            "THREAT_OR_ABUSE precision 0.00 < 0.95"),
        report.below(0.95));
    assertEquals(
        List.of(),
        EvalReport.of(alerts.subList(0, 2), new LabelMatcher(List.of(BOMBING))).below(0.95));
  }

  @Test
  void shouldNotCountAnAlertWhoseEveryEvidenceEventIsAScenariosInjectedEvent() {
    // the bomber's calls also land on a second number (a shared phone): explained by the scenario
    Alert spill =
        alert("b1", 1, AlertType.CALL_FLOOD, "+8613900000077", BOMBER, T0, T0.plusSeconds(600));
    spill.getEvidence().setEventIds(List.of("e-s01"));
    Alert unrelated =
        alert("b2", 1, AlertType.CALL_FLOOD, "+8613900000078", BOMBER, T0, T0.plusSeconds(600));
    unrelated.getEvidence().setEventIds(List.of("e-s01", "c-other"));

    EvalReport report = EvalReport.of(List.of(spill, unrelated), new LabelMatcher(labels));

    assertEquals(
        List.of("b2"),
        report.falsePositives().stream().map(f -> f.incident().getAlertId()).toList(),
        "one event not injected by the scenario makes it a false positive");
    assertEquals(0.5, report.rows().get(AlertType.CALL_FLOOD).precision());
  }

  @Test
  void shouldTakeNearestRankPercentiles() {
    List<Duration> d =
        List.of(
            Duration.ofMinutes(1),
            Duration.ofMinutes(2),
            Duration.ofMinutes(3),
            Duration.ofMinutes(10));
    assertEquals(Duration.ofMinutes(2), EvalReport.percentile(d, 0.5));
    assertEquals(Duration.ofMinutes(10), EvalReport.percentile(d, 0.95));
    assertEquals(null, EvalReport.percentile(List.of(), 0.5));
    assertEquals("3.5 h", EvalReport.human(Duration.ofMinutes(210)));
    assertEquals("45 s", EvalReport.human(Duration.ofSeconds(45)));
  }

  private static Alert lender(String id, AlertType type, String victim, Instant trigger) {
    Alert a = alert(id, 1, type, victim, "lnd-us-01", T0, trigger);
    a.setSubject(new Subject(SubjectKind.LENDER, "lnd-us-01"));
    a.setLenderId("lnd-us-01");
    return a;
  }

  private static Alert alert(
      String id,
      int revision,
      AlertType type,
      String victim,
      String subject,
      Instant from,
      Instant trigger) {
    return Alert.newBuilder()
        .setAlertId(id)
        .setType(type)
        .setRuleId("r")
        .setRuleVersion(1)
        .setSeverity(Severity.HIGH)
        .setSubject(new Subject(SubjectKind.NUMBER, subject))
        .setVictim(victim)
        .setWindowStart(from)
        .setWindowEnd(trigger)
        .setDetectedAt(trigger)
        .setTriggeredAt(trigger)
        .setMetrics(Map.of())
        .setEvidence(new Evidence(new java.util.ArrayList<>(), 0L))
        .setExplanation("x")
        .setRevision(revision)
        .build();
  }
}

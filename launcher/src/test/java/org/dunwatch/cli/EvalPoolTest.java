package org.dunwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.alert.AlertType;
import org.dunwatch.avro.alert.Evidence;
import org.dunwatch.avro.alert.Severity;
import org.dunwatch.avro.alert.Subject;
import org.dunwatch.avro.alert.SubjectKind;
import org.dunwatch.producers.sim.Label;
import org.dunwatch.producers.sim.Label.LabelSubject;
import org.dunwatch.producers.sim.LabelMatcher;
import org.dunwatch.producers.sim.ScenarioKind;
import org.junit.jupiter.api.Test;

class EvalPoolTest {

  private static final Instant T0 = Instant.parse("2024-07-26T01:00:00Z");
  private static final String BOMBER = "+8617012345678";

  private static Label bombing(String id, String victim) {
    return new Label(
        id,
        ScenarioKind.CALL_BOMBING,
        null,
        AlertType.CALL_FLOOD,
        "CN",
        victim,
        List.of(victim),
        LabelSubject.number(BOMBER),
        List.of(LabelSubject.number(BOMBER)),
        null,
        null,
        null,
        T0,
        T0.plus(Duration.ofHours(6)),
        List.of("e-" + id),
        List.of(),
        id);
  }

  private static Alert flood(String id, String victim, Duration after) {
    return Alert.newBuilder()
        .setAlertId(id)
        .setType(AlertType.CALL_FLOOD)
        .setRuleId("flood.calls.victim")
        .setRuleVersion(1)
        .setSeverity(Severity.MEDIUM)
        .setJurisdiction("CN")
        .setSubject(new Subject(SubjectKind.NUMBER, BOMBER))
        .setVictim(victim)
        .setLenderId(null)
        .setAgencyId(null)
        .setLoanId(null)
        .setWindowStart(T0)
        .setWindowEnd(T0.plus(after))
        .setDetectedAt(T0.plus(after))
        .setMetrics(java.util.Map.of())
        .setEvidence(new Evidence(List.of(), 0L))
        .setExplanation("x")
        .setRevision(1)
        .setTriggeredAt(T0.plus(after))
        .build();
  }

  @Test
  void shouldPoolCountsAndTimesToDetectAndNameTheWorstSeed() {
    Label a = bombing("s01", "+8618800000001");
    Label b = bombing("s02", "+8618800000002");
    // seed 1: both found, 10 and 12 min
    EvalReport one =
        EvalReport.of(
            List.of(
                flood("x1", a.victim(), Duration.ofMinutes(10)),
                flood("x2", b.victim(), Duration.ofMinutes(12))),
            new LabelMatcher(List.of(a, b)));
    // seed 2: one found at 14 min, one missed, one false alarm on nobody labelled
    EvalReport two =
        EvalReport.of(
            List.of(
                flood("y1", a.victim(), Duration.ofMinutes(14)),
                flood("y2", "+8613000000009", Duration.ofMinutes(5))),
            new LabelMatcher(List.of(a, b)));

    EvalPool pool = new EvalPool(List.of(1L, 2L), List.of(one, two));

    EvalReport.Row row = pool.pooled().get(AlertType.CALL_FLOOD);
    assertEquals(4, row.injected());
    assertEquals(3, row.found());
    assertEquals(1, row.missed());
    assertEquals(4, row.incidents());
    assertEquals(1, row.falsePositives());
    assertEquals(Duration.ofMinutes(12), row.ttdMedian());
    assertEquals(Duration.ofMinutes(14), row.ttdP95());
    EvalPool.Worst worst = pool.worst().get(AlertType.CALL_FLOOD);
    assertEquals(2L, worst.seed());
    assertEquals(0.5, worst.recall());
    assertEquals(0.5, worst.precision());
    assertEquals(
        List.of(
            "seed 2: CALL_FLOOD recall 0.50 < 0.97", "seed 2: CALL_FLOOD precision 0.50 < 0.97"),
        pool.below(0.97));
    assertTrue(pool.table().get(1).endsWith("2 (0.50/0.50)"), pool.table().get(1));
  }

  @Test
  void shouldReadSeedsAndRangesInTheOrderGivenEachOnce() {
    assertEquals(List.of(1L, 2L, 3L), EvalPool.parseSeeds("1,2,3"));
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), EvalPool.parseSeeds("1-5"));
    assertEquals(List.of(7L, 10L, 11L, 12L, 3L), EvalPool.parseSeeds(" 7, 10-12 ,3,11"));
    for (String bad : List.of("", "a", "5-1", "1,,2", "1-")) {
      UserError e = assertThrows(UserError.class, () -> EvalPool.parseSeeds(bad));
      assertTrue(e.getMessage().startsWith("--seeds"), e.getMessage());
    }
  }
}

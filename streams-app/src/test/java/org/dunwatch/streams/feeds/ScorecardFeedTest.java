package org.dunwatch.streams.feeds;

import static org.dunwatch.avro.alert.AlertType.CONTACT_FREQUENCY;
import static org.dunwatch.avro.alert.AlertType.OFF_HOURS_CONTACT;
import static org.dunwatch.avro.alert.AlertType.THIRD_PARTY_CONTACT;
import static org.dunwatch.streams.feeds.FeedAlerts.alert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.dunwatch.avro.alert.Severity;
import org.dunwatch.avro.alert.SubjectKind;
import org.dunwatch.avro.feed.Scorecard;
import org.dunwatch.streams.state.JudgedContact;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScorecardFeedTest {

  /** A Monday: its day and its ISO week start together. */
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  static final String DAY = "2026-03-02";
  static final String WEEK = "2026-W10";
  static final String LENDER = "lnd-cn-02";
  static final String AGENCY = "ag-07";

  @TempDir Path stateDir;
  FeedHarness h;
  TestInputTopic<String, JudgedContact> judged;
  TestOutputTopic<String, Scorecard> out;

  @BeforeEach
  void setUp() {
    h =
        new FeedHarness(
            (b, alerts, lender, topics) ->
                ScorecardFeed.addTo(
                    b,
                    alerts,
                    FeedHarness.judged(b),
                    topics.scorecards(),
                    ScorecardRule.defaults()),
            stateDir);
    judged = h.judgedInput();
    out = h.output(h.topics.scorecards());
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  private void contact(String lender, String agency, Instant t) {
    judged.pipeInput("+8618800000001", new JudgedContact(lender, agency, t.toEpochMilli()), t);
  }

  /** Advances stream time (and so publishing) with a contact of an unrelated lender. */
  private void advanceTo(Instant t) {
    contact("lnd-other", null, t);
  }

  private Map<String, Scorecard> latest() {
    Map<String, Scorecard> m = new LinkedHashMap<>();
    for (TestRecord<String, Scorecard> r : out.readRecordsToList()) {
      m.put(r.key(), r.value());
    }
    return m;
  }

  @Test
  void shouldCountEachIncidentOnceWithItsLatestSeverityForTheLenderAndItsAgency() {
    h.send(
        alert(CONTACT_FREQUENCY, "p1")
            .subject(SubjectKind.AGENCY, AGENCY)
            .victim("+8618800000001")
            .lender(LENDER, AGENCY)
            .at(T0));
    h.send(
        alert(CONTACT_FREQUENCY, "p1")
            .subject(SubjectKind.AGENCY, AGENCY)
            .victim("+8618800000001")
            .lender(LENDER, AGENCY)
            .severity(Severity.HIGH)
            .revision(2)
            .at(T0.plusSeconds(60)));
    h.send(
        alert(OFF_HOURS_CONTACT, "p2")
            .subject(SubjectKind.LENDER, LENDER)
            .victim("+8618800000002")
            .lender(LENDER, null)
            .at(T0.plusSeconds(120)));
    advanceTo(T0.plusSeconds(600));

    Map<String, Scorecard> m = latest();
    Scorecard lender = m.get(LENDER + "@" + DAY);
    assertEquals(2, lender.getIncidents());
    assertEquals(
        Map.of("CONTACT_FREQUENCY", 1, "OFF_HOURS_CONTACT", 1), lender.getIncidentsByType());
    assertEquals(Map.of("HIGH", 1, "MEDIUM", 1), lender.getIncidentsBySeverity());
    assertEquals(2, lender.getDistinctVictims());
    assertEquals(List.of("p1", "p2"), lender.getWorstIncidentIds());
    assertFalse(lender.getFinal$());
    Scorecard agency = m.get(LENDER + "/" + AGENCY + "@" + DAY);
    assertEquals(AGENCY, agency.getAgencyId());
    assertEquals(1, agency.getIncidents());
    assertEquals(2, m.get(LENDER + "@" + WEEK).getIncidents(), "the ISO week too");
    assertEquals(Instant.parse("2026-03-09T00:00:00Z"), m.get(LENDER + "@" + WEEK).getPeriodEnd());
  }

  @Test
  void shouldGiveTheBreachRatePer1000ContactsJudged() {
    for (int i = 0; i < 4; i++) {
      contact(LENDER, AGENCY, T0.plusSeconds(i * 10L));
    }
    h.send(
        alert(THIRD_PARTY_CONTACT, "p1")
            .subject(SubjectKind.AGENCY, AGENCY)
            .victim("+8618800000003")
            .lender(LENDER, AGENCY)
            .at(T0.plusSeconds(50)));
    advanceTo(T0.plusSeconds(600));

    Scorecard s = latest().get(LENDER + "@" + DAY);
    assertEquals(4, s.getContactsJudged());
    assertEquals(250.0, s.getBreachesPer1000Contacts(), 1e-9);
    assertNull(latest().get("lnd-other@" + DAY), "nothing new since it was published");
  }

  @Test
  void shouldReviseADayWithALateAlertWithinGraceThenPublishItFinal() {
    contact(LENDER, null, T0);
    advanceTo(T0.plusSeconds(600));
    assertEquals(0, latest().get(LENDER + "@" + DAY).getIncidents());

    Instant nextDay = Instant.parse("2026-03-03T01:00:00Z"); // within the 2 h grace of 03-02
    advanceTo(nextDay);
    h.send(
        alert(CONTACT_FREQUENCY, "late")
            .subject(SubjectKind.LENDER, LENDER)
            .victim("+8618800000001")
            .lender(LENDER, null)
            .at(T0.plusSeconds(3600)));
    advanceTo(nextDay.plusSeconds(120));
    Scorecard revised = latest().get(LENDER + "@" + DAY);
    assertEquals(1, revised.getIncidents(), "the late alert revises the day");
    assertFalse(revised.getFinal$());

    advanceTo(Instant.parse("2026-03-03T02:01:00Z"));
    Scorecard fin = latest().get(LENDER + "@" + DAY);
    assertTrue(fin.getFinal$(), "final once the day's grace has passed");
    assertEquals(1, fin.getIncidents());
  }

  @Test
  void shouldNotReviseAFinalDayWithDataPastItsGrace() {
    contact(LENDER, null, T0);
    advanceTo(Instant.parse("2026-03-03T03:00:00Z"));
    assertTrue(latest().get(LENDER + "@" + DAY).getFinal$());

    h.send(
        alert(CONTACT_FREQUENCY, "too-late")
            .subject(SubjectKind.LENDER, LENDER)
            .victim("+8618800000001")
            .lender(LENDER, null)
            .at(T0.plusSeconds(3600)));
    advanceTo(Instant.parse("2026-03-03T03:10:00Z"));
    Map<String, Scorecard> m = latest();
    assertFalse(m.containsKey(LENDER + "@" + DAY), "a final day is never published again");
    assertEquals(1, m.get(LENDER + "@" + WEEK).getIncidents(), "the week is still open");
    org.apache.kafka.streams.state.KeyValueStore<String, org.dunwatch.streams.state.ScoreState>
        store = h.driver.getKeyValueStore(ScorecardFeed.STORE);
    assertEquals(0, store.get(LENDER + "@" + DAY).getIncidents().size());
  }

  @Test
  void shouldPartitionALendersAgencyScorecardsWithTheLender() {
    for (int n : new int[] {3, 6, 12}) {
      assertEquals(
          ByLender.partition(LENDER, n), ByLender.partition(LENDER + "/" + AGENCY + "@" + WEEK, n));
      assertEquals(ByLender.partition(LENDER, n), ByLender.partition(LENDER + "@" + DAY, n));
    }
    assertEquals(LENDER, ByLender.lenderOf(LENDER + "/" + AGENCY + "@" + WEEK));
  }
}

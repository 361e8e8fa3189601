package org.dunwatch.streams.detect;

import static org.dunwatch.streams.testdata.CallBuilder.T0;
import static org.dunwatch.streams.testdata.CallBuilder.VICTIM;
import static org.dunwatch.streams.testdata.CallBuilder.call;
import static org.dunwatch.streams.testdata.CallBuilder.floodEvery3To4Minutes;
import static org.dunwatch.streams.testdata.CallBuilder.minutes;
import static org.dunwatch.streams.testdata.CallBuilder.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.TopologyException;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.alert.AlertType;
import org.dunwatch.avro.alert.Severity;
import org.dunwatch.avro.alert.SubjectKind;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.registry.MockSchemaRegistry;
import org.dunwatch.registry.RegistryConfig;
import org.dunwatch.registry.SchemaRegistryClient;
import org.dunwatch.schemas.AlertJson;
import org.dunwatch.schemas.TopicNames;
import org.dunwatch.schemas.Topics;
import org.dunwatch.streams.rules.CallFloodRule;
import org.dunwatch.streams.state.AvroStateSerde;
import org.dunwatch.streams.state.CallFloodState;
import org.dunwatch.streams.state.FloodIncident;
import org.dunwatch.streams.state.FloodRuleKind;
import org.dunwatch.streams.state.TrackedCall;
import org.dunwatch.streams.testdata.CallBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CALL_FLOOD end to end on a {@link TopologyTestDriver}: calls in through the registry serdes,
 * alerts out, and the detector's store as it stands after each scenario.
 */
class CallFloodDetectorTest {

  /** The wall clock of the driver: every alert's detected_at. */
  private static final Instant WALL_CLOCK = Instant.parse("2026-03-02T12:00:00Z");

  /**
   * Alerts leave the test topology through a plain Avro serde, not {@code topics.alerts()}: the
   * registry serde of dunwatch-schemas builds its {@code SpecificData} without the generated
   * classes' logical-type conversions, so it cannot write an {@code Instant} inside a union ({@code
   * triggered_at}) and fails with "Unknown datum type java.time.Instant". Switch back to {@code
   * topics.alerts().valueSerde()} once RegistryAvroSerde uses {@code
   * SpecificData.getForClass(type)}.
   */
  private static final AvroStateSerde<Alert> ALERTS = AvroStateSerde.of(Alert.class);

  /**
   * The 1 h, 24 h and pair rules alone: the early rule needs more calls in 15 min than a victim's
   * state holds. For the tests of those rules' thresholds, windows and incidents.
   */
  private static final CallFloodRule HOUR_AND_DAY = withEarly(CallFloodRule.defaults(), 500, 1);

  private static final String FRIEND = "+8613900000009";
  private static final String MOTHER = "+8613500000001";

  @TempDir Path stateDir;

  private final List<Harness> harnesses = new ArrayList<>();

  @AfterEach
  void closeDrivers() {
    harnesses.forEach(Harness::close);
  }

  // --- the flood patterns of the call-bombing reports --------------------------------------

  @Test
  void shouldAlertWithinTheFirstHourWhenAVictimIsCalledEvery3To4MinutesFromRotatingNumbers() {
    Harness h = start(HOUR_AND_DAY);
    List<CallBuilder> flood = floodEvery3To4Minutes(T0, 18, 5); // 0 .. 59 min
    h.send(flood.subList(0, 5));
    h.send(call(FRIEND, VICTIM).at(T0.plus(minutes(16))).answered(120));
    h.send(flood.subList(5, 18));

    List<KeyValue<String, Alert>> alerts = h.alerts();
    assertEquals(1, alerts.size(), "one alert for the incident, not one per call");
    assertEquals(VICTIM, alerts.get(0).key);
    Alert a = alerts.get(0).value;
    CallBuilder fifteenth = flood.get(14); // at 49 min
    assertEquals(Instant.parse("2026-03-02T09:49:00Z"), fifteenth.time());
    assertEquals(
        IncidentIds.alertId(AlertType.CALL_FLOOD, VICTIM, T0.toEpochMilli()), a.getAlertId());
    assertEquals(AlertType.CALL_FLOOD, a.getType());
    assertEquals("flood.calls.victim", a.getRuleId());
    assertEquals(1, a.getRuleVersion());
    assertEquals(Severity.MEDIUM, a.getSeverity());
    assertEquals("CN", a.getJurisdiction());
    assertEquals(SubjectKind.NUMBER, a.getSubject().getKind());
    // 5 numbers, 3 calls each: the tie goes to the one that called last
    assertEquals(number(4), a.getSubject().getId());
    assertEquals(VICTIM, a.getVictim());
    assertNull(a.getLenderId());
    assertNull(a.getAgencyId());
    assertNull(a.getLoanId());
    assertEquals(fifteenth.time().minus(Duration.ofHours(1)), a.getWindowStart());
    assertEquals(fifteenth.time(), a.getWindowEnd());
    assertEquals(WALL_CLOCK, a.getDetectedAt());
    assertEquals(fifteenth.time(), a.getTriggeredAt());
    assertEquals(1, a.getRevision());
    // 15 short calls, and the friend's long call in the same hour: 15 / 16
    assertEquals(
        Map.of("calls", 15.0, "distinct_callers", 5.0, "short_call_ratio", 0.94), a.getMetrics());
    assertEquals(ids(flood.subList(0, 15)), a.getEvidence().getEventIds());
    assertEquals(15L, a.getEvidence().getTotal());
    assertEquals(
        "15 calls from 5 numbers in 1 h; 94% ended while ringing or within 5 s",
        a.getExplanation());
  }

  /**
   * Report 000's cadence (a call every 3-4 minutes from rotating numbers, hung up at once): a LOW
   * alert on the third call, 7 minutes in, and the same incident escalates on the 1 h rule.
   */
  @Test
  void shouldFlagReport000sCadenceWithinFifteenMinutesAndEscalateTheSameIncident() {
    Harness h = start(CallFloodRule.defaults());
    List<CallBuilder> flood = floodEvery3To4Minutes(T0, 18, 10); // 0 .. 59 min
    h.send(flood.subList(0, 2));
    assertEquals(List.of(), h.alerts(), "two calls");
    h.send(flood.subList(2, 18));

    List<Alert> alerts = h.alerts().stream().map(kv -> kv.value).toList();
    assertEquals(2, alerts.size(), summary(alerts));
    Alert early = alerts.get(0);
    assertEquals("flood.calls.early", early.getRuleId());
    assertEquals(Severity.LOW, early.getSeverity());
    assertEquals(flood.get(2).time(), early.getTriggeredAt());
    assertTrue(
        Duration.between(T0, early.getTriggeredAt()).compareTo(Duration.ofMinutes(15)) <= 0,
        "within 15 min of the first call");
    assertEquals(ids(flood.subList(0, 3)), early.getEvidence().getEventIds());
    assertEquals(
        "3 calls from 3 numbers in 15 min; 100% ended while ringing or within 5 s",
        early.getExplanation());
    Alert hour = alerts.get(1);
    assertEquals(early.getAlertId(), hour.getAlertId());
    assertEquals(
        IncidentIds.alertId(AlertType.CALL_FLOOD, VICTIM, T0.toEpochMilli()), hour.getAlertId());
    assertEquals(2, hour.getRevision());
    assertEquals("flood.calls.victim", hour.getRuleId());
    assertEquals(Severity.MEDIUM, hour.getSeverity());
    assertEquals(flood.get(14).time(), hour.getTriggeredAt());
  }

  @Test
  void shouldNotFlagEarlyHangUpsFromNumbersTheVictimTalksWith() {
    Harness h = start(CallFloodRule.defaults());
    // the family talked with the victim this morning
    for (int i = 0; i < 3; i++) {
      h.send(
          call(number(i), VICTIM).at(T0.minus(Duration.ofHours(3)).plus(minutes(i))).answered(90));
    }
    // then hang up on his voicemail, again and again
    for (int i = 0; i < 6; i++) {
      h.send(call(number(i % 3), VICTIM).at(T0.plus(minutes(3L * i))).ringOnly());
    }
    assertEquals(List.of(), h.alerts());
  }

  @Test
  void shouldNotFlagEarlyCallsThatRangOutOrFoundTheLineBusy() {
    Harness h = start(CallFloodRule.defaults());
    // a shop's customers in a rush: unanswered and busy, each from another number
    for (int i = 0; i < 6; i++) {
      CallBuilder c = call(number(i), VICTIM).at(T0.plus(minutes(2L * i)));
      h.send(i % 2 == 0 ? c.unanswered() : c.busy());
    }
    assertEquals(List.of(), h.alerts());
  }

  @Test
  void shouldNotFlagEarlyOneNumberHangingUpAgainAndAgain() {
    Harness h = start(CallFloodRule.defaults());
    for (int i = 0; i < 8; i++) {
      h.send(call(MOTHER, VICTIM).at(T0.plus(minutes(2L * i))).ringOnly());
    }
    assertEquals(List.of(), h.alerts(), "one number: the pair and hour rules' case");
  }

  @Test
  void shouldReissueTheSameAlertIdOnlyWhenAFloodOfHoursGrows() {
    Harness h = start(HOUR_AND_DAY);
    List<CallBuilder> flood = floodEvery3To4Minutes(T0, 206, 8); // 12 hours
    h.send(flood);

    List<Alert> alerts = h.alertValues();
    // 15 in 1 h (MEDIUM); 40 in 24 h (HIGH: severity rises); 80 (twice 40); 100 in 24 h
    // (CRITICAL); 200 (twice 100). The hour never reaches 30, nothing else grows.
    assertEquals(5, alerts.size(), () -> summary(alerts));
    String id = IncidentIds.alertId(AlertType.CALL_FLOOD, VICTIM, T0.toEpochMilli());
    assertEquals(List.of(id, id, id, id, id), alerts.stream().map(Alert::getAlertId).toList());
    assertEquals(List.of(1, 2, 3, 4, 5), alerts.stream().map(Alert::getRevision).toList());
    assertEquals(
        List.of(
            Severity.MEDIUM, Severity.HIGH, Severity.HIGH, Severity.CRITICAL, Severity.CRITICAL),
        alerts.stream().map(Alert::getSeverity).toList());
    assertEquals(
        List.of(15.0, 40.0, 80.0, 100.0, 200.0),
        alerts.stream().map(a -> a.getMetrics().get("calls")).toList());
    assertEquals(
        List.of(
            flood.get(14).time(),
            flood.get(39).time(),
            flood.get(79).time(),
            flood.get(99).time(),
            flood.get(199).time()),
        alerts.stream().map(Alert::getTriggeredAt).toList());
    assertEquals(
        List.of(
            Duration.ofHours(1),
            Duration.ofDays(1),
            Duration.ofDays(1),
            Duration.ofDays(1),
            Duration.ofDays(1)),
        alerts.stream().map(a -> Duration.between(a.getWindowStart(), a.getWindowEnd())).toList());

    Alert last = alerts.get(4);
    assertEquals("flood.calls.victim", last.getRuleId());
    assertEquals(ids(flood.subList(180, 200)), last.getEvidence().getEventIds(), "the newest 20");
    assertEquals(200L, last.getEvidence().getTotal());
    assertEquals(
        Map.of("calls", 200.0, "distinct_callers", 8.0, "short_call_ratio", 1.0),
        last.getMetrics());
    assertEquals(
        "200 calls from 8 numbers in 24 h; 100% ended while ringing or within 5 s",
        last.getExplanation());

    FloodIncident incident = h.state(VICTIM).getIncident();
    assertEquals(id, incident.getAlertId());
    assertEquals(5, incident.getRevision());
    assertEquals(FloodRuleKind.VICTIM_24H, incident.getAlertedRule());
    assertEquals(200, incident.getAlertedCalls());
    assertEquals("CRITICAL", incident.getAlertedSeverity());
    assertEquals(T0.toEpochMilli(), incident.getFirstTime());
    assertEquals(flood.get(205).time().toEpochMilli(), incident.getLastTime());
    assertEquals(206, h.state(VICTIM).getCalls().size(), "12 h of calls, under the cap of 500");
  }

  @Test
  void shouldKeepTheIncidentWhenTheFloodPausesForLessThanTheQuietPeriod() {
    Harness h = start(HOUR_AND_DAY);
    h.send(floodEvery3To4Minutes(T0, 20, 5));
    // five hours of quiet (the quiet period is six), then the flood resumes
    List<CallBuilder> resumed = floodEvery3To4Minutes(T0.plus(Duration.ofHours(6)), 20, 5);
    h.send(resumed);

    List<Alert> alerts = h.alertValues();
    assertEquals(2, alerts.size(), () -> summary(alerts));
    assertEquals(alerts.get(0).getAlertId(), alerts.get(1).getAlertId());
    assertEquals(2, alerts.get(1).getRevision());
    // 20 + 20 = 40 short calls in 24 h: the 24 h rule, HIGH, at the 20th call after the pause
    assertEquals(Severity.HIGH, alerts.get(1).getSeverity());
    assertEquals(resumed.get(19).time(), alerts.get(1).getTriggeredAt());
    assertEquals(40.0, alerts.get(1).getMetrics().get("calls"));
  }

  @Test
  void shouldOpenANewIncidentWithANewAlertIdAfterTheQuietPeriod() {
    Harness h = start(HOUR_AND_DAY);
    List<CallBuilder> first = floodEvery3To4Minutes(T0, 30, 5); // until 1 h 41 min
    Instant lastOfFirst = first.get(29).time();
    h.send(first);
    // seven hours without a short call; a long answered call does not keep the incident open
    h.send(call(FRIEND, VICTIM).at(lastOfFirst.plus(Duration.ofHours(3))).answered(300));
    Instant restart = lastOfFirst.plus(Duration.ofHours(7));
    List<CallBuilder> second = floodEvery3To4Minutes(restart, 20, 5);
    h.send(second);

    List<Alert> alerts = h.alertValues();
    assertEquals(2, alerts.size(), () -> summary(alerts));
    Alert opened = alerts.get(1);
    assertEquals(
        IncidentIds.alertId(AlertType.CALL_FLOOD, VICTIM, restart.toEpochMilli()),
        opened.getAlertId());
    assertNotEquals(alerts.get(0).getAlertId(), opened.getAlertId());
    assertEquals(1, opened.getRevision());
    assertEquals(Severity.MEDIUM, opened.getSeverity());
    // The old incident's 30 calls are still within 24 h, but no longer count: without that, the
    // 10th call of the new flood would already have crossed 40 in 24 h.
    assertEquals(second.get(14).time(), opened.getTriggeredAt());
    assertEquals(15.0, opened.getMetrics().get("calls"));

    CallFloodState state = h.state(VICTIM);
    assertEquals(lastOfFirst.toEpochMilli() + 1, state.getCountingFrom());
    assertEquals(
        21, state.getCalls().size(), "the friend's call and the new flood; the old one is dropped");
  }

  @Test
  void shouldAlertOnThePairRuleWhenOneCallerCallsOneCallee10TimesInAnHour() {
    String collector = "+8617100000042";
    Harness h = start(CallFloodRule.defaults());
    List<CallBuilder> calls = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      calls.add(call(collector, VICTIM).at(T0.plus(minutes(5L * i))).rejected());
    }
    h.send(calls.subList(0, 3));
    h.send(call(number(1), VICTIM).at(T0.plus(minutes(12))).unanswered());
    h.send(call(FRIEND, VICTIM).at(T0.plus(minutes(13))).answered(40));
    h.send(calls.subList(3, 10));

    List<KeyValue<String, Alert>> alerts = h.alerts();
    assertEquals(1, alerts.size());
    Alert a = alerts.get(0).value;
    assertEquals("flood.calls.pair", a.getRuleId());
    assertEquals(1, a.getRuleVersion());
    assertEquals(Severity.MEDIUM, a.getSeverity());
    assertEquals(collector, a.getSubject().getId());
    assertEquals(VICTIM, a.getVictim());
    assertEquals(T0.plus(minutes(45)), a.getTriggeredAt());
    assertEquals(T0.plus(minutes(45)).minus(Duration.ofHours(1)), a.getWindowStart());
    assertEquals(T0.plus(minutes(45)), a.getWindowEnd());
    // 11 short calls (10 + the unanswered one) out of 12 calls to the victim
    assertEquals(
        Map.of(
            "calls", 11.0,
            "distinct_callers", 2.0,
            "short_call_ratio", 0.92,
            "calls_from_subject", 10.0),
        a.getMetrics());
    assertEquals(ids(calls), a.getEvidence().getEventIds());
    assertEquals(10L, a.getEvidence().getTotal());
    assertEquals(
        "10 calls from one number in 1 h; 92% ended while ringing or within 5 s",
        a.getExplanation());
    assertEquals(
        IncidentIds.alertId(AlertType.CALL_FLOOD, VICTIM, T0.toEpochMilli()), a.getAlertId());
  }

  // --- what must not alert -----------------------------------------------------------------

  @Test
  void shouldNotAlertOnAShopOwnerTaking80NormalAnsweredCallsADay() {
    Harness h = start(CallFloodRule.defaults());
    for (int i = 0; i < 80; i++) {
      // 08:00 to 20:00 Beijing time, every 9 minutes, each a real conversation (over 5 s)
      h.send(
          call(number(100 + i), VICTIM)
              .at(T0.minus(Duration.ofHours(9)).plus(minutes(9L * i)))
              .answered(6 + (i * 37) % 300));
    }
    assertEquals(List.of(), h.alerts());
    assertEquals(80, h.state(VICTIM).getCalls().size());
    assertNull(h.state(VICTIM).getIncident());
  }

  @Test
  void shouldNotAlertOnAFamilyMemberCalling6TimesInAnEvening() {
    Harness h = start(CallFloodRule.defaults());
    for (int i = 0; i < 6; i++) {
      h.send(call(MOTHER, VICTIM).at(T0.plus(minutes(20L * i))).unanswered());
    }
    assertEquals(List.of(), h.alerts());
  }

  @Test
  void shouldNotAlertOn14ShortCallsInAnHourButAlertOnceOnThe15th() {
    Harness h = start(HOUR_AND_DAY);
    List<CallBuilder> calls = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      calls.add(call(number(i % 7), VICTIM).at(T0.plus(minutes(4L * i))).unanswered());
    }
    h.send(calls.subList(0, 14));
    assertEquals(List.of(), h.alerts(), "14 is one below the threshold");

    h.send(calls.get(14)); // at 56 min: 15 in the hour
    List<Alert> alerts = h.alertValues();
    assertEquals(1, alerts.size());
    assertEquals(15.0, alerts.get(0).getMetrics().get("calls"));
    assertEquals(calls.get(14).time(), alerts.get(0).getTriggeredAt());

    h.send(calls.get(15));
    assertEquals(List.of(), h.alerts(), "the 16th call does not re-issue");
  }

  @Test
  void shouldNotCountLongAnsweredCallsButShouldCountShortAnsweredOnes() {
    Harness h = start(CallFloodRule.defaults());
    for (int i = 0; i < 14; i++) {
      h.send(call(number(i), VICTIM).at(T0.plus(minutes(3L * i))).answered(6));
    }
    assertEquals(List.of(), h.alerts(), "6 s of talk is a conversation");
    for (int i = 0; i < 15; i++) {
      h.send(call(number(i), VICTIM).at(T0.plus(minutes(3L * i + 1))).answered(5));
    }
    List<Alert> alerts = h.alertValues();
    assertEquals(1, alerts.size());
    assertEquals(
        Map.of("calls", 15.0, "distinct_callers", 15.0, "short_call_ratio", 0.52),
        alerts.get(0).getMetrics());
  }

  @Test
  void shouldCountARedeliveredCallOnce() {
    Harness h = start(HOUR_AND_DAY);
    List<CallBuilder> flood = floodEvery3To4Minutes(T0, 14, 3);
    h.send(flood);
    h.send(flood.get(13));
    h.send(flood.get(13));
    assertEquals(List.of(), h.alerts());
    assertEquals(14, h.state(VICTIM).getCalls().size());
  }

  // --- event time ------------------------------------------------------------------------

  @Test
  void shouldCountOutOfOrderCallsWithinGraceWhenThe15thArrivesBeforeThe14th() {
    Harness h = start(HOUR_AND_DAY);
    List<CallBuilder> calls = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      calls.add(call(number(i % 4), VICTIM).at(T0.plus(minutes(4L * i))).ringOnly());
    }
    h.send(calls.subList(0, 13));
    h.send(calls.get(14)); // 56 min
    assertEquals(List.of(), h.alerts(), "14 calls so far");

    h.send(calls.get(13)); // 52 min, late
    List<Alert> alerts = h.alertValues();
    assertEquals(1, alerts.size());
    Alert a = alerts.get(0);
    assertEquals(calls.get(13).time(), a.getTriggeredAt(), "the late call crossed the threshold");
    // the busiest hour around the late call is the one up to the 15th call
    assertEquals(calls.get(14).time(), a.getWindowEnd());
    assertEquals(calls.get(14).time().minus(Duration.ofHours(1)), a.getWindowStart());
    assertEquals(15.0, a.getMetrics().get("calls"));
    assertEquals(ids(calls), a.getEvidence().getEventIds(), "in time order, not arrival order");

    assertEquals(
        calls.stream().map(c -> c.time().toEpochMilli()).toList(),
        h.state(VICTIM).getCalls().stream().map(TrackedCall::getTime).toList(),
        "the store keeps the calls sorted by time");
  }

  @Test
  void shouldMeasureOutOfOrderCallsInEveryHourThatContainsThem() {
    // 14 calls in the second half of the hour; a call 40 min earlier arrives last. The hour
    // ending at the late call holds 1 call; the hour starting at it holds all 15.
    Harness h = start(HOUR_AND_DAY);
    List<CallBuilder> calls = new ArrayList<>();
    for (int i = 0; i < 14; i++) {
      calls.add(call(number(i), VICTIM).at(T0.plus(minutes(40 + i))).busy());
    }
    h.send(calls);
    assertEquals(List.of(), h.alerts());
    h.send(call(number(99), VICTIM).at(T0).busy());
    List<Alert> alerts = h.alertValues();
    assertEquals(1, alerts.size());
    assertEquals(T0, alerts.get(0).getTriggeredAt());
    assertEquals(T0.plus(minutes(53)), alerts.get(0).getWindowEnd());
  }

  // --- state ---------------------------------------------------------------------------------

  @Test
  void shouldKeepAtMostMaxTrackedCallsAndNothingOlderThanADayAndGrace() {
    CallFloodRule rule = withMaxTrackedCalls(CallFloodRule.defaults(), 40);
    Harness h = start(rule);
    List<CallBuilder> calls = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      calls.add(call(number(i), VICTIM).at(T0.plus(minutes(i))).answered(90));
    }
    h.send(calls);
    assertEquals(ids(calls.subList(20, 60)), storedIds(h), "the newest 40, oldest evicted first");

    // 25.5 h later: keep only what a record up to 1 h late (the grace) can reach in its 24 h
    CallBuilder later =
        call(FRIEND, VICTIM).at(T0.plus(Duration.ofHours(25)).plus(minutes(30))).answered(60);
    h.send(later);
    List<String> kept = new ArrayList<>(ids(calls.subList(30, 60)));
    kept.add(later.callId());
    assertEquals(kept, storedIds(h), "calls over 25 h older than the newest are dropped");
  }

  @Test
  void shouldPurgeAVictimIdleForMoreThanADayAndTheQuietPeriod() {
    Harness h = start(HOUR_AND_DAY);
    String neighbour = "+8618800000002";
    String other = "+8618800000003";
    h.send(floodEvery3To4Minutes(T0, 16, 4)); // an incident, until 52 min
    h.send(call(FRIEND, neighbour).at(T0.plus(Duration.ofHours(8))).unanswered());
    assertEquals(1, h.alerts().size());
    assertEquals(Set.of(VICTIM, neighbour), h.storedVictims());

    // stream time 32 h: the victim's last call is 31 h old (> 24 h + 6 h), the neighbour's 24 h
    h.send(call(FRIEND, other).at(T0.plus(Duration.ofHours(32))).unanswered());
    assertEquals(Set.of(neighbour, other), h.storedVictims());
    assertNull(h.state(VICTIM));
  }

  // --- identity and topology ------------------------------------------------------------------

  @Test
  void shouldGiveTheSameAlertsWhenTheSameInputIsProcessedTwiceByFreshDrivers() {
    List<CallBuilder> input = new ArrayList<>(floodEvery3To4Minutes(T0, 120, 6));
    input.add(70, input.remove(60)); // one out of order
    List<String> first =
        start(HOUR_AND_DAY).send(input).alertValues().stream().map(AlertJson::toJson).toList();
    List<String> second =
        start(HOUR_AND_DAY).send(input).alertValues().stream().map(AlertJson::toJson).toList();
    assertEquals(4, first.size());
    assertEquals(first, second);
    assertEquals(1, first.stream().map(j -> AlertJson.fromJson(j).getAlertId()).distinct().count());
  }

  @Test
  void shouldCarryANullJurisdictionWhenTheCalleeRegionIsUnknown() {
    Harness h = start(CallFloodRule.defaults());
    for (int i = 0; i < 10; i++) {
      h.send(call(number(1), VICTIM).at(T0.plus(minutes(i))).calleeRegion(null).ringOnly());
    }
    Alert a = h.alertValues().get(0);
    assertNull(a.getJurisdiction());
  }

  @Test
  void shouldBuildWithExplicitInternalResourceNamingEnforced() {
    Topics topics = topics();
    StreamsBuilder builder =
        new StreamsBuilder(new TopologyConfig(new StreamsConfig(namingEnforced())));
    buildTopology(builder, topics, CallFloodRule.defaults());
    Topology topology = builder.build();
    String description = topology.describe().toString();
    assertTrue(
        description.contains(
            "Processor: "
                + CallFloodDetector.PROCESSOR
                + " (stores: ["
                + CallFloodDetector.STORE
                + "])"),
        description);

    // the check is really on: an unnamed store in the same configuration is refused
    StreamsBuilder unnamed =
        new StreamsBuilder(new TopologyConfig(new StreamsConfig(namingEnforced())));
    unnamed.stream("in", Consumed.with(Serdes.String(), Serdes.String()).withName("in"))
        .groupByKey()
        .count();
    assertThrows(TopologyException.class, unnamed::build);
  }

  @Test
  void shouldGradeSeverityByHowFarPastTheThreshold() {
    CallFloodRule r = CallFloodRule.defaults();
    assertNull(CallFloodSeverity.of(r, FloodRuleKind.VICTIM_1H, 14));
    assertEquals(Severity.MEDIUM, CallFloodSeverity.of(r, FloodRuleKind.VICTIM_1H, 15));
    assertEquals(Severity.MEDIUM, CallFloodSeverity.of(r, FloodRuleKind.VICTIM_1H, 29));
    assertEquals(Severity.HIGH, CallFloodSeverity.of(r, FloodRuleKind.VICTIM_1H, 30));
    assertEquals(Severity.CRITICAL, CallFloodSeverity.of(r, FloodRuleKind.VICTIM_1H, 60));
    assertNull(CallFloodSeverity.of(r, FloodRuleKind.PAIR_1H, 9));
    assertEquals(Severity.MEDIUM, CallFloodSeverity.of(r, FloodRuleKind.PAIR_1H, 10));
    assertEquals(Severity.HIGH, CallFloodSeverity.of(r, FloodRuleKind.PAIR_1H, 20));
    assertEquals(Severity.CRITICAL, CallFloodSeverity.of(r, FloodRuleKind.PAIR_1H, 40));
    assertNull(CallFloodSeverity.of(r, FloodRuleKind.VICTIM_24H, 39));
    assertEquals(Severity.HIGH, CallFloodSeverity.of(r, FloodRuleKind.VICTIM_24H, 40));
    assertEquals(Severity.HIGH, CallFloodSeverity.of(r, FloodRuleKind.VICTIM_24H, 99));
    assertEquals(Severity.CRITICAL, CallFloodSeverity.of(r, FloodRuleKind.VICTIM_24H, 100));
  }

  // --- harness -----------------------------------------------------------------------------

  private static List<String> ids(List<CallBuilder> calls) {
    return calls.stream().map(CallBuilder::callId).toList();
  }

  private static List<String> storedIds(Harness h) {
    return h.state(VICTIM).getCalls().stream().map(TrackedCall::getCallId).toList();
  }

  private static String summary(List<Alert> alerts) {
    return alerts.stream()
        .map(
            a ->
                a.getRevision()
                    + " "
                    + a.getSeverity()
                    + " "
                    + a.getMetrics()
                    + " @"
                    + a.getTriggeredAt())
        .collect(Collectors.joining("\n"));
  }

  private static CallFloodRule withEarly(CallFloodRule r, int calls, int callers) {
    return new CallFloodRule(
        r.victimRuleId(),
        r.victimRuleVersion(),
        r.pairRuleId(),
        r.pairRuleVersion(),
        r.shortTalkSeconds(),
        r.shortCallsPerHour(),
        r.shortCallsPerDay(),
        r.pairCallsPerHour(),
        r.quietPeriod(),
        r.regrowthFactor(),
        r.maxTrackedCalls(),
        r.evidenceCap(),
        r.earlyRuleId(),
        r.earlyRuleVersion(),
        calls,
        r.earlyWindow(),
        callers);
  }

  private static CallFloodRule withMaxTrackedCalls(CallFloodRule r, int max) {
    return new CallFloodRule(
        r.victimRuleId(),
        r.victimRuleVersion(),
        r.pairRuleId(),
        r.pairRuleVersion(),
        r.shortTalkSeconds(),
        r.shortCallsPerHour(),
        r.shortCallsPerDay(),
        r.pairCallsPerHour(),
        r.quietPeriod(),
        r.regrowthFactor(),
        max,
        r.evidenceCap(),
        r.earlyRuleId(),
        r.earlyRuleVersion(),
        r.earlyShortCalls(),
        r.earlyWindow(),
        r.earlyDistinctCallers());
  }

  private static Properties namingEnforced() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "call-flood-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    return props;
  }

  private static Topics topics() {
    return Topics.create(
        TopicNames.defaults(),
        SchemaRegistryClient.create(RegistryConfig.of("mock://call-flood-naming")));
  }

  private static void buildTopology(StreamsBuilder builder, Topics topics, CallFloodRule rule) {
    KStream<String, CallRecord> calls =
        builder.stream(
            topics.calls().name(),
            Consumed.with(topics.calls().keySerde(), topics.calls().valueSerde())
                .withName("calls-source"));
    CallFloodDetector.addTo(builder, calls, rule)
        .to(
            topics.alerts().name(),
            Produced.with(topics.alerts().keySerde(), ALERTS).withName("alerts-sink"));
  }

  private Harness start(CallFloodRule rule) {
    Harness h = new Harness(rule, stateDir.resolve("driver-" + harnesses.size()));
    harnesses.add(h);
    return h;
  }

  /** A fresh driver, registry and state directory around the detector. */
  private static final class Harness {
    private final String scope = "call-flood-" + UUID.randomUUID();
    private final Topics topics =
        Topics.create(
            TopicNames.defaults(),
            SchemaRegistryClient.create(RegistryConfig.of("mock://" + scope)));
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, CallRecord> calls;
    private final TestOutputTopic<String, Alert> alerts;

    Harness(CallFloodRule rule, Path stateDir) {
      Properties props = namingEnforced();
      props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
      StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
      buildTopology(builder, topics, rule);
      driver = new TopologyTestDriver(builder.build(), props, WALL_CLOCK);
      calls =
          driver.createInputTopic(
              topics.calls().name(),
              topics.calls().keySerde().serializer(),
              topics.calls().valueSerde().serializer());
      alerts =
          driver.createOutputTopic(
              topics.alerts().name(),
              topics.alerts().keySerde().deserializer(),
              ALERTS.deserializer());
    }

    Harness send(CallBuilder... builders) {
      return send(List.of(builders));
    }

    Harness send(List<CallBuilder> builders) {
      for (CallBuilder b : builders) {
        calls.pipeInput(new TestRecord<>(b.callee(), b.build(), b.time()));
      }
      return this;
    }

    /** Alerts written since the last call. */
    List<KeyValue<String, Alert>> alerts() {
      return alerts.readKeyValuesToList();
    }

    List<Alert> alertValues() {
      return alerts.readValuesToList();
    }

    KeyValueStore<String, CallFloodState> store() {
      return driver.getKeyValueStore(CallFloodDetector.STORE);
    }

    CallFloodState state(String victim) {
      return store().get(victim);
    }

    Set<String> storedVictims() {
      Set<String> keys = new HashSet<>();
      try (KeyValueIterator<String, CallFloodState> it = store().all()) {
        it.forEachRemaining(kv -> keys.add(kv.key));
      }
      return keys;
    }

    void close() {
      driver.close();
      MockSchemaRegistry.drop(scope);
    }
  }
}

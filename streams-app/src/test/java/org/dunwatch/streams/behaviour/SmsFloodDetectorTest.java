package org.dunwatch.streams.behaviour;

import static org.dunwatch.streams.testdata.CallBuilder.T0;
import static org.dunwatch.streams.testdata.CallBuilder.VICTIM;
import static org.dunwatch.streams.testdata.SmsBuilder.sms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.alert.AlertType;
import org.dunwatch.avro.alert.Severity;
import org.dunwatch.avro.alert.SubjectKind;
import org.dunwatch.streams.detect.IncidentIds;
import org.dunwatch.streams.rules.RuleException;
import org.dunwatch.streams.rules.Rules;
import org.dunwatch.streams.state.SmsFloodRuleKind;
import org.dunwatch.streams.state.SmsFloodState;
import org.dunwatch.streams.state.TrackedSms;
import org.dunwatch.streams.testdata.SmsBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SMS_FLOOD end to end: messages in through the registry serdes, alerts and store out. */
class SmsFloodDetectorTest {

  private static final String COURIER = "95546";
  private static final String CLINIC = "106575551234";
  private static final String SISTER = "+8613700000002";

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

  /** Site {@code i}'s code to {@code to} at {@code at}. */
  private static SmsBuilder code(int site, String to, Instant at) {
    return sms("1069" + (1000 + site), to)
        .at(at)
        .otp("【站点" + site + "】您的验证码是" + (100000 + site) + "，5分钟内有效。");
  }

  /** {@code count} codes, each from a new site, one every {@code gapSeconds}. */
  private static List<SmsBuilder> codesFromSites(
      int first, int count, Instant start, int gapSeconds) {
    List<SmsBuilder> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(code(first + i, VICTIM, start.plusSeconds((long) gapSeconds * i)));
    }
    return out;
  }

  @Test
  void shouldAlertWhenCodesFromEightSitesArriveWithinTenMinutesAndGrowAt16() {
    BehaviourHarness h = start();
    List<SmsBuilder> codes = codesFromSites(1, 16, T0, 30); // one every 30 s: 7.5 min for 16
    h.sms(codes.subList(0, 7));
    assertEquals(List.of(), h.alerts(), "7 senders are below the threshold");
    h.sms(codes.get(7));

    List<Alert> first = h.alerts();
    assertEquals(1, first.size());
    Alert a = first.get(0);
    Instant eighth = T0.plusSeconds(210);
    assertEquals(
        IncidentIds.alertId(AlertType.SMS_FLOOD, VICTIM, T0.toEpochMilli()), a.getAlertId());
    assertEquals(AlertType.SMS_FLOOD, a.getType());
    assertEquals("flood.sms.victim", a.getRuleId());
    assertEquals(1, a.getRuleVersion());
    assertEquals(Severity.MEDIUM, a.getSeverity());
    assertEquals("CN", a.getJurisdiction());
    assertEquals(SubjectKind.NUMBER, a.getSubject().getKind());
    assertEquals("10691008", a.getSubject().getId(), "on a tie the sender that sent last");
    assertEquals(VICTIM, a.getVictim());
    assertNull(a.getLenderId());
    assertEquals(eighth.minus(Duration.ofMinutes(10)), a.getWindowStart());
    assertEquals(eighth, a.getWindowEnd());
    assertEquals(BehaviourHarness.WALL_CLOCK, a.getDetectedAt());
    assertEquals(eighth, a.getTriggeredAt());
    assertEquals(1, a.getRevision());
    assertEquals(
        Map.of(
            "messages",
            8.0,
            "otp_messages",
            8.0,
            "distinct_senders",
            8.0,
            "top_sender_messages",
            1.0),
        a.getMetrics());
    assertEquals(ids(codes.subList(0, 8)), a.getEvidence().getEventIds());
    assertEquals(8L, a.getEvidence().getTotal());
    assertEquals(
        "8 verification codes from 8 senders in 10 min; top senders: 10691008 1, 10691007 1,"
            + " 10691006 1",
        a.getExplanation());

    h.sms(codes.subList(8, 15));
    assertEquals(List.of(), h.alerts(), "9..15 senders: the same incident, not grown");
    h.sms(codes.get(15));
    List<Alert> grown = h.alerts();
    assertEquals(1, grown.size());
    assertEquals(a.getAlertId(), grown.get(0).getAlertId());
    assertEquals(2, grown.get(0).getRevision());
    assertEquals(Severity.HIGH, grown.get(0).getSeverity());
    assertEquals(16.0, grown.get(0).getMetrics().get("distinct_senders"));

    SmsFloodState state = h.<SmsFloodState>store(SmsFloodDetector.STORE).get(VICTIM);
    assertEquals(16, state.getMessages().size());
    assertEquals(SmsFloodRuleKind.OTP_SENDERS, state.getIncident().getAlertedRule());
    assertEquals(16, state.getIncident().getAlertedCount());
  }

  @Test
  void shouldNotAlertWhenABankSendsOneCodeEachToFiftyCustomers() {
    BehaviourHarness h = start();
    List<SmsBuilder> codes = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String customer = String.format("+86139%08d", i);
      codes.add(
          sms("95588", customer)
              .at(T0.plusSeconds(6L * i))
              .otp("【工商银行】验证码" + (200000 + i) + "，请勿泄露。"));
    }
    h.sms(codes);
    assertEquals(List.of(), h.alerts());
    KeyValueStore<String, SmsFloodState> store = h.store(SmsFloodDetector.STORE);
    int recipients = 0;
    try (KeyValueIterator<String, SmsFloodState> it = store.all()) {
      while (it.hasNext()) {
        assertEquals(1, it.next().value.getMessages().size());
        recipients++;
      }
    }
    assertEquals(50, recipients);
  }

  @Test
  void shouldNotAlertOnACourierAClinicAFamilyEmergencyAndABanksCodes() {
    BehaviourHarness h = start();
    List<SmsBuilder> day = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      day.add(
          sms(COURIER, VICTIM)
              .at(T0.plus(Duration.ofMinutes(5L * i)))
              .notification("【顺丰速运】您的快件已到达驿站，取件码" + (3000 + i)));
    }
    day.add(
        sms(CLINIC, VICTIM)
            .at(T0.plus(Duration.ofMinutes(21)))
            .notification("【社区诊所】您预约的明早9点复诊已确认，如需改约请回复。"));
    // a family emergency: many messages from one sister within the hour
    for (int i = 0; i < 25; i++) {
      day.add(
          sms(SISTER, VICTIM).at(T0.plus(Duration.ofMinutes(22 + i))).personal("妈住院了，快回电话！" + i));
    }
    // the bank's login codes: three in ten minutes
    for (int i = 0; i < 3; i++) {
      day.add(
          sms("95588", VICTIM)
              .at(T0.plus(Duration.ofMinutes(30 + 3L * i)))
              .otp("【工商银行】您的验证码是" + (400000 + i)));
    }
    h.sms(day);
    assertEquals(List.of(), h.alerts());
    SmsFloodState state = h.<SmsFloodState>store(SmsFloodDetector.STORE).get(VICTIM);
    assertEquals(33, state.getMessages().size());
    assertEquals(3, state.getMessages().stream().filter(TrackedSms::getOtp).count());
    assertNull(state.getIncident());
  }

  @Test
  void shouldAlertOnThirtyCodesInAnHourFromOneService() {
    BehaviourHarness h = start();
    List<SmsBuilder> codes = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      codes.add(sms("1069555", VICTIM).at(T0.plus(Duration.ofMinutes(2L * i))).otp("code " + i));
    }
    h.sms(codes);
    List<Alert> alerts = h.alerts();
    assertEquals(1, alerts.size());
    Alert a = alerts.get(0);
    assertEquals(Severity.MEDIUM, a.getSeverity());
    assertEquals("1069555", a.getSubject().getId());
    assertEquals(T0.plus(Duration.ofMinutes(58)), a.getWindowEnd());
    assertEquals(30.0, a.getMetrics().get("otp_messages"));
    assertEquals(1.0, a.getMetrics().get("distinct_senders"));
    assertEquals(30.0, a.getMetrics().get("top_sender_messages"));
    assertEquals(20, a.getEvidence().getEventIds().size(), "capped at evidence_cap");
    assertEquals(30L, a.getEvidence().getTotal());
    assertEquals(
        "30 verification codes from 1 sender in 1 h; top senders: 1069555 30", a.getExplanation());
  }

  @Test
  void shouldCountMessagesOfUnknownCategoryAsCodesByTheirWording() {
    BehaviourHarness h = start();
    List<SmsBuilder> codes = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String body =
          i % 2 == 0 ? "您的验证码为" + (500000 + i) : "Your verification code is " + (600000 + i);
      codes.add(sms("site" + i, VICTIM).at(T0.plusSeconds(40L * i)).unknown(body));
    }
    h.sms(codes);
    List<Alert> alerts = h.alerts();
    assertEquals(1, alerts.size());
    assertEquals(8.0, alerts.get(0).getMetrics().get("distinct_senders"));
  }

  @Test
  void shouldAlertOnSixtyMessagesOfAnyKindInAnHour() {
    BehaviourHarness h = start();
    List<SmsBuilder> spam = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      spam.add(
          sms("+861700000" + String.format("%04d", i % 7), VICTIM)
              .at(T0.plusSeconds(55L * i))
              .personal("还钱"));
    }
    h.sms(spam);
    List<Alert> alerts = h.alerts();
    assertEquals(1, alerts.size());
    Alert a = alerts.get(0);
    assertEquals(60.0, a.getMetrics().get("messages"));
    assertEquals(0.0, a.getMetrics().get("otp_messages"));
    assertEquals(7.0, a.getMetrics().get("distinct_senders"));
    assertTrue(
        a.getExplanation().startsWith("60 messages from 7 senders in 1 h; top senders: "),
        a.getExplanation());
  }

  @Test
  void shouldOpenANewIncidentAfterTheQuietPeriod() {
    BehaviourHarness h = start();
    h.sms(codesFromSites(1, 8, T0, 30));
    Instant later = T0.plus(Duration.ofHours(3));
    h.sms(codesFromSites(101, 8, later, 30));
    List<Alert> alerts = h.alerts();
    assertEquals(2, alerts.size());
    assertEquals(
        IncidentIds.alertId(AlertType.SMS_FLOOD, VICTIM, T0.toEpochMilli()),
        alerts.get(0).getAlertId());
    assertEquals(
        IncidentIds.alertId(AlertType.SMS_FLOOD, VICTIM, later.toEpochMilli()),
        alerts.get(1).getAlertId());
    assertEquals(1, alerts.get(1).getRevision());
  }

  @Test
  void shouldCountARedeliveredCodeOnce() {
    BehaviourHarness h = start();
    List<SmsBuilder> codes = codesFromSites(1, 7, T0, 30);
    h.sms(codes);
    h.sms(codes.get(6));
    assertEquals(List.of(), h.alerts());
    assertEquals(
        7, h.<SmsFloodState>store(SmsFloodDetector.STORE).get(VICTIM).getMessages().size());
  }

  @Test
  void shouldReadItsRulesFromThePackAndRefuseUnknownKeys() {
    assertEquals(SmsFloodRule.defaults(), SmsFloodRule.from(Rules.defaults()));
    Rules custom =
        Rules.parse(
            "{\"detectors\": {\"sms_flood\": {\"rules\": {\"flood.sms.victim\": {\"version\": 3,"
                + " \"otp_senders\": 5, \"otp_senders_window\": \"PT5M\"}}, \"evidence_cap\": 5}}}",
            "test");
    SmsFloodRule r = SmsFloodRule.from(custom);
    assertEquals(3, r.ruleVersion());
    assertEquals(5, r.otpSenders());
    assertEquals(Duration.ofMinutes(5), r.otpSendersWindow());
    assertEquals(30, r.otpMessagesPerHour());
    assertEquals(5, r.evidenceCap());
    Rules typo = Rules.parse("{\"detectors\": {\"sms_flood\": {\"evidence_capp\": 5}}}", "test");
    RuleException e = assertThrows(RuleException.class, () -> SmsFloodRule.from(typo));
    assertTrue(e.getMessage().contains("detectors.sms_flood.evidence_capp"), e.getMessage());
  }

  private static List<String> ids(List<SmsBuilder> list) {
    return list.stream().map(SmsBuilder::messageId).toList();
  }
}

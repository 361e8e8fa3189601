package org.dunwatch.streams.behaviour;

import static org.dunwatch.streams.testdata.CallBuilder.T0;
import static org.dunwatch.streams.testdata.CallBuilder.VICTIM;
import static org.dunwatch.streams.testdata.SmsBuilder.sms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.alert.AlertType;
import org.dunwatch.avro.alert.Severity;
import org.dunwatch.avro.alert.SubjectKind;
import org.dunwatch.avro.lender.AttemptChannel;
import org.dunwatch.avro.lender.AttemptOutcome;
import org.dunwatch.avro.lender.CollectionAttempt;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.avro.lender.TargetRole;
import org.dunwatch.streams.detect.IncidentIds;
import org.dunwatch.streams.rules.Rules;
import org.dunwatch.streams.state.ContentIncident;
import org.dunwatch.streams.state.ContentState;
import org.dunwatch.streams.testdata.LenderEvents;
import org.dunwatch.streams.testdata.SmsBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** THIRD_PARTY_DISCLOSURE and THREAT_OR_ABUSE end to end, from SMS and from lender attempts. */
class ContentDetectorTest {

  private static final String COLLECTOR = "+8617100000001";
  private static final String SEED_SMS =
      "您的亲友谭正(化名)188××××××××在闪电借款严重逾期2187.00元，作为紧急联系人，平台将不间断发送电话与短信提醒，请督促其马上还款！";
  private static final String CONTACT = "+8613600000003";

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

  @Test
  void shouldAlertOnceWhenAContactIsToldOfARelativesOverdueDebtAndGrowAtTheSecondMessage() {
    BehaviourHarness h = start();
    SmsBuilder first = sms(COLLECTOR, VICTIM).at(T0).personal(SEED_SMS);
    h.sms(first);
    List<Alert> alerts = h.alerts();
    assertEquals(1, alerts.size());
    Alert a = alerts.get(0);
    assertEquals(
        IncidentIds.alertId(
            AlertType.THIRD_PARTY_DISCLOSURE, VICTIM + "|" + COLLECTOR, T0.toEpochMilli()),
        a.getAlertId());
    assertEquals(AlertType.THIRD_PARTY_DISCLOSURE, a.getType());
    assertEquals("content.disclosure", a.getRuleId());
    assertEquals(1, a.getRuleVersion());
    assertEquals(Severity.HIGH, a.getSeverity(), "the amount is named");
    assertEquals("CN", a.getJurisdiction());
    assertEquals(SubjectKind.NUMBER, a.getSubject().getKind());
    assertEquals(COLLECTOR, a.getSubject().getId());
    assertEquals(VICTIM, a.getVictim());
    assertNull(a.getLenderId());
    assertEquals(T0, a.getWindowStart());
    assertEquals(T0, a.getWindowEnd());
    assertEquals(T0, a.getTriggeredAt());
    assertEquals(1, a.getRevision());
    assertEquals(
        Map.of("messages", 1.0, "quoted_phrases", 6.0, "amount_revealed", 1.0), a.getMetrics());
    assertEquals(List.of(first.messageId()), a.getEvidence().getEventIds());
    assertEquals(1L, a.getEvidence().getTotal());
    assertEquals(
        "1 message to someone other than the debtor names a debt: “您的亲友”, “作为紧急联系人”,"
            + " “督促其”, “严重逾期”, “还款”, “2187.00元”",
        a.getExplanation());

    SmsBuilder second =
        sms(COLLECTOR, VICTIM).at(T0.plus(Duration.ofHours(5))).personal("你的朋友谭正还没还款，请督促他还款。");
    h.sms(second);
    List<Alert> grown = h.alerts();
    assertEquals(1, grown.size());
    assertEquals(a.getAlertId(), grown.get(0).getAlertId());
    assertEquals(2, grown.get(0).getRevision());
    assertEquals(2.0, grown.get(0).getMetrics().get("messages"));
    assertEquals(
        List.of(first.messageId(), second.messageId()), grown.get(0).getEvidence().getEventIds());
    assertEquals(T0.plus(Duration.ofHours(5)), grown.get(0).getWindowEnd());

    h.sms(sms(COLLECTOR, VICTIM).at(T0.plus(Duration.ofHours(6))).personal("你的朋友谭正逾期了，请督促他还款。"));
    assertEquals(List.of(), h.alerts(), "3 messages: not yet twice the 2 last alerted");

    ContentState state = h.<ContentState>store(ContentDetector.SMS_STORE).get(VICTIM);
    assertEquals(1, state.getIncidents().size());
    ContentIncident i = state.getIncidents().get(0);
    assertEquals(3, i.getMessages());
    assertEquals(2, i.getAlertedMessages());
    assertEquals(8, i.getPhrases().size(), "capped at max_quoted_phrases");
  }

  @Test
  void shouldAlertOnAThreatToPublishTheContactsAsHighSeverityAbuse() {
    BehaviourHarness h = start();
    h.sms(sms(COLLECTOR, VICTIM).at(T0).personal("若崔全不及时还款，将会把崔全的数十名紧急联系人的联系方式放在网络上。"));
    List<Alert> alerts = h.alerts();
    assertEquals(1, alerts.size());
    Alert a = alerts.get(0);
    assertEquals(AlertType.THREAT_OR_ABUSE, a.getType());
    assertEquals("content.abuse", a.getRuleId());
    assertEquals(Severity.HIGH, a.getSeverity());
    assertEquals(Map.of("messages", 1.0, "quoted_phrases", 1.0, "threat", 1.0), a.getMetrics());
    assertEquals("1 collection message threatens or insults: “联系人的联系方式放在网络上”", a.getExplanation());
  }

  @Test
  void shouldNotAlertOnACourierAClinicABanksCodesAFamilyEmergencyOrACompliantReminder() {
    BehaviourHarness h = start();
    Instant t = T0;
    h.sms(
        sms("95546", VICTIM).at(t).notification("【顺丰速运】快递员将于今天下午上门取件，请保持电话畅通。"),
        sms("106575551234", VICTIM)
            .at(t.plusSeconds(60))
            .notification("【市第一医院】您预约的上门护理服务已确认，护士将于明天9点到您家。"),
        sms("95588", VICTIM).at(t.plusSeconds(120)).otp("【工商银行】您的验证码是402211，请勿泄露。"),
        sms("95588", VICTIM)
            .at(t.plusSeconds(180))
            .notification("【建设银行】警惕骗子冒充客服以逾期为由要求转账，请勿泄露验证码。"),
        sms("+8613700000002", VICTIM)
            .at(t.plusSeconds(240))
            .personal("哥，妈住院了急需手术费5万元，你快转到我卡上，别告诉爸。"),
        sms("10690000888", VICTIM)
            .at(t.plusSeconds(300))
            .notification("【XX消费金融】尊敬的王先生，您的借款本期应还1200.00元已逾期3天，请尽快还款，如已还款请忽略。"));
    assertEquals(List.of(), h.alerts());
    assertNull(h.<ContentState>store(ContentDetector.SMS_STORE).get(VICTIM));
  }

  @Test
  void shouldAlertOnALenderReportedAttemptThatToldAnEmergencyContactOfTheDebt() {
    BehaviourHarness h = start();
    LenderEvent toContact =
        attempt("a-1", CONTACT, TargetRole.EMERGENCY_CONTACT, T0, "请提醒王先生尽快处理他在我司的逾期借款。");
    LenderEvent toBorrower =
        attempt(
            "a-2", VICTIM, TargetRole.BORROWER, T0.plusSeconds(60), "您的借款已逾期5天，应还金额860元，请今天内还款。");
    h.lender(toContact, toBorrower);
    List<Alert> alerts = h.alerts();
    assertEquals(1, alerts.size(), "the reminder to the borrower passes");
    Alert a = alerts.get(0);
    assertEquals(AlertType.THIRD_PARTY_DISCLOSURE, a.getType());
    assertEquals(Severity.MEDIUM, a.getSeverity());
    assertEquals(SubjectKind.LENDER, a.getSubject().getKind());
    assertEquals("lender-a", a.getSubject().getId());
    assertEquals(CONTACT, a.getVictim());
    assertEquals("lender-a", a.getLenderId());
    assertEquals("agency-1", a.getAgencyId());
    assertEquals("loan-1", a.getLoanId());
    assertEquals(List.of("a-1"), a.getEvidence().getEventIds());
    assertEquals(
        "1 message to someone other than the debtor names a debt: “逾期”", a.getExplanation());
    ContentState state =
        h.<ContentState>store(ContentDetector.ATTEMPT_STORE).get("lender-a/loan-1");
    assertEquals(1, state.getIncidents().size());
  }

  @Test
  void shouldAlertOnAReportedAttemptThreateningTheBorrowersWorkplace() {
    BehaviourHarness h = start();
    h.lender(attempt("a-3", VICTIM, TargetRole.BORROWER, T0, "再拖着不还，明天就去你单位找你领导。"));
    List<Alert> alerts = h.alerts();
    assertEquals(1, alerts.size());
    assertEquals(AlertType.THREAT_OR_ABUSE, alerts.get(0).getType());
    assertEquals(VICTIM, alerts.get(0).getVictim());
    assertEquals(
        "1 collection message threatens or insults: “去你单位”, “找你领导”",
        alerts.get(0).getExplanation());
  }

  private static LenderEvent attempt(
      String id, String target, TargetRole role, Instant at, String body) {
    return LenderEvent.newBuilder()
        .setEventId(id)
        .setLenderId("lender-a")
        .setAt(at)
        .setPayload(
            new CollectionAttempt(
                "loan-1",
                AttemptChannel.SMS,
                LenderEvents.party(target),
                role,
                AttemptOutcome.DELIVERED,
                "agency-1",
                body,
                id))
        .build();
  }
}

package org.dunwatch.streams.datatrade;

import static org.dunwatch.streams.testdata.CallBuilder.T0;
import static org.dunwatch.streams.testdata.CallBuilder.call;
import static org.dunwatch.streams.testdata.LenderEvents.application;
import static org.dunwatch.streams.testdata.LenderEvents.collector;
import static org.dunwatch.streams.testdata.LenderEvents.loanOpened;
import static org.dunwatch.streams.testdata.SmsBuilder.sms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.alert.AlertType;
import org.dunwatch.avro.alert.Severity;
import org.dunwatch.avro.alert.SubjectKind;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.avro.telecom.SmsRecord;
import org.dunwatch.registry.MockSchemaRegistry;
import org.dunwatch.registry.RegistryConfig;
import org.dunwatch.registry.SchemaRegistryClient;
import org.dunwatch.schemas.Keys;
import org.dunwatch.schemas.TopicNames;
import org.dunwatch.schemas.Topics;
import org.dunwatch.streams.InputStreams;
import org.dunwatch.streams.lender.LenderReference;
import org.dunwatch.streams.lender.LenderReferenceRule;
import org.dunwatch.streams.rules.RuleException;
import org.dunwatch.streams.rules.Rules;
import org.dunwatch.streams.state.DataTradeNumber;
import org.dunwatch.streams.testdata.CallBuilder;
import org.dunwatch.streams.testdata.SmsBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DATA_TRADE on a {@link TopologyTestDriver}: report 003's story (a loan supermarket's applicants
 * called by strangers within days of applying) and the parties that must not be taken for buyers.
 *
 * <p>Every world here has a town of {@value #TOWN} people who get an ordinary call each, so that a
 * platform's applicants are a small share of all numbers, as they are on a real network. The panel
 * is every number ({@code panel_sample} 1) unless a test says otherwise, so counts are exact.
 */
class DataTradeDetectorTest {

  static final int TOWN = 400;
  static final String PLATFORM = "借点钱超市";
  static final String BUYER = "+8617100000001";
  static final Duration DAY = Duration.ofDays(1);

  @TempDir Path stateDir;

  private Harness h;

  @AfterEach
  void close() {
    if (h != null) {
      h.close();
    }
  }

  // ------------------------------------------------------------------ the story

  @Test
  void shouldAlertOnANumberCallingTenOfAPlatformsApplicantsWithinDaysOfApplying() {
    h = new Harness(DataTradeRule.defaults().withPanelSample(1));
    h.town(T0);
    List<String> applicants = h.applyAt(PLATFORM, 12, T0.plus(DAY));
    for (int i = 0; i < 12; i++) {
      h.phone(
          call(BUYER, applicants.get(i))
              .id("buy-" + i)
              .at(T0.plus(DAY.multipliedBy(2)).plusSeconds(60L * i)));
    }

    List<Alert> alerts = h.alerts();
    assertEquals(1, alerts.size(), alerts.toString());
    Alert a = alerts.get(0);
    assertEquals(AlertType.DATA_TRADE, a.getType());
    assertEquals(SubjectKind.NUMBER, a.getSubject().getKind());
    assertEquals(BUYER, a.getSubject().getId());
    assertEquals(PLATFORM, a.getLenderId());
    assertNull(a.getVictim());
    assertEquals(Severity.MEDIUM, a.getSeverity());
    assertEquals(10.0, a.getMetrics().get(BuyerProcessor.APPLICANTS));
    assertEquals(10.0, a.getMetrics().get(BuyerProcessor.FIRST_CONTACTS));
    assertEquals(1.0, a.getMetrics().get(BuyerProcessor.SHARE));
    assertEquals(1.0, a.getMetrics().get(BuyerProcessor.MEDIAN_DAYS), 0.01);
    // 12 applicants among 412 numbers: the buyer reaches them 34x their share
    assertEquals(412 / 12.0, a.getMetrics().get(BuyerProcessor.LIFT), 0.1);
    assertEquals(10L, a.getEvidence().getTotal());
    assertEquals("buy-0", a.getEvidence().getEventIds().get(0));
    assertEquals("application:" + PLATFORM + "/app-0", a.getEvidence().getEventIds().get(1));
    assertTrue(a.getExplanation().contains("app-0"), a.getExplanation());
  }

  @Test
  void shouldReissueTheSameIncidentOnlyWhenTheCountEscalates() {
    h = new Harness(DataTradeRule.defaults().withPanelSample(1));
    h.town(T0);
    List<String> applicants = h.applyAt(PLATFORM, 25, T0.plus(DAY));
    for (int i = 0; i < 25; i++) {
      h.text(
          sms(BUYER, applicants.get(i))
              .id("m-" + i)
              .unknown("急用钱？秒批")
              .at(T0.plus(DAY.multipliedBy(3)).plusSeconds(60L * i)));
      // a second message to the same applicant is no new first contact
      h.text(
          sms(BUYER, applicants.get(i))
              .id("m2-" + i)
              .unknown("额度已到")
              .at(T0.plus(DAY.multipliedBy(3)).plusSeconds(60L * i + 30)));
    }

    List<Alert> alerts = h.alerts();
    assertEquals(2, alerts.size(), alerts.toString());
    assertEquals(alerts.get(0).getAlertId(), alerts.get(1).getAlertId());
    assertEquals(Severity.MEDIUM, alerts.get(0).getSeverity());
    assertEquals(Severity.HIGH, alerts.get(1).getSeverity());
    assertEquals(20.0, alerts.get(1).getMetrics().get(BuyerProcessor.APPLICANTS));
    assertEquals(2, alerts.get(1).getRevision());
    assertEquals(2.0, alerts.get(1).getMetrics().get(BuyerProcessor.MEDIAN_DAYS), 0.01);
  }

  @Test
  void shouldNameTheLenderWhenItsRegisteredNumbersAreTheOnesCalling() {
    h = new Harness(DataTradeRule.defaults().withPanelSample(1));
    h.town(T0);
    h.lender(
        collector("飞贷", null, "+8617200000001", T0), collector("飞贷", null, "+8617200000002", T0));
    List<String> applicants = h.applyAt(PLATFORM, 10, T0.plus(DAY));
    for (int i = 0; i < 10; i++) {
      h.phone(
          call("+861720000000" + (1 + i % 2), applicants.get(i))
              .at(T0.plus(DAY.multipliedBy(2)).plusSeconds(60L * i)));
    }

    List<Alert> alerts = h.alerts();
    assertEquals(1, alerts.size(), alerts.toString());
    assertEquals(SubjectKind.LENDER, alerts.get(0).getSubject().getKind());
    assertEquals("飞贷", alerts.get(0).getSubject().getId());
    assertEquals(PLATFORM, alerts.get(0).getLenderId());
  }

  @Test
  void shouldCountFirstContactsArrivingOutOfOrderWithinGraceAndNotThoseAfterIt() {
    h = new Harness(DataTradeRule.defaults().withPanelSample(1));
    h.town(T0);
    List<String> applicants = h.applyAt(PLATFORM, 12, T0.plus(DAY));
    Instant t = T0.plus(DAY.multipliedBy(2));
    for (int i = 0; i < 8; i++) {
      h.phone(call(BUYER, applicants.get(i)).at(t.plus(Duration.ofMinutes(30 + i))));
    }
    // 20 minutes behind the stream: within the hour of grace
    h.phone(call(BUYER, applicants.get(8)).at(t.plus(Duration.ofMinutes(17))));
    // two hours behind: past grace, dead-lettered before any detector
    h.phone(call(BUYER, applicants.get(9)).at(t.minus(Duration.ofMinutes(80))));
    assertEquals(List.of(), h.alerts());

    h.phone(call(BUYER, applicants.get(10)).at(t.plus(Duration.ofMinutes(40))));
    List<Alert> alerts = h.alerts();
    assertEquals(1, alerts.size(), alerts.toString());
    assertEquals(10.0, alerts.get(0).getMetrics().get(BuyerProcessor.APPLICANTS));
    assertEquals(t.plus(Duration.ofMinutes(17)), alerts.get(0).getWindowStart());
  }

  // ------------------------------------------------------------------ not buyers

  @Test
  void shouldNotAlertOnABroadTelemarketerWhoReachesApplicantsOnlyAtTheirUsualShare() {
    h = new Harness(DataTradeRule.defaults().withPanelSample(1));
    h.town(T0);
    List<String> applicants = h.applyAt(PLATFORM, 12, T0.plus(DAY));
    Instant t = T0.plus(DAY.multipliedBy(2));
    String marketer = "+8617300000001";
    for (int i = 0; i < TOWN; i++) {
      h.phone(call(marketer, townsperson(i)).at(t.plusSeconds(30L * i)));
    }
    for (int i = 0; i < 12; i++) {
      h.phone(call(marketer, applicants.get(i)).at(t.plusSeconds(30L * (TOWN + i))));
    }

    assertEquals(List.of(), h.alerts());
  }

  @Test
  void shouldNotAlertOnALenderThePlatformForwardedTheApplicationsTo() {
    h = new Harness(DataTradeRule.defaults().withPanelSample(1));
    h.town(T0);
    h.lender(collector("正规贷", null, "+8617400000001", T0));
    List<String> applicants = h.applyAt(PLATFORM, 12, T0.plus(DAY), "正规贷");
    for (int i = 0; i < 12; i++) {
      h.phone(
          call("+8617400000001", applicants.get(i))
              .at(T0.plus(DAY.multipliedBy(2)).plusSeconds(60L * i)));
    }

    assertEquals(List.of(), h.alerts());
  }

  @Test
  void shouldNotAlertOnThePlatformsOwnFollowUpCalls() {
    h = new Harness(DataTradeRule.defaults().withPanelSample(1));
    h.town(T0);
    h.lender(collector(PLATFORM, null, "+8617500000001", T0));
    List<String> applicants = h.applyAt(PLATFORM, 12, T0.plus(DAY));
    for (int i = 0; i < 12; i++) {
      h.phone(
          call("+8617500000001", applicants.get(i))
              .answered(60)
              .at(T0.plus(DAY).plusSeconds(3600 + 60L * i)));
    }

    assertEquals(List.of(), h.alerts());
  }

  @Test
  void shouldNotAlertOnALenderCallingApplicantsWhoAlreadyBorrowFromIt() {
    h = new Harness(DataTradeRule.defaults().withPanelSample(1));
    h.lender(collector("老贷", null, "+8617600000001", T0.minus(DAY.multipliedBy(31))));
    List<String> applicants = h.applicants(12);
    for (int i = 0; i < 12; i++) {
      h.lender(loanOpened("老贷", "loan-" + i, applicants.get(i), T0.minus(DAY.multipliedBy(30))));
    }
    h.town(T0);
    h.apply(PLATFORM, applicants, T0.plus(DAY));
    for (int i = 0; i < 12; i++) {
      h.phone(
          call("+8617600000001", applicants.get(i))
              .at(T0.plus(DAY.multipliedBy(2)).plusSeconds(60L * i)));
    }

    assertEquals(List.of(), h.alerts());
  }

  @Test
  void shouldNotCountAContactDeclaredOnTheApplicantsLoan() {
    h = new Harness(DataTradeRule.defaults().withPanelSample(1));
    String guarantor = "+8617700000001";
    List<String> applicants = h.applicants(12);
    for (int i = 0; i < 12; i++) {
      h.lender(loanOpened("担保贷", "loan-" + i, applicants.get(i), T0.minus(DAY), guarantor));
    }
    h.town(T0);
    h.apply(PLATFORM, applicants, T0.plus(DAY));
    for (int i = 0; i < 12; i++) {
      h.phone(
          call(guarantor, applicants.get(i)).at(T0.plus(DAY.multipliedBy(2)).plusSeconds(60L * i)));
    }

    assertEquals(List.of(), h.alerts());
  }

  @Test
  void shouldNotCountAPartyThatCalledTheApplicantBeforeTheApplication() {
    h = new Harness(DataTradeRule.defaults().withPanelSample(1));
    h.town(T0);
    List<String> applicants = h.applicants(12);
    for (int i = 0; i < 12; i++) {
      h.phone(call(BUYER, applicants.get(i)).answered(120).at(T0.plusSeconds(60L * i)));
    }
    h.apply(PLATFORM, applicants, T0.plus(DAY));
    for (int i = 0; i < 12; i++) {
      h.phone(call(BUYER, applicants.get(i)).at(T0.plus(DAY.multipliedBy(2)).plusSeconds(60L * i)));
    }

    assertEquals(List.of(), h.alerts());
  }

  @Test
  void shouldNotCountFirstContactsLaterThanMaxDaysAfterTheApplication() {
    h = new Harness(DataTradeRule.defaults().withPanelSample(1));
    h.town(T0);
    List<String> applicants = h.applyAt(PLATFORM, 12, T0);
    for (int i = 0; i < 12; i++) {
      h.phone(call(BUYER, applicants.get(i)).at(T0.plus(DAY.multipliedBy(8)).plusSeconds(60L * i)));
    }

    assertEquals(List.of(), h.alerts());
  }

  @Test
  void shouldNotAlertBelowMinApplicants() {
    h = new Harness(DataTradeRule.defaults().withPanelSample(1));
    h.town(T0);
    List<String> applicants = h.applyAt(PLATFORM, 9, T0.plus(DAY));
    for (int i = 0; i < 9; i++) {
      h.phone(call(BUYER, applicants.get(i)).at(T0.plus(DAY.multipliedBy(2)).plusSeconds(60L * i)));
    }

    assertEquals(List.of(), h.alerts());
  }

  // ------------------------------------------------------------------ bounded state

  @Test
  void shouldTrackOnlyRecentApplicantsAndPanelNumbersAndForgetApplicantsAfterMaxDaysAfter() {
    // no number of this test is on a panel of one in a million
    DataTradeRule rule = DataTradeRule.defaults().withPanelSample(1_000_000);
    h = new Harness(rule);
    String applicant = "+8618800000001";
    String other = "+8618800000002";
    assertTrue(!rule.onPanel(applicant) && !rule.onPanel(other) && !rule.onPanel(BUYER));
    h.lender(application(PLATFORM, "app-1", applicant, T0));
    h.phone(call(BUYER, applicant).at(T0.plus(DAY)));
    h.phone(call(BUYER, other).at(T0.plus(DAY)));

    KeyValueStore<String, DataTradeNumber> numbers = h.store(DataTradeDetector.NUMBER_STORE);
    assertNotNull(numbers.get(applicant));
    assertEquals(1, numbers.get(applicant).getParties().size());
    assertNull(numbers.get(other), "a number that did not apply and is not on the panel");

    // stream time past max_days_after and a purge interval
    h.phone(call("+8618800000009", "+8618800000010").at(T0.plus(DAY.multipliedBy(8))));
    assertNull(
        numbers.get(applicant), "forgotten once its application is older than max_days_after");
  }

  @Test
  void shouldPutAboutOneNumberInPanelSampleOnThePanel() {
    DataTradeRule rule = DataTradeRule.defaults();
    int on = 0;
    for (int i = 0; i < 80_000; i++) {
      if (rule.onPanel(String.format("+86188%08d", i))) {
        on++;
      }
    }
    assertEquals(10_000, on, 500);
  }

  @Test
  void shouldReadTheDefaultsFromTheRulePackAndRefuseUnknownKeys() {
    assertEquals(DataTradeRule.defaults(), DataTradeRule.from(Rules.defaults()));
    assertThrows(
        RuleException.class,
        () ->
            DataTradeRule.from(
                Rules.parse("{\"detectors\": {\"data_trade\": {\"panel\": 5}}}", "test")));
    assertThrows(
        RuleException.class,
        () ->
            DataTradeRule.from(
                Rules.parse(
                    "{\"detectors\": {\"data_trade\": {\"rules\": {\"data_trade.pair\": {\"min_share\": 1.5}}}}}",
                    "test")));
  }

  static String townsperson(int i) {
    return String.format("+86139%08d", i);
  }

  /** The detector with the lender reference behind the real decoding and serdes. */
  final class Harness implements AutoCloseable {
    private final String scope = "data-trade-" + UUID.randomUUID();
    private final Topics topics =
        Topics.create(
            TopicNames.defaults(),
            SchemaRegistryClient.create(RegistryConfig.of("mock://" + scope)));
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, SmsRecord> smsIn;
    private final TestInputTopic<String, CallRecord> callsIn;
    private final TestInputTopic<String, LenderEvent> lenderIn;
    private final TestOutputTopic<String, Alert> alertsOut;
    private int applicantCount;

    Harness(DataTradeRule rule) {
      Rules rules = Rules.defaults();
      Properties props = new Properties();
      props.put(StreamsConfig.APPLICATION_ID_CONFIG, "data-trade-test");
      props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
      props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
      props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
      StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
      InputStreams in = InputStreams.from(builder, topics, rules.grace());
      DataTradeDetector.addTo(
              builder,
              in.calls(),
              in.sms(),
              in.lender(),
              LenderReference.addTo(builder, in.lender(), LenderReferenceRule.from(rules)),
              rule)
          .to(
              topics.alerts().name(),
              Produced.with(topics.alerts().keySerde(), topics.alerts().valueSerde())
                  .withName("alerts-sink"));
      driver = new TopologyTestDriver(builder.build(props), props, T0);
      smsIn =
          driver.createInputTopic(
              topics.sms().name(),
              topics.sms().keySerde().serializer(),
              topics.sms().valueSerde().serializer());
      callsIn =
          driver.createInputTopic(
              topics.calls().name(),
              topics.calls().keySerde().serializer(),
              topics.calls().valueSerde().serializer());
      lenderIn =
          driver.createInputTopic(
              topics.lender().name(),
              topics.lender().keySerde().serializer(),
              topics.lender().valueSerde().serializer());
      alertsOut =
          driver.createOutputTopic(
              topics.alerts().name(),
              topics.alerts().keySerde().deserializer(),
              topics.alerts().valueSerde().deserializer());
    }

    /** Every person of the town gets one call from a friend of theirs. */
    void town(Instant at) {
      for (int i = 0; i < TOWN; i++) {
        phone(
            call(String.format("+86137%08d", i), townsperson(i))
                .answered(90)
                .at(at.plusSeconds(i)));
      }
    }

    /** {@code n} new applicant numbers. */
    List<String> applicants(int n) {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        out.add(String.format("+86186%08d", applicantCount++));
      }
      return out;
    }

    /** {@code n} new people apply at {@code platform}, an hour apart from {@code at}. */
    List<String> applyAt(String platform, int n, Instant at, String... forwardedTo) {
      List<String> applicants = applicants(n);
      apply(platform, applicants, at, forwardedTo);
      return applicants;
    }

    void apply(String platform, List<String> applicants, Instant at, String... forwardedTo) {
      for (int i = 0; i < applicants.size(); i++) {
        lender(
            application(
                platform, "app-" + i, applicants.get(i), at.plusSeconds(60L * i), forwardedTo));
      }
    }

    void lender(LenderEvent... events) {
      for (LenderEvent e : events) {
        lenderIn.pipeInput(new TestRecord<>(Keys.of(e), e, e.getAt()));
      }
    }

    void phone(CallBuilder b) {
      callsIn.pipeInput(new TestRecord<>(b.callee(), b.build(), b.time()));
    }

    void text(SmsBuilder b) {
      smsIn.pipeInput(new TestRecord<>(b.recipient(), b.build(), b.time()));
    }

    List<Alert> alerts() {
      return alertsOut.readValuesToList();
    }

    <V> KeyValueStore<String, V> store(String name) {
      return driver.getKeyValueStore(name);
    }

    @Override
    public void close() {
      driver.close();
      MockSchemaRegistry.drop(scope);
    }
  }
}

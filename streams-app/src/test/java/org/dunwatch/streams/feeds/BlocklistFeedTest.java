package org.dunwatch.streams.feeds;

import static org.dunwatch.avro.alert.AlertType.CALL_FLOOD;
import static org.dunwatch.avro.alert.AlertType.CONTACT_FAN_OUT;
import static org.dunwatch.avro.alert.AlertType.SMS_FLOOD;
import static org.dunwatch.avro.alert.AlertType.THIRD_PARTY_CONTACT;
import static org.dunwatch.streams.feeds.FeedAlerts.alert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.dunwatch.avro.alert.Severity;
import org.dunwatch.avro.alert.SubjectKind;
import org.dunwatch.avro.feed.BlocklistAction;
import org.dunwatch.avro.feed.BlocklistEntry;
import org.dunwatch.streams.testdata.LenderEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlocklistFeedTest {

  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  static final String BOMBER = "+8617000000001";
  static final String VICTIM = "+8618800000001";
  static final String OTHER = "+8618800000099";
  static final Duration QUIET = BlocklistRule.defaults().quietPeriod();

  @TempDir Path stateDir;
  FeedHarness h;
  TestOutputTopic<String, BlocklistEntry> out;

  @BeforeEach
  void setUp() {
    h =
        new FeedHarness(
            (b, alerts, lender, topics) ->
                BlocklistFeed.addTo(
                    b, alerts, lender, topics.blocklist(), BlocklistRule.defaults()),
            stateDir);
    out = h.output(h.topics.blocklist());
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  /** The latest record per key, as a compacted topic keeps it (null: tombstone). */
  private Map<String, BlocklistEntry> latest() {
    Map<String, BlocklistEntry> m = new LinkedHashMap<>();
    for (TestRecord<String, BlocklistEntry> r : out.readRecordsToList()) {
      m.put(r.key(), r.value());
    }
    return m;
  }

  /** Advances stream time with an alert about unrelated numbers. */
  private void advanceTo(Instant t) {
    h.send(alert(CONTACT_FAN_OUT, "clock-" + t).subject(SubjectKind.LENDER, "lnd-x").at(t));
  }

  @Test
  void shouldBlockTheCallerAndProtectTheVictimOfAHighCallFlood() {
    h.send(alert(CALL_FLOOD, "a1").subject(BOMBER).victim(VICTIM).severity(Severity.HIGH).at(T0));

    Map<String, BlocklistEntry> m = latest();
    BlocklistEntry bomber = m.get(BOMBER);
    assertEquals(BlocklistAction.BLOCK, bomber.getAction());
    assertEquals(List.of("a1"), bomber.getAlertIds());
    assertEquals(List.of("CALL_FLOOD"), bomber.getAlertTypes());
    assertEquals(T0, bomber.getSince());
    assertEquals(T0.plus(QUIET), bomber.getExpiresAt());
    assertTrue(bomber.getReason().contains("CALL_FLOOD at HIGH"), bomber.getReason());
    BlocklistEntry victim = m.get(VICTIM);
    assertEquals(BlocklistAction.PROTECT, victim.getAction());
    assertEquals(List.of("a1"), victim.getAlertIds());
    assertEquals(2, m.size());
  }

  @Test
  void shouldThrottleAMediumSenderAndRaiseItToBlockWhenTheIncidentEscalates() {
    h.send(alert(SMS_FLOOD, "s1").subject(BOMBER).victim(VICTIM).at(T0));
    assertEquals(BlocklistAction.THROTTLE, latest().get(BOMBER).getAction());

    h.send(
        alert(SMS_FLOOD, "s1")
            .subject(BOMBER)
            .victim(VICTIM)
            .severity(Severity.CRITICAL)
            .revision(2)
            .at(T0.plusSeconds(600)));
    BlocklistEntry raised = latest().get(BOMBER);
    assertEquals(BlocklistAction.BLOCK, raised.getAction());
    assertEquals("CRITICAL", raised.getSeverity());
    assertEquals(T0, raised.getSince(), "still the same listing");
    assertEquals(T0.plusSeconds(600).plus(QUIET), raised.getExpiresAt());
  }

  @Test
  void shouldLiftTheEntryWithATombstoneOnceTheIncidentHasBeenQuietForTheQuietPeriod() {
    h.send(alert(CALL_FLOOD, "a1").subject(BOMBER).victim(VICTIM).severity(Severity.HIGH).at(T0));
    latest();

    advanceTo(T0.plus(QUIET).minusSeconds(600));
    assertTrue(latest().isEmpty(), "nothing lifted before the quiet period is over");

    advanceTo(T0.plus(QUIET).plusSeconds(600));
    Map<String, BlocklistEntry> m = latest();
    assertTrue(m.containsKey(BOMBER) && m.get(BOMBER) == null, "tombstone for the caller");
    assertTrue(m.containsKey(VICTIM) && m.get(VICTIM) == null, "tombstone for the victim");
    KeyValueStore<String, BlocklistEntry> entries =
        h.driver.getKeyValueStore(BlocklistFeed.ENTRY_STORE);
    assertNull(entries.get(BOMBER));
    assertNull(h.driver.getKeyValueStore(BlocklistFeed.STATE_STORE).get(BOMBER));
  }

  @Test
  void shouldLowerABlockToAThrottleWhenTheHighIncidentEndsAndAMediumOneGoesOn() {
    h.send(alert(CALL_FLOOD, "a1").subject(BOMBER).victim(VICTIM).severity(Severity.HIGH).at(T0));
    Instant later = T0.plus(QUIET).minusSeconds(3600);
    h.send(alert(CALL_FLOOD, "a2").subject(BOMBER).victim(OTHER).at(later));
    assertEquals(BlocklistAction.BLOCK, latest().get(BOMBER).getAction());

    advanceTo(T0.plus(QUIET).plusSeconds(600));
    BlocklistEntry lowered = latest().get(BOMBER);
    assertEquals(BlocklistAction.THROTTLE, lowered.getAction());
    assertEquals(List.of("a2"), lowered.getAlertIds());
    assertEquals(T0, lowered.getSince(), "listed without a break since the first incident");
  }

  @Test
  void shouldNotReopenAnEntryForALateRevisionOfAnIncidentAlreadyLifted() {
    h.send(alert(CALL_FLOOD, "a1").subject(BOMBER).victim(VICTIM).severity(Severity.HIGH).at(T0));
    advanceTo(T0.plus(QUIET).plusSeconds(600));
    latest();

    h.send(
        alert(CALL_FLOOD, "a1")
            .subject(BOMBER)
            .victim(VICTIM)
            .severity(Severity.CRITICAL)
            .revision(2)
            .at(T0.plusSeconds(60)));
    assertTrue(latest().isEmpty(), "a late revision past the quiet period lists nothing");
  }

  @Test
  void shouldKeepTheSeverityOfTheLatestRevisionWhenAnEarlierRevisionArrivesLate() {
    h.send(
        alert(CALL_FLOOD, "a1")
            .subject(BOMBER)
            .victim(VICTIM)
            .severity(Severity.HIGH)
            .revision(2)
            .at(T0.plusSeconds(600)));
    h.send(alert(CALL_FLOOD, "a1").subject(BOMBER).victim(VICTIM).revision(1).at(T0));

    BlocklistEntry e =
        h.driver.<String, BlocklistEntry>getKeyValueStore(BlocklistFeed.ENTRY_STORE).get(BOMBER);
    assertEquals(BlocklistAction.BLOCK, e.getAction());
    assertEquals("HIGH", e.getSeverity());
    assertEquals(T0, e.getSince(), "the late revision moves the start back");
    assertEquals(T0.plusSeconds(600).plus(QUIET), e.getExpiresAt());
  }

  @Test
  void shouldThrottleNotBlockARegisteredCollectorNumberAndSaySo() {
    h.send(LenderEvents.collector("lnd-cn-02", "ag-07", BOMBER, T0.minusSeconds(86_400)));
    h.send(
        alert(CALL_FLOOD, "a1").subject(BOMBER).victim(VICTIM).severity(Severity.CRITICAL).at(T0));

    BlocklistEntry e = latest().get(BOMBER);
    assertEquals(BlocklistAction.THROTTLE, e.getAction());
    assertTrue(e.getRegisteredCollector());
    assertEquals("lnd-cn-02", e.getLenderId());
    assertEquals("ag-07", e.getAgencyId());
    assertTrue(
        e.getReason().contains("registered collector number of lender lnd-cn-02"), e.getReason());
    assertTrue(e.getReason().contains("not blocked"), e.getReason());
  }

  @Test
  void shouldListOnlyNumbersOfFloodsAndFanOutAndNeverALenderOrAPolicyBreach() {
    h.send(
        alert(THIRD_PARTY_CONTACT, "p1")
            .subject(SubjectKind.LENDER, "lnd-cn-02")
            .victim(VICTIM)
            .lender("lnd-cn-02", null)
            .severity(Severity.HIGH)
            .at(T0));
    h.send(
        alert(CONTACT_FAN_OUT, "f1")
            .subject(BOMBER)
            .victim(VICTIM)
            .severity(Severity.HIGH)
            .at(T0.plusSeconds(1)));

    Map<String, BlocklistEntry> m = latest();
    assertEquals(
        List.of(BOMBER), List.copyOf(m.keySet()), "fan-out lists its source, not its circle");
    assertEquals(BlocklistAction.BLOCK, m.get(BOMBER).getAction());
  }
}

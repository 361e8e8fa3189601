package org.dunwatch.streams.feeds;

import static org.dunwatch.streams.testdata.LenderEvents.party;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.dunwatch.avro.feed.Scorecard;
import org.dunwatch.avro.lender.AttemptChannel;
import org.dunwatch.avro.lender.AttemptOutcome;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.avro.telecom.CallOutcome;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.registry.MockSchemaRegistry;
import org.dunwatch.registry.RegistryConfig;
import org.dunwatch.registry.SchemaRegistryClient;
import org.dunwatch.schemas.Keys;
import org.dunwatch.schemas.TopicNames;
import org.dunwatch.schemas.Topics;
import org.dunwatch.streams.DunwatchTopology;
import org.dunwatch.streams.rules.Rules;
import org.dunwatch.streams.testdata.LenderEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contacts judged, end to end through the whole topology: the policy detectors count each
 * collection contact once, and the scorecards add them up per lender and agency.
 */
class ContactsJudgedTest {

  static final String SCOPE = "contacts-judged-test";
  static final Instant T0 = Instant.parse("2026-03-02T02:00:00Z");
  static final String COLLECTOR = "+8617100000001";
  static final String STRANGER_CALLER = "+8617100000099";
  static final String BORROWER = "+8618800000001";

  @TempDir Path stateDir;

  @Test
  void shouldCountEachCollectionContactOnceForTheLenderAndItsAgency() {
    Topics topics =
        Topics.create(
            TopicNames.defaults(),
            SchemaRegistryClient.create(RegistryConfig.of("mock://" + SCOPE)));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "contacts-judged-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    try (TopologyTestDriver driver =
        new TopologyTestDriver(DunwatchTopology.build(topics, Rules.defaults()), props)) {
      TestInputTopic<String, CallRecord> calls =
          driver.createInputTopic(
              topics.calls().name(),
              topics.calls().keySerde().serializer(),
              topics.calls().valueSerde().serializer());
      TestInputTopic<String, LenderEvent> lender =
          driver.createInputTopic(
              topics.lender().name(),
              topics.lender().keySerde().serializer(),
              topics.lender().valueSerde().serializer());
      for (LenderEvent e :
          new LenderEvent[] {
            LenderEvents.collector("lnd-cn-02", "ag-1", COLLECTOR, T0.minus(Duration.ofDays(1))),
            LenderEvents.loanOpened("lnd-cn-02", "loan-1", BORROWER, T0.minus(Duration.ofDays(40))),
            LenderEvents.delinquency("lnd-cn-02", "loan-1", 30, T0.minus(Duration.ofDays(1)))
          }) {
        lender.pipeInput(Keys.of(e), e, e.getAt());
      }
      for (int i = 0; i < 3; i++) {
        Instant at = T0.plus(Duration.ofHours(i));
        CallRecord c =
            new CallRecord(
                "c" + i,
                "CMCC",
                party(COLLECTOR),
                party(BORROWER),
                at,
                5,
                60,
                CallOutcome.ANSWERED);
        calls.pipeInput(Keys.of(c), c, at);
      }
      // the lender's own report of the first call: the same contact, counted once
      LenderEvent report =
          LenderEvents.attempt(
              "att-0",
              "lnd-cn-02",
              "ag-1",
              "loan-1",
              BORROWER,
              AttemptChannel.CALL,
              AttemptOutcome.CONNECTED,
              T0.plusSeconds(30));
      lender.pipeInput(Keys.of(report), report, report.getAt());
      CallRecord notCollection =
          new CallRecord(
              "x",
              "CMCC",
              party(STRANGER_CALLER),
              party(BORROWER),
              T0.plusSeconds(7200 + 60),
              5,
              60,
              CallOutcome.ANSWERED);
      calls.pipeInput(Keys.of(notCollection), notCollection, notCollection.getStartTime());
      // past the policy join window and a publishing interval
      CallRecord later =
          new CallRecord(
              "later",
              "CMCC",
              party(STRANGER_CALLER),
              party("+8618800000077"),
              T0.plus(Duration.ofHours(4)),
              5,
              0,
              CallOutcome.NO_ANSWER);
      calls.pipeInput(Keys.of(later), later, later.getStartTime());

      // the last judged contact came after the scorecards' last event-time tick
      driver.advanceWallClockTime(Duration.ofSeconds(11));
      Map<String, Scorecard> latest = new HashMap<>();
      driver
          .createOutputTopic(
              topics.scorecards().name(),
              topics.scorecards().keySerde().deserializer(),
              topics.scorecards().valueSerde().deserializer())
          .readRecordsToList()
          .forEach(
              r -> {
                System.err.println(
                    "DBG " + r.key() + " " + r.value().getContactsJudged() + " @" + r.timestamp());
                latest.put(r.key(), r.value());
              });
      assertEquals(3, latest.get("lnd-cn-02@2026-03-02").getContactsJudged());
      assertEquals(3, latest.get("lnd-cn-02/ag-1@2026-03-02").getContactsJudged());
      assertEquals(3, latest.get("lnd-cn-02@2026-W10").getContactsJudged());
    } finally {
      MockSchemaRegistry.drop(SCOPE);
    }
  }
}

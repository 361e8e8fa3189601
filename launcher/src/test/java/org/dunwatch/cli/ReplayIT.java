package org.dunwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.alert.AlertType;
import org.dunwatch.deploy.ApicurioRegistry;
import org.dunwatch.deploy.KafkaBroker;
import org.dunwatch.producers.privacy.Pseudonymizer;
import org.dunwatch.schemas.AlertJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a real broker and a real registry: the seed report's call log through {@code
 * dunwatch replay}, then {@code dunwatch alerts} reading the same alerts back.
 */
class ReplayIT {

  static final Path SEED = Path.of("../deploy/examples/seed-000-call-bombing.csv");
  static final String VICTIM = "+8618812345678";
  static final Path SAMPLES = ProduceCommandTest.SAMPLES;

  private static KafkaBroker kafka;
  private static ApicurioRegistry registry;

  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    registry = ApicurioRegistry.builder().start();
    kafka = KafkaBroker.builder().start();
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  private String[] cluster(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--bootstrap-servers";
    all[args.length + 1] = kafka.bootstrapServers();
    all[args.length + 2] = "--schema-registry-url";
    all[args.length + 3] = registry.ccompatUrl();
    return all;
  }

  @Test
  void shouldAlertOnTheSeedReportsVictimOnlyAndTailTheSameAlerts() throws IOException {
    Path alertsOut = tmp.resolve("alerts.jsonl");
    String key = "replay-it-key-0123456789abcdef";
    Path keyFile = Files.writeString(tmp.resolve("key"), key + "\n");
    Cli.Run replay =
        Cli.run(
            cluster(
                "replay",
                "--calls",
                SEED.toString(),
                "--default-region",
                "CN",
                "--pseudonym-key-file",
                keyFile.toString(),
                "--alerts-out",
                alertsOut.toString()));

    assertEquals(0, replay.exit(), replay.err());
    List<Alert> alerts = Files.readAllLines(alertsOut).stream().map(AlertJson::fromJson).toList();
    assertTrue(!alerts.isEmpty(), "no alerts: " + replay.out() + replay.err());
    Set<String> victims = alerts.stream().map(Alert::getVictim).collect(Collectors.toSet());
    String victim = Pseudonymizer.ofKey(key.getBytes(StandardCharsets.UTF_8)).pseudonym(VICTIM);
    assertEquals(Set.of(victim), victims, "only the bombed number is a victim, pseudonymised");
    assertTrue(!replay.out().contains(VICTIM), "no raw number printed: " + replay.out());
    assertTrue(!Files.readString(alertsOut).contains("+86"), "no raw number in the alerts");
    Set<String> incidents = alerts.stream().map(Alert::getAlertId).collect(Collectors.toSet());
    assertEquals(1, incidents.size(), "one incident, re-issued as it grows");
    assertTrue(alerts.stream().allMatch(a -> a.getType() == AlertType.CALL_FLOOD));
    Alert first = alerts.get(0);
    assertEquals(1, first.getRevision());
    // the early signal (flood.calls.early) first: three hung-up calls in 15 minutes
    assertEquals("flood.calls.early", first.getRuleId());
    double early = first.getMetrics().get("calls");
    assertTrue(early >= 3.0 && early < 15.0, "flagged before the hour's 15 calls: " + early);
    assertTrue(
        alerts.stream().anyMatch(a -> a.getMetrics().get("calls") >= 15.0),
        "the same incident grows past the hour's threshold");
    assertTrue(replay.out().contains("CALL_FLOOD"), replay.out());
    assertTrue(replay.out().contains(first.getExplanation()), replay.out());
    assertTrue(replay.out().contains("260 records, 0 rejected lines"), replay.out());
    // 12 hours of calls, produced two hours of event time at a time (the default --slice)
    assertTrue(replay.err().contains("slices of PT2H"), replay.err());

    Cli.Run tail =
        Cli.run(
            cluster(
                "alerts", "--json", "--from-beginning", "--max", String.valueOf(alerts.size())));
    assertEquals(0, tail.exit(), tail.err());
    List<Alert> tailed = tail.out().lines().map(AlertJson::fromJson).toList();
    assertEquals(
        alerts.stream()
            .map(a -> a.getAlertId() + "#" + a.getRevision())
            .collect(Collectors.toSet()),
        tailed.stream()
            .map(a -> a.getAlertId() + "#" + a.getRevision())
            .collect(Collectors.toSet()));
  }

  @Test
  void shouldReplayCallsSmsAndLenderFilesTogetherAndReportBadLinesOfEachByNumber()
      throws IOException {
    Path calls = tmp.resolve("bad.csv");
    Files.writeString(
        calls,
        String.join(
            "\n",
            "call_id,carrier,caller,callee,start_time,ring_seconds,talk_seconds,outcome",
            "b1,CM,+8617000000001,+8613800000001,2024-07-26T09:00:00+08:00,3,0,CALLER_HANGUP",
            "b2,CM,+8617000000001,+8613800000001,yesterday,3,0,CALLER_HANGUP",
            "b3,CM,+8617000000001,+8613800000001,2024-07-26T09:05:00+08:00,3,0,HUNGUP",
            "b4,CM,+8617000000001",
            "b5,CM,+8617000000001,+8613800000001,2024-07-26T09:10:00+08:00,3,0,NO_ANSWER",
            ""));
    Path sms = Files.copy(SAMPLES.resolve("sms.csv"), tmp.resolve("sms.csv"));
    Path lender = Files.copy(SAMPLES.resolve("lender.jsonl"), tmp.resolve("lender.jsonl"));
    Cli.Run replay =
        Cli.run(
            cluster(
                "replay",
                "--calls",
                calls.toString(),
                "--sms",
                sms.toString(),
                "--lender",
                lender.toString(),
                "--default-region",
                "CN",
                "--pseudonymize",
                "off",
                // its own topics: a new replay reads its input topics from the beginning
                "--config",
                ProduceIT.ownTopics(tmp).toString()));

    assertEquals(0, replay.exit(), replay.err());
    assertTrue(replay.err().contains("rejected bad.csv line 3"), replay.err());
    assertTrue(replay.err().contains("rejected bad.csv line 4"), replay.err());
    assertTrue(replay.err().contains("rejected bad.csv line 5"), replay.err());
    assertTrue(replay.err().contains("rejected sms.csv line 7"), replay.err());
    assertTrue(replay.err().contains("rejected lender.jsonl line 9"), replay.err());
    assertTrue(
        replay.out().contains("bad.csv:                 2 records, 3 rejected lines (see "),
        replay.out());
    assertTrue(replay.out().contains("sms.csv:                 3 records, 2 rejected lines"));
    assertTrue(replay.out().contains("lender.jsonl:            7 records, 3 rejected lines"));
    assertEquals(3, Files.readAllLines(tmp.resolve("bad.csv.rejects")).size());
    // The sample lender file declares its collector number (1 July) after a delinquency of
    // 5 July. Whether that registration is late depends on which task's stream time it meets
    // (the two events have different keys); seen both ways on a loaded machine, so only the
    // bound is asserted here. See the session note.
    assertTrue(
        replay.out().contains("dead letters:            1")
            || replay.out().contains("dead letters:            0"),
        replay.out());
    // the sample message m-3 tells an emergency contact about someone else's debt
    assertTrue(
        replay
            .out()
            .lines()
            .anyMatch(l -> l.contains("THIRD_PARTY_DISCLOSURE") && l.contains("+8613900000002")),
        replay.out());
  }

  @Test
  void shouldRefuseAMissingFileWithAClearMessage() {
    Cli.Run replay =
        Cli.run("replay", "--calls", tmp.resolve("nope.csv").toString(), "--pseudonymize", "off");
    assertEquals(2, replay.exit());
    assertTrue(replay.err().contains("error: --calls"), replay.err());
  }
}

package org.dunwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dunwatch.producers.sim.Label;
import org.dunwatch.producers.sim.Labels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dunwatch simulate} writing files, without a cluster. */
class SimulateCommandTest {

  @TempDir Path tmp;

  @Test
  void shouldWriteTheContractFilesAndLabelsForASeed() throws Exception {
    Path out = tmp.resolve("world");
    Path labels = tmp.resolve("labels.jsonl");
    Cli.Run run =
        Cli.run(
            "simulate",
            "--seed",
            "5",
            "--subscribers",
            "120",
            "--days",
            "1",
            "--scenarios",
            "CALL_BOMBING,SMS_BOMBING=2",
            "--out",
            out.toString(),
            "--labels-out",
            labels.toString());

    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("subscribers:   120"), run.out());
    assertEquals(
        "call_id,carrier,caller,callee,start_time,ring_seconds,talk_seconds,outcome",
        Files.readAllLines(out.resolve("calls.csv")).get(0));
    assertTrue(Files.size(out.resolve("sms.csv")) > 0);
    assertTrue(Files.size(out.resolve("lender.jsonl")) > 0);
    List<Label> read = Labels.read(labels);
    assertEquals(3, read.stream().filter(l -> !l.isOrdinary()).count());
    assertEquals(
        List.of("s01", "s02", "s03"),
        read.stream().filter(l -> !l.isOrdinary()).map(Label::id).toList());

    // same seed, same files
    Path again = tmp.resolve("again");
    Cli.run(
        "simulate",
        "--seed",
        "5",
        "--subscribers",
        "120",
        "--days",
        "1",
        "--scenarios",
        "CALL_BOMBING,SMS_BOMBING=2",
        "--out",
        again.toString());
    assertEquals(
        Files.readString(out.resolve("calls.csv")), Files.readString(again.resolve("calls.csv")));
    assertEquals(
        Files.readString(out.resolve("lender.jsonl")),
        Files.readString(again.resolve("lender.jsonl")));
  }

  @Test
  void shouldRefuseToRunWithNothingToDoOrAnUnknownScenario() {
    Cli.Run nothing = Cli.run("simulate");
    assertEquals(2, nothing.exit());
    assertTrue(nothing.err().contains("nothing to do"), nothing.err());

    Cli.Run unknown = Cli.run("simulate", "--out", tmp.toString(), "--scenarios", "BOMBS");
    assertEquals(2, unknown.exit());
    assertTrue(unknown.err().contains("unknown scenario \"BOMBS\""), unknown.err());

    Cli.Run produce = Cli.run("simulate", "--produce");
    assertEquals(2, produce.exit());
    assertTrue(produce.err().contains("dunwatch demo"), produce.err());
  }
}

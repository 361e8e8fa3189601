package org.dunwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dunwatch.avro.alert.AlertType;
import org.dunwatch.producers.sim.Label;
import org.dunwatch.producers.sim.Labels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dunwatch demo} as a newcomer runs it: its own real broker and registry, a small simulated
 * world through the real topology, the call bombing found, everything stopped afterwards.
 */
class DemoIT {

  @TempDir Path tmp;

  @Test
  void shouldFindTheInjectedCallBombingAndStopItsBrokerAndRegistry() throws Exception {
    Path labels = tmp.resolve("labels.jsonl");
    Path alerts = tmp.resolve("alerts.jsonl");
    Cli.Run run =
        Cli.run(
            "demo",
            "--subscribers",
            "150",
            "--days",
            "1",
            "--rate",
            "max",
            "--labels-out",
            labels.toString(),
            "--alerts-out",
            alerts.toString());

    assertEquals(0, run.exit(), run.err() + run.out());
    String out = run.out();
    assertTrue(out.contains("found  s01 CALL_BOMBING"), out);
    assertTrue(
        out.lines().anyMatch(l -> l.matches("\\s*CALL_FLOOD\\s+1\\s+1\\s+0\\s+0\\s*")),
        "CALL_FLOOD: injected 1, found 1, missed 0, unlabelled 0\n" + out);
    assertTrue(out.contains("0 dead letters"), out);
    assertFalse(out.contains("false positive on"), out);

    Label bombing = Labels.read(labels).get(0);
    assertEquals(AlertType.CALL_FLOOD, bombing.alertType());
    List<String> alertLines = Files.readAllLines(alerts);
    assertFalse(alertLines.isEmpty());
    List<String> floods =
        alertLines.stream().filter(l -> l.contains("\"type\":\"CALL_FLOOD\"")).toList();
    assertFalse(floods.isEmpty());
    assertTrue(
        floods.stream().allMatch(l -> l.contains("\"victim\":\"" + bombing.victim() + "\"")),
        "every call-flood alert is about the bombing victim: " + floods);

    for (String marker : List.of("Kafka broker up at", "Apicurio Registry up at")) {
      String line = run.err().lines().filter(l -> l.contains(marker)).findFirst().orElseThrow();
      long pid = Long.parseLong(line.replaceAll(".*\\(pid (\\d+)\\).*", "$1"));
      assertFalse(
          ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), marker + " still alive");
    }
  }
}

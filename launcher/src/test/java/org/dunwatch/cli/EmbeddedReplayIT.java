package org.dunwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dunwatch replay} with no cluster given: it starts, uses and stops its own. */
class EmbeddedReplayIT {

  @TempDir Path tmp;

  @Test
  void shouldStartItsOwnBrokerAndRegistryAndStopThem() throws Exception {
    Path alertsOut = tmp.resolve("alerts.jsonl");
    Cli.Run run =
        Cli.run(
            "replay",
            "--calls",
            ReplayIT.SEED.toString(),
            "--default-region",
            "CN",
            "--pseudonymize",
            "off",
            "--alerts-out",
            alertsOut.toString());

    assertEquals(0, run.exit(), run.err());
    assertTrue(run.err().contains("Kafka broker up at 127.0.0.1:"), run.err());
    assertTrue(run.err().contains("Apicurio Registry up at http://127.0.0.1:"), run.err());
    assertTrue(Files.readString(alertsOut).contains("\"type\":\"CALL_FLOOD\""));
    long pidBroker = pid(run.err(), "Kafka broker up at");
    long pidRegistry = pid(run.err(), "Apicurio Registry up at");
    assertTrue(ProcessHandle.of(pidBroker).map(ProcessHandle::isAlive).orElse(false) == false);
    assertTrue(ProcessHandle.of(pidRegistry).map(ProcessHandle::isAlive).orElse(false) == false);
  }

  private static long pid(String err, String marker) {
    String line = err.lines().filter(l -> l.contains(marker)).findFirst().orElseThrow();
    return Long.parseLong(line.replaceAll(".*\\(pid (\\d+)\\).*", "$1"));
  }
}

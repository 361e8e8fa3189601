package org.dunwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every bad flag, URL or output path is one {@code error: ...} line and exit code 2, found before
 * anything starts (no broker, no stack trace).
 */
class BadFlagsTest {

  @TempDir Path tmp;

  private Cli.Run replay(String... more) throws IOException {
    Path calls =
        Files.copy(
            ProduceCommandTest.SAMPLES.resolve("calls.csv"),
            tmp.resolve("c.csv"),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    List<String> args =
        new ArrayList<>(List.of("replay", "--calls", calls.toString(), "--pseudonymize", "off"));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  private static void assertOneLineUserError(Cli.Run run, String contains) {
    assertEquals(2, run.exit(), run.err());
    List<String> lines = run.err().lines().filter(l -> !l.startsWith("… ")).toList();
    assertEquals(1, lines.size(), run.err());
    assertTrue(lines.get(0).startsWith("error: "), run.err());
    assertTrue(lines.get(0).contains(contains), run.err());
    assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1:99999", ":abc", "127.0.0.1", "host:0", "a:1,,b:2"})
  void shouldRefuseABadBootstrapServerWithOneLine(String servers) throws IOException {
    assertOneLineUserError(
        replay("--bootstrap-servers", servers, "--schema-registry-url", "http://127.0.0.1:1"),
        "--bootstrap-servers must be HOST:PORT");
  }

  @ParameterizedTest
  @ValueSource(strings = {"not a url", "ftp://x:1", "127.0.0.1:8080", "http://", "http://h:99999"})
  void shouldRefuseABadSchemaRegistryUrlWithOneLine(String url) throws IOException {
    assertOneLineUserError(
        replay("--bootstrap-servers", "127.0.0.1:1", "--schema-registry-url", url),
        "--schema-registry-url");
  }

  @Test
  void shouldRefuseAnUnwritableAlertsFileBeforeAnythingStarts() throws IOException {
    Path aFile = Files.writeString(tmp.resolve("not-a-folder"), "x");
    assertOneLineUserError(
        replay("--alerts-out", aFile.resolve("alerts.jsonl").toString()), "--alerts-out");
    assertOneLineUserError(replay("--alerts-out", tmp.toString()), "is a directory");
  }

  @Test
  void shouldRefuseAnUnwritableDeadLettersFileBeforeAnythingStarts() throws IOException {
    Path aFile = Files.writeString(tmp.resolve("not-a-folder"), "x");
    assertOneLineUserError(
        replay("--dead-letters-out", aFile.resolve("dl.jsonl").toString()), "--dead-letters-out");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"--earliest=yesterday", "--earliest=1969-01-01T00:00:00Z", "--max-ahead=5m"})
  void shouldRefuseABadEventTimeWindowWithOneLine(String flag) throws IOException {
    assertOneLineUserError(replay(flag), flag.substring(0, flag.indexOf('=')));
  }
}

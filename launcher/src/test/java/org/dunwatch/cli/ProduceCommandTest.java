package org.dunwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dunwatch.producers.privacy.Pseudonymizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's error paths and dry runs, without a cluster: every refusal here happens before
 * anything would start one.
 */
class ProduceCommandTest {

  static final Path SAMPLES = Path.of("../producers/src/test/resources/samples");
  static final String KEY = "produce-test-key-0123456789";

  @TempDir Path tmp;

  private Path keyFile() throws IOException {
    return Files.writeString(tmp.resolve("key"), KEY + "\n");
  }

  private Path sample(String name) throws IOException {
    return Files.copy(SAMPLES.resolve(name), tmp.resolve(name));
  }

  private static void assertNoClusterStarted(Cli.Run run) {
    assertFalse(run.err().contains("starting embedded"), run.err());
  }

  @Test
  void shouldRefuseToProduceWithoutAPseudonymKeyAndSayEveryWayOut() throws IOException {
    assumeTrue(System.getenv(Pseudonymizer.KEY_ENV) == null, "the key is set in this environment");

    Cli.Run run = Cli.run("produce", "calls", "--file", sample("calls.csv").toString());

    assertEquals(2, run.exit(), run.err());
    assertTrue(run.err().startsWith("error: no pseudonym key"), run.err());
    assertTrue(run.err().contains(Pseudonymizer.KEY_ENV), run.err());
    assertTrue(run.err().contains("--pseudonym-key-file"), run.err());
    assertTrue(run.err().contains("--pseudonymize off"), run.err());
    assertNoClusterStarted(run);
  }

  @Test
  void shouldRefuseToReplayWithoutAPseudonymKey() throws IOException {
    assumeTrue(System.getenv(Pseudonymizer.KEY_ENV) == null, "the key is set in this environment");

    Cli.Run run = Cli.run("replay", "--calls", sample("calls.csv").toString());

    assertEquals(2, run.exit(), run.err());
    assertTrue(run.err().startsWith("error: no pseudonym key"), run.err());
    assertNoClusterStarted(run);
  }

  @Test
  void shouldRefuseAKeyShorterThan16Bytes() throws IOException {
    Path shortKey = Files.writeString(tmp.resolve("short"), "too-short");
    Cli.Run run =
        Cli.run(
            "produce",
            "calls",
            "--file",
            sample("calls.csv").toString(),
            "--pseudonym-key-file",
            shortKey.toString(),
            "--dry-run");

    assertEquals(2, run.exit(), run.err());
    assertTrue(run.err().contains("at least 16"), run.err());
    assertFalse(run.err().contains("too-short"), "the key is never printed: " + run.err());
  }

  @Test
  void shouldRefuseAKeyFileWithPseudonymsOff() throws IOException {
    Cli.Run run =
        Cli.run(
            "produce",
            "sms",
            "--file",
            sample("sms.csv").toString(),
            "--pseudonymize",
            "off",
            "--pseudonym-key-file",
            keyFile().toString());

    assertEquals(2, run.exit(), run.err());
    assertTrue(run.err().contains("--pseudonymize is off"), run.err());
  }

  @Test
  void shouldRefuseUnknownFlagsKindsAndModesWithExitCode2() throws IOException {
    String calls = sample("calls.csv").toString();

    Cli.Run flag = Cli.run("produce", "calls", "--file", calls, "--bogus");
    assertEquals(2, flag.exit());
    assertTrue(flag.err().contains("Unknown option: '--bogus'"), flag.err());

    Cli.Run kind = Cli.run("produce", "cdrs", "--file", calls, "--pseudonymize", "off");
    assertEquals(2, kind.exit());
    assertTrue(kind.err().contains("expected calls|sms|lender, got cdrs"), kind.err());

    Cli.Run mode = Cli.run("produce", "calls", "--file", calls, "--pseudonymize", "maybe");
    assertEquals(2, mode.exit());
    assertTrue(mode.err().contains("--pseudonymize must be on or off"), mode.err());

    Cli.Run region =
        Cli.run(
            "produce", "calls", "--file", calls, "--pseudonymize", "off", "--default-region", "XX");
    assertEquals(2, region.exit());
    assertTrue(region.err().contains("--default-region"), region.err());

    Cli.Run missing = Cli.run("produce", "calls", "--file", tmp.resolve("nope.csv").toString());
    assertEquals(2, missing.exit());
    assertTrue(missing.err().contains("no such readable file"), missing.err());
  }

  @Test
  void shouldRefuseAReplayWithNothingToReplay() {
    Cli.Run run = Cli.run("replay", "--pseudonymize", "off");
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("give --calls, --sms and/or --lender"), run.err());
  }

  @Test
  void shouldStopAtTheFirstBadLineWithExitCode2InStrictMode() throws IOException {
    Cli.Run run =
        Cli.run(
            "produce",
            "calls",
            "--file",
            sample("calls.csv").toString(),
            "--default-region",
            "CN",
            "--pseudonym-key-file",
            keyFile().toString(),
            "--strict",
            "--dry-run");

    assertEquals(2, run.exit(), run.err());
    assertTrue(
        run.err().contains("rejected calls.csv line 5: expected 8 columns, found 4"), run.err());
    assertTrue(run.err().contains("error: --strict: stopped at calls.csv line 5"), run.err());
    assertFalse(run.err().contains("line 6"), "nothing after the first bad line: " + run.err());
  }

  @Test
  void shouldReportRejectAndCountBadLinesWithoutPrintingANumber() throws IOException {
    Path calls = sample("calls.csv");
    Cli.Run run =
        Cli.run(
            "produce",
            "calls",
            "--file",
            calls.toString(),
            "--default-region",
            "CN",
            "--pseudonym-key-file",
            keyFile().toString(),
            "--dry-run");

    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("calls.csv: 4 records, 6 rejected lines"), run.out());
    Path rejects = tmp.resolve("calls.csv.rejects");
    assertTrue(run.out().contains("bad lines written to " + rejects), run.out());
    List<String> lines = Files.readAllLines(rejects, StandardCharsets.UTF_8);
    assertEquals(6, lines.size());
    for (int line = 5; line <= 10; line++) {
      assertTrue(run.err().contains("rejected calls.csv line " + line + ": "), run.err());
    }
    for (String digits : List.of("8618812345678", "1700000000", "88881234")) {
      assertFalse(run.err().contains(digits), run.err());
      assertFalse(run.out().contains(digits), run.out());
      assertFalse(String.join("\n", lines).contains(digits), lines.toString());
    }
  }

  @Test
  void shouldReadStandardInputForADashAndWriteItsRejectsWhereAsked() throws IOException {
    String lender = Files.readString(SAMPLES.resolve("lender.jsonl"), StandardCharsets.UTF_8);
    Path rejects = tmp.resolve("out/lender.rejects");
    Cli.Run run =
        Cli.runWithInput(
            lender,
            "produce",
            "lender",
            "--file",
            "-",
            "--default-region",
            "CN",
            "--pseudonymize",
            "off",
            "--rejects",
            rejects.toString(),
            "--dry-run");

    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("stdin: 7 records, 3 rejected lines"), run.out());
    assertEquals(3, Files.readAllLines(rejects).size());
    assertTrue(Files.readString(rejects).startsWith("stdin line 9: "), Files.readString(rejects));
  }

  @Test
  void shouldPrintTheSamePseudonymsTheProducersSend() throws IOException {
    Pseudonymizer expected = Pseudonymizer.ofKey(KEY.getBytes(StandardCharsets.UTF_8));
    Cli.Run run =
        Cli.run(
            "pseudonymize",
            "--default-region",
            "CN",
            "--pseudonym-key-file",
            keyFile().toString(),
            "+8618812345678",
            "188 1234 5678",
            "95588");

    assertEquals(0, run.exit(), run.err());
    String token = expected.pseudonym("+8618812345678");
    assertEquals(List.of(token, token, "95588"), run.out().lines().toList());
    assertTrue(run.err().contains("key id " + expected.keyId()), run.err());
    assertTrue(run.err().contains("argument 3 is a sender id"), run.err());
  }

  @Test
  void shouldRefuseToPseudonymizeWithoutAKey() {
    assumeTrue(System.getenv(Pseudonymizer.KEY_ENV) == null, "the key is set in this environment");
    Cli.Run run = Cli.run("pseudonymize", "+8618812345678");
    assertEquals(2, run.exit());
    assertTrue(run.err().startsWith("error: no pseudonym key"), run.err());
    assertEquals("", run.out());
  }
}

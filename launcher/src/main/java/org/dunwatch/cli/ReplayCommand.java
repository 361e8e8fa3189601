package org.dunwatch.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.alert.AlertType;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.producers.calls.CallCsvParser;
import org.dunwatch.producers.csv.CsvHeaderException;
import org.dunwatch.producers.kafka.EventProducer;
import org.dunwatch.producers.parse.ParseSummary;
import org.dunwatch.schemas.AlertJson;
import org.dunwatch.streams.rules.RuleException;
import org.dunwatch.streams.rules.Rules;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Replays contract files through the real pipeline: produce to Kafka, run the same topology the
 * service runs, wait until every record is processed, write the alerts.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Replay call records through a real Kafka broker and the dunwatch topology, then write the alerts.",
      "Without --bootstrap-servers an embedded broker and schema registry are started and stopped."
    })
public final class ReplayCommand implements Callable<Integer> {

  @Option(
      names = "--calls",
      paramLabel = "FILE",
      description = "Calls CSV (contracts.md).",
      required = true)
  Path calls;

  @Option(
      names = "--alerts-out",
      paramLabel = "FILE",
      description = "Write the alerts here as JSON lines.")
  Path alertsOut;

  @Option(
      names = "--default-region",
      paramLabel = "CC",
      description = "Region for numbers written in national form, e.g. CN, US, GB.")
  String defaultRegion;

  @Option(
      names = "--pseudonymize",
      paramLabel = "on|off",
      defaultValue = "off",
      description =
          "Replace numbers by keyed pseudonyms before Kafka. Until the producers land this is off: numbers pass as E.164.")
  String pseudonymize;

  @Option(
      names = "--rules",
      paramLabel = "FILE",
      description = "Rule pack (JSON). Default: the built-in pack.")
  Path rulesFile;

  @Option(
      names = "--partitions",
      defaultValue = "3",
      description = "Partitions for topics this command creates (default ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--timeout",
      defaultValue = "PT5M",
      description = "How long to wait for processing (ISO-8601, default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--quiet", description = "Print only the summary.")
  boolean quiet;

  @Mixin ClusterOptions cluster;

  @Override
  public Integer call() throws Exception {
    if (!Files.isReadable(calls)) {
      throw new UserError("--calls " + calls + ": no such readable file");
    }
    if (!pseudonymize.equals("off") && !pseudonymize.equals("on")) {
      throw new UserError("--pseudonymize must be on or off, got " + pseudonymize);
    }
    if (pseudonymize.equals("on")) {
      throw new UserError(
          "--pseudonymize on is not available yet (it comes with the producers); use --pseudonymize off");
    }
    if (defaultRegion != null && !defaultRegion.matches("[A-Za-z]{2}")) {
      throw new UserError(
          "--default-region must be a two-letter region code such as CN, got " + defaultRegion);
    }
    Rules rules;
    try {
      rules = rulesFile == null ? Rules.defaults() : Rules.load(rulesFile);
    } catch (RuleException e) {
      throw new UserError(e.getMessage(), e);
    }
    CallCsvParser parser =
        new CallCsvParser(
            defaultRegion == null ? null : defaultRegion.toUpperCase(java.util.Locale.ROOT));
    long started = System.nanoTime();
    Path stateDir = Files.createTempDirectory("dunwatch-replay-state");
    String appId = "dunwatch-replay-" + UUID.randomUUID().toString().substring(0, 8);

    try (Cluster c = Cluster.open(cluster.settings(), this::progress)) {
      c.ensureTopics(partitions);
      Map<TopicPartition, Long> alertsFrom;
      try (Admin admin = c.admin()) {
        alertsFrom = StreamsRunner.endOffsets(admin, List.of(c.topics().alerts().name()));
      }
      Map<TopicPartition, Long> dlqFrom;
      try (Admin admin = c.admin()) {
        dlqFrom = StreamsRunner.endOffsets(admin, List.of(c.topics().dlq().name()));
      }

      try (StreamsRunner runner = new StreamsRunner(c, rules, appId, stateDir, true)) {
        runner.start();
        ParseSummary summary;
        List<String> badLines = new ArrayList<>();
        try (EventProducer<String, CallRecord> producer =
                new EventProducer<>(
                    c.topics().calls(), c.bootstrapServers(), c.clientProperties());
            Reader in = reader(calls)) {
          summary =
              parser.parse(
                  in,
                  calls.getFileName().toString(),
                  r -> producer.send(r.getCallee().getId(), r, r.getStartTime()),
                  e -> {
                    badLines.add(e.toString());
                    System.err.println("rejected " + e);
                  });
          producer.flush();
          progress(
              "produced "
                  + producer.sent()
                  + " calls to "
                  + c.topics().calls().name()
                  + (summary.errors() > 0 ? " (" + summary.errors() + " bad lines rejected)" : ""));
        } catch (CsvHeaderException e) {
          throw new UserError(e.getMessage(), e);
        }

        runner.awaitCaughtUp(timeout, this::progress);

        List<Alert> alerts = new ArrayList<>();
        long deadLetters;
        try (Admin admin = c.admin()) {
          Map<TopicPartition, Long> alertsTo =
              StreamsRunner.endOffsets(admin, List.of(c.topics().alerts().name()));
          TopicReader.readRange(
              c, c.topics().alerts(), alertsFrom, alertsTo, (r, a) -> alerts.add(a));
          Map<TopicPartition, Long> dlqTo =
              StreamsRunner.endOffsets(admin, List.of(c.topics().dlq().name()));
          deadLetters =
              dlqTo.entrySet().stream()
                  .mapToLong(e -> e.getValue() - dlqFrom.getOrDefault(e.getKey(), 0L))
                  .sum();
        }
        if (alertsOut != null) {
          writeJsonLines(alertsOut, alerts);
        }
        printSummary(summary, alerts, deadLetters, started);
      }
    } finally {
      deleteRecursively(stateDir);
    }
    return 0;
  }

  private void printSummary(
      ParseSummary summary, List<Alert> alerts, long deadLetters, long started) {
    if (!alerts.isEmpty() && !quiet) {
      System.out.println();
      AlertPrinter printer = new AlertPrinter(System.out, false);
      alerts.forEach(printer::print);
      System.out.println();
    }
    Set<String> incidents = new HashSet<>();
    Map<AlertType, Integer> byType = new EnumMap<>(AlertType.class);
    for (Alert a : alerts) {
      if (incidents.add(a.getAlertId())) {
        byType.merge(a.getType(), 1, Integer::sum);
      }
    }
    System.out.println("replay summary");
    System.out.printf(
        "  %-24s %d records, %d rejected lines%n",
        calls.getFileName() + ":", summary.records(), summary.errors());
    System.out.printf("  %-24s %d%n", "dead letters:", deadLetters);
    System.out.printf(
        "  %-24s %d alerts for %d incidents %s%n",
        "alerts:", alerts.size(), incidents.size(), byType);
    if (alertsOut != null) {
      System.out.printf("  %-24s %s%n", "written to:", alertsOut);
    }
    System.out.printf("  %-24s %.1f s%n", "elapsed:", (System.nanoTime() - started) / 1e9);
  }

  private void progress(String message) {
    if (!quiet) {
      System.err.println("… " + message);
    }
  }

  private static Reader reader(Path file) throws IOException {
    return new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8);
  }

  private static void writeJsonLines(Path file, List<Alert> alerts) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (Alert a : alerts) {
        w.write(AlertJson.toJson(a));
        w.newLine();
      }
    }
  }

  static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("warning: could not delete " + dir + ": " + e.getMessage());
    }
  }
}

package org.dunwatch.cli;

import java.io.BufferedWriter;
import java.io.IOException;
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
import org.dunwatch.producers.csv.CsvHeaderException;
import org.dunwatch.producers.ingest.FileIngest;
import org.dunwatch.producers.ingest.IngestInput;
import org.dunwatch.producers.ingest.IngestResult;
import org.dunwatch.producers.ingest.InputKind;
import org.dunwatch.producers.kafka.EventProducer;
import org.dunwatch.schemas.AlertJson;
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
      "Replay call, SMS and lender files through a real Kafka broker and the dunwatch topology,"
          + " then write the alerts. The files are merged by event time as they are produced.",
      "Numbers are pseudonymised by default: set DUNWATCH_PSEUDONYM_KEY or --pseudonym-key-file,"
          + " or pass --pseudonymize off (E.164 numbers, for synthetic data).",
      "Without --bootstrap-servers an embedded broker and schema registry are started and stopped."
    })
public final class ReplayCommand implements Callable<Integer> {

  @Option(names = "--calls", paramLabel = "FILE", description = "Calls CSV (contracts.md).")
  Path calls;

  @Option(names = "--sms", paramLabel = "FILE", description = "SMS CSV (contracts.md).")
  Path sms;

  @Option(
      names = "--lender",
      paramLabel = "FILE",
      description = "Lender events JSONL (contracts.md).")
  Path lender;

  @Option(
      names = "--alerts-out",
      paramLabel = "FILE",
      description = "Write the alerts here as JSON lines.")
  Path alertsOut;

  @Option(
      names = "--dead-letters-out",
      paramLabel = "FILE",
      description =
          "Write the run's dead letters (what the pipeline could not use, with stage and reason)"
              + " here as JSON lines. Default: dead-letters.jsonl beside --alerts-out, or in the"
              + " working directory; written only when there is one.")
  Path deadLettersOut;

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

  @Mixin SliceOptions slicing;

  @Option(names = "--quiet", description = "Print only the summary.")
  boolean quiet;

  @Mixin IngestOptions ingest;

  @Mixin ClusterOptions cluster;

  @Mixin HttpOptions http;

  @Override
  public Integer call() throws Exception {
    Map<InputKind, Path> files = new EnumMap<>(InputKind.class);
    if (calls != null) {
      files.put(InputKind.CALLS, calls);
    }
    if (sms != null) {
      files.put(InputKind.SMS, sms);
    }
    if (lender != null) {
      files.put(InputKind.LENDER, lender);
    }
    if (files.isEmpty()) {
      throw new UserError("nothing to replay: give --calls, --sms and/or --lender");
    }
    Duration slice = slicing.slice();
    files.forEach(
        (kind, file) -> {
          if (!Files.isReadable(file) || Files.isDirectory(file)) {
            throw new UserError("--" + kind.cliName() + " " + file + ": no such readable file");
          }
        });
    // Region, key and output paths are checked before anything starts: no key, no cluster, and
    // no whole run whose results cannot be written.
    FileIngest.Builder ingestion = ingest.builder(this::progress);
    Path deadLettersFile =
        deadLettersOut != null ? deadLettersOut : DeadLetters.defaultPath(alertsOut);
    OutputPaths.checkWritable("--alerts-out", alertsOut);
    OutputPaths.checkWritable("--dead-letters-out", deadLettersFile);
    Rules rules = RulePacks.load(rulesFile);
    long started = System.nanoTime();
    Path stateDir = Files.createTempDirectory("dunwatch-replay-state");
    // An interrupted replay (Ctrl-C, SIGTERM) must not leave its state behind in the temp dir:
    // a few seconds of replay are hundreds of MB of RocksDB files.
    Thread cleanup = new Thread(() -> deleteRecursively(stateDir), "dunwatch-replay-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    String appId = "dunwatch-replay-" + UUID.randomUUID().toString().substring(0, 8);

    StreamsRunner.checkSettings(cluster.settings(), true);
    HttpOptions.Endpoint endpoint = http.endpoint(cluster.settings()).resolved();
    try (Cluster c = Cluster.open(cluster.settings(), this::progress)) {
      c.ensureTopics(partitions);
      Map<TopicPartition, Long> alertsFrom;
      Map<TopicPartition, Long> dlqFrom;
      try (Admin admin = c.admin()) {
        alertsFrom = StreamsRunner.endOffsets(admin, List.of(c.topics().alerts().name()));
        dlqFrom = StreamsRunner.endOffsets(admin, List.of(c.topics().dlq().name()));
        // A replay judges only what it writes: its fresh application starts at the inputs'
        // current ends, not at records earlier runs left on a shared cluster.
        StreamsRunner.startAt(
            admin, appId, StreamsRunner.endOffsets(admin, c.topics().inputNames()));
      }

      try (StreamsRunner runner =
          new StreamsRunner(c, rules, appId, stateDir, true, endpoint.streamsSettings())) {
        runner.serve(
            endpoint, QueryApi.routes(runner.streams(), endpoint, rules, c), this::progress);
        runner.start();
        List<IngestResult> summary;
        try (Admin admin = c.admin()) {
          SliceGate gate =
              slice == null ? null : SliceGate.following(runner, admin, slice, timeout);
          summary = produce(c, files, ingestion, gate);
          if (gate != null && gate.slices() > 0) {
            progress(
                String.format(
                    "produced in %d slices of %s; %.1f s waiting for the pipeline between them",
                    gate.slices() + 1, slice, gate.waited().toMillis() / 1000.0));
          }
        }

        runner.awaitCaughtUp(timeout, this::progress);

        List<Alert> alerts = new ArrayList<>();
        DeadLetters deadLetters = new DeadLetters();
        try (Admin admin = c.admin()) {
          runner.awaitQuiet(admin, List.of(c.topics().alerts().name()), timeout);
          Map<TopicPartition, Long> alertsTo =
              StreamsRunner.endOffsets(admin, List.of(c.topics().alerts().name()));
          TopicReader.readRange(
              c, c.topics().alerts(), alertsFrom, alertsTo, (r, a) -> alerts.add(a));
          Map<TopicPartition, Long> dlqTo =
              StreamsRunner.endOffsets(admin, List.of(c.topics().dlq().name()));
          // Counted by reading: the app writes transactionally, and the offsets between the two
          // ends include commit markers, which are not dead letters.
          TopicReader.readRange(c, c.topics().dlq(), dlqFrom, dlqTo, (r, d) -> deadLetters.add(d));
        }
        if (alertsOut != null) {
          writeJsonLines(alertsOut, alerts);
        }
        if (deadLetters.size() > 0) {
          deadLetters.write(deadLettersFile);
        }
        printSummary(summary, alerts, deadLetters, deadLettersFile, started);
      }
    } finally {
      deleteRecursively(stateDir);
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or about to: it deletes the same directory
      }
    }
    return 0;
  }

  /** Produces every file, merged by event time, each to its topic, through {@code gate} if any. */
  private List<IngestResult> produce(
      Cluster c, Map<InputKind, Path> files, FileIngest.Builder ingestion, SliceGate gate)
      throws IOException {
    List<EventProducer<String, ?>> producers = new ArrayList<>();
    try (FileIngest fi = ingestion.build()) {
      List<FileIngest.Job> jobs = new ArrayList<>();
      for (Map.Entry<InputKind, Path> f : files.entrySet()) {
        EventProducer<String, ?> producer =
            new EventProducer<>(
                ProduceCommand.topic(c.topics(), f.getKey()),
                c.bootstrapServers(),
                c.clientProperties());
        producers.add(producer);
        jobs.add(
            new FileIngest.Job(
                f.getKey(),
                IngestInput.ofFile(f.getValue()),
                gate == null ? producer : gate.wrap(producer)));
      }
      List<IngestResult> results = fi.interleaved(jobs);
      for (IngestResult r : results) {
        if (r.stopped()) {
          throw new UserError(
              "--strict: stopped at "
                  + r.stoppedAt()
                  + " ("
                  + r.records()
                  + " records of it were produced before)");
        }
      }
      return results;
    } catch (CsvHeaderException e) {
      throw new UserError(e.getMessage(), e);
    } finally {
      producers.forEach(EventProducer::close);
    }
  }

  private void printSummary(
      List<IngestResult> summary,
      List<Alert> alerts,
      DeadLetters deadLetters,
      Path deadLettersFile,
      long started) {
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
    for (IngestResult r : summary) {
      System.out.printf(
          "  %-24s %d records, %d rejected lines%s%n",
          r.input() + ":",
          r.records(),
          r.rejected(),
          r.rejectsFile() == null ? "" : " (see " + r.rejectsFile() + ")");
    }
    System.out.printf(
        "  %-24s %d%s%n",
        "dead letters:",
        deadLetters.size(),
        deadLetters.size() == 0 ? "" : " (see " + deadLettersFile + ")");
    for (String line : deadLetters.summary()) {
      System.out.printf("  %-24s %s%n", "", line);
    }
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

  /** Alerts as the JSON lines of contracts.md, creating the file's folder if need be. */
  static void writeJsonLines(Path file, List<Alert> alerts) throws IOException {
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

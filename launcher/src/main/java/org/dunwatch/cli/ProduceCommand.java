package org.dunwatch.cli;

import java.nio.file.Files;
import java.util.concurrent.Callable;
import org.dunwatch.producers.csv.CsvHeaderException;
import org.dunwatch.producers.ingest.FileIngest;
import org.dunwatch.producers.ingest.IngestInput;
import org.dunwatch.producers.ingest.IngestResult;
import org.dunwatch.producers.ingest.InputKind;
import org.dunwatch.producers.ingest.RecordSink;
import org.dunwatch.producers.kafka.EventProducer;
import org.dunwatch.schemas.Topic;
import org.dunwatch.schemas.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Produces one contract file to its input topic, the way a telecom or lender feed would. */
@Command(
    name = "produce",
    mixinStandardHelpOptions = true,
    description = {
      "Produce a calls CSV, an sms CSV or a lender events JSONL file (contracts.md) to its topic:"
          + " numbers normalised and pseudonymised, keyed as the detectors expect, idempotent,"
          + " acks=all, lz4. Bad lines are reported with file and line number, written to a"
          + " rejects file and counted.",
      "Without --bootstrap-servers an embedded broker and registry are started and STOPPED when"
          + " the command ends, taking what was produced with them: that is for trying it out."
          + " Give --bootstrap-servers and --schema-registry-url to keep the data.",
      "Exit codes: 0 done (bad lines, if any, were rejected), 2 a user error or --strict stopped"
          + " at a bad line, 1 an internal failure."
    })
public final class ProduceCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "calls|sms|lender", description = "What the file holds.")
  String kind;

  @Option(
      names = "--file",
      paramLabel = "FILE",
      required = true,
      description = "The file to produce; - reads standard input (UTF-8).")
  String file;

  @Option(
      names = "--partitions",
      defaultValue = "3",
      description = "Partitions for topics this command creates (default ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--dry-run",
      description =
          "Read, check and pseudonymise the file and print the summary without connecting to"
              + " Kafka: a way to validate a file (and its key) first.")
  boolean dryRun;

  @Option(names = "--quiet", description = "Print only the summary and bad lines.")
  boolean quiet;

  @Mixin IngestOptions ingest;

  @Mixin ClusterOptions cluster;

  @Override
  public Integer call() throws Exception {
    InputKind what = InputKind.ofCliName(kind);
    if (what == null) {
      throw new UserError("produce what? expected " + InputKind.cliNames() + ", got " + kind);
    }
    IngestInput input = input(file);
    // Everything that can refuse (region, key) is checked before any cluster starts.
    FileIngest.Builder builder = ingest.builder(this::progress);

    IngestResult result;
    if (dryRun) {
      try (FileIngest fi = builder.build()) {
        result = ingestOrExplain(fi, what, input, (k, v, t) -> {});
      }
      System.out.println("dry run (nothing sent): " + result);
      return finish(result);
    }
    try (Cluster c = Cluster.open(cluster.settings(), this::progress)) {
      c.ensureTopics(partitions);
      Topic<String, ?> topic = topic(c.topics(), what);
      try (EventProducer<String, ?> producer =
              new EventProducer<>(topic, c.bootstrapServers(), c.clientProperties());
          FileIngest fi = builder.build()) {
        result = ingestOrExplain(fi, what, input, producer);
      }
      System.out.println(
          "produced "
              + result.records()
              + " records to "
              + topic.name()
              + " (key: "
              + keyOf(what)
              + "); "
              + result);
      if (c.isEmbedded()) {
        System.err.println(
            "note: the embedded broker stops now and what was produced goes with it;"
                + " give --bootstrap-servers and --schema-registry-url to keep it");
      }
    }
    return finish(result);
  }

  static IngestResult ingestOrExplain(
      FileIngest fi, InputKind what, IngestInput input, RecordSink<String, ?> sink)
      throws java.io.IOException {
    try {
      return fi.ingest(what, input, sink);
    } catch (CsvHeaderException e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  private static int finish(IngestResult result) {
    if (result.rejectsFile() != null) {
      System.out.println("bad lines written to " + result.rejectsFile());
    }
    if (result.stopped()) {
      throw new UserError(
          "--strict: stopped at "
              + result.stoppedAt()
              + " ("
              + result.records()
              + " records before it were handled)");
    }
    return 0;
  }

  static IngestInput input(String arg) {
    IngestInput input = IngestInput.of(arg);
    if (input.path() != null && !Files.isReadable(input.path())) {
      throw new UserError(arg + ": no such readable file");
    }
    if (input.path() != null && Files.isDirectory(input.path())) {
      throw new UserError(arg + " is a directory, not a file");
    }
    return input;
  }

  static Topic<String, ?> topic(Topics topics, InputKind kind) {
    return switch (kind) {
      case CALLS -> topics.calls();
      case SMS -> topics.sms();
      case LENDER -> topics.lender();
    };
  }

  /** The key each input topic carries; README's topic table explains why. */
  static String keyOf(InputKind kind) {
    return switch (kind) {
      case CALLS -> "callee";
      case SMS -> "recipient";
      case LENDER -> "lender_id/loan_id, lender_id/number for collector numbers";
    };
  }

  private void progress(String message) {
    if (!quiet) {
      System.err.println("… " + message);
    }
  }
}

package org.dunwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.dunwatch.producers.sim.Label;
import org.dunwatch.producers.sim.LabelMatcher;
import org.dunwatch.producers.sim.Labels;
import org.dunwatch.producers.sim.SimConfig;
import org.dunwatch.producers.sim.SimulatedWorld;
import org.dunwatch.streams.rules.Rules;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Detection quality: a simulated world with injected abuse through the real pipeline, slice by
 * slice of event time ({@link Slicer}), alerts scored against the ground truth, per alert type.
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Run a simulated world through the real pipeline on the embedded broker (or a cluster), match the",
      "alerts to the injected scenarios, and print per alert type: injected, found, missed, precision,",
      "recall and time to detect, then every false positive and what it hit."
    })
public final class EvalCommand implements Callable<Integer> {

  @Mixin WorldOptions world;

  @Option(names = "--json", description = "Print the report as one JSON document on stdout.")
  boolean json;

  @Option(
      names = "--min",
      paramLabel = "RATIO",
      description =
          "Exit 3 when precision or recall of any alert type is below this (e.g. 0.95); default: report only.")
  Double min;

  @Option(
      names = "--rate",
      paramLabel = "N|max",
      defaultValue = "max",
      description = "Events per second (default ${DEFAULT-VALUE}: as fast as possible).")
  String rate;

  @Option(names = "--rules", paramLabel = "FILE", description = "Rule pack (JSON).")
  Path rulesFile;

  @Option(names = "--labels-out", paramLabel = "FILE", description = "Write the labels here.")
  Path labelsOut;

  @Option(
      names = "--alerts-out",
      paramLabel = "FILE",
      description = "Write the alerts here (JSON lines).")
  Path alertsOut;

  @Option(
      names = "--timeout",
      defaultValue = "PT10M",
      description =
          "How long to wait for processing after the last event (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Mixin SliceOptions slicing;

  @Mixin ClusterOptions cluster;

  /** Exit status when a type falls below {@code --min}. */
  static final int BELOW_MIN = 3;

  @Override
  public Integer call() throws Exception {
    if (min != null && (min < 0 || min > 1)) {
      throw new UserError("--min must be a ratio within 0..1, got " + min);
    }
    Duration slice = slicing.slice();
    Rules rules = RulePacks.load(rulesFile);
    double perSecond = SimulatedTraffic.parseRate(rate);
    SimConfig config = world.config();
    SimulatedWorld w = world.generate(config);
    List<Label> labels = w.labels();
    if (labelsOut != null) {
      Labels.write(labelsOut, labels);
    }
    progress(
        String.format(
            "dunwatch eval: seed %d, %d subscribers, %d days from %s, %d scenarios injected",
            config.seed(),
            w.subscribers(),
            config.days(),
            config.start(),
            config.totalScenarios()));
    long started = System.nanoTime();
    WorldRun.Outcome o;
    StreamsRunner.checkSettings(cluster.settings(), true);
    try (Cluster c = Cluster.open(cluster.settings(), EvalCommand::progress)) {
      o =
          new WorldRun(c, rules, perSecond, timeout, () -> false, slice)
              .run(w, "dunwatch-eval", EvalCommand::progress, a -> {}, s -> progress(s.describe()));
    }
    if (o.stopped()) {
      throw new UserError("the run did not finish; no figures");
    }
    if (alertsOut != null) {
      ReplayCommand.writeJsonLines(alertsOut, o.alerts());
    }
    EvalReport report = EvalReport.of(o.alerts(), new LabelMatcher(labels));
    double seconds = (System.nanoTime() - started) / 1e9;
    List<String> below = min == null ? List.of() : report.below(min);
    if (json) {
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode root = mapper.createObjectNode();
      ObjectNode wn = root.putObject("world");
      wn.put("seed", config.seed());
      wn.put("subscribers", w.subscribers());
      wn.put("days", config.days());
      wn.put("start", config.start().toString());
      wn.put("scenarios", config.totalScenarios());
      root.put("events", o.produced());
      root.put("processed", o.processed());
      root.put("dead_letters", o.deadLetters());
      root.put("alerts", o.alerts().size());
      root.set("report", report.toJson(mapper));
      if (min != null) {
        root.put("min", min);
        root.putPOJO("below_min", below);
      }
      root.put("elapsed_seconds", Math.round(seconds * 10) / 10.0);
      System.out.println(mapper.writeValueAsString(root));
    } else {
      print(w, o, report, seconds, below);
    }
    return below.isEmpty() ? 0 : BELOW_MIN;
  }

  private void print(
      SimulatedWorld w, WorldRun.Outcome o, EvalReport report, double seconds, List<String> below) {
    System.out.println();
    System.out.printf(
        "eval: seed %d, %d subscribers, %d days from %s%n",
        w.config().seed(), w.subscribers(), w.config().days(), w.config().start());
    System.out.printf(
        "  %d events (%s); %d processed; %d dead letters; %d alerts%n%n",
        o.produced(), o.figures().describe(), o.processed(), o.deadLetters(), o.alerts().size());
    report.table().forEach(l -> System.out.println("  " + l));
    System.out.println();
    for (LabelMatcher.Outcome s : report.matcherResult().scenarios()) {
      if (!s.found()) {
        Label l = s.label();
        System.out.printf(
            "  missed %-4s %-22s %-14s %s%n", l.id(), l.kind(), l.victim(), l.description());
      }
    }
    for (EvalReport.FalsePositive f : report.falsePositives()) {
      System.out.printf(
          "  false positive %-22s on %-14s subject %-14s hit %s: %s%n",
          f.incident().getType(),
          f.incident().getVictim(),
          f.incident().getSubject().getId(),
          f.hit(),
          f.incident().getExplanation());
    }
    System.out.printf(
        "%n  precision: true incidents ÷ incidents of the type; recall: found ÷ injected; TTD: event"
            + " time from the abuse's first event to its first alert%n");
    System.out.printf("  elapsed: %.1f s%n", seconds);
    for (String b : below) {
      System.out.println("BELOW MINIMUM: " + b);
    }
  }

  private static void progress(String message) {
    System.err.println("… " + message);
  }
}

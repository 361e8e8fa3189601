package org.dunwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
      names = "--seeds",
      paramLabel = "LIST",
      description = {
        "Run one world per seed, one after the other (e.g. 1,2,3 or 1-5; replaces --seed), then print",
        "per alert type the figures pooled over every world and the worst seed. --min applies to every",
        "seed."
      })
  String seeds;

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

  /** One world's run and report. */
  private record Outcome(
      SimulatedWorld world, WorldRun.Outcome run, EvalReport report, double seconds) {}

  @Override
  public Integer call() throws Exception {
    if (min != null && (min < 0 || min > 1)) {
      throw new UserError("--min must be a ratio within 0..1, got " + min);
    }
    Duration slice = slicing.slice();
    Rules rules = RulePacks.load(rulesFile);
    double perSecond = SimulatedTraffic.parseRate(rate);
    StreamsRunner.checkSettings(cluster.settings(), true);
    if (seeds != null) {
      return several(EvalPool.parseSeeds(seeds), rules, perSecond, slice);
    }
    Outcome one = runWorld(world.config(), rules, perSecond, slice, labelsOut, alertsOut);
    List<String> below = min == null ? List.of() : one.report().below(min);
    if (json) {
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode root = worldJson(mapper, one);
      if (min != null) {
        root.put("min", min);
        root.putPOJO("below_min", below);
      }
      System.out.println(mapper.writeValueAsString(root));
    } else {
      print(one.world(), one.run(), one.report(), one.seconds(), below);
    }
    return below.isEmpty() ? 0 : BELOW_MIN;
  }

  /** {@code --seeds}: the worlds one after the other, each on a fresh cluster, then the pool. */
  private int several(List<Long> list, Rules rules, double perSecond, Duration slice)
      throws Exception {
    SimConfig base = world.config();
    List<Outcome> outcomes = new ArrayList<>();
    for (long seed : list) {
      SimConfig config =
          new SimConfig(
              seed,
              base.subscribers(),
              base.days(),
              base.start(),
              base.usShare(),
              base.scenarios());
      Outcome o = runWorld(config, rules, perSecond, slice, null, null);
      outcomes.add(o);
      if (!json) {
        print(o.world(), o.run(), o.report(), o.seconds(), List.of());
      }
    }
    EvalPool pool = new EvalPool(list, outcomes.stream().map(Outcome::report).toList());
    List<String> below = min == null ? List.of() : pool.below(min);
    if (json) {
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode root = mapper.createObjectNode();
      ArrayNode worlds = root.putArray("worlds");
      outcomes.forEach(o -> worlds.add(worldJson(mapper, o)));
      root.set("pooled", pool.toJson(mapper));
      if (min != null) {
        root.put("min", min);
        root.putPOJO("below_min", below);
      }
      System.out.println(mapper.writeValueAsString(root));
    } else {
      System.out.println();
      System.out.printf(
          "eval: %d worlds (seeds %s), %d subscribers, %d days each; pooled%n%n",
          list.size(), seeds, base.subscribers(), base.days());
      pool.table().forEach(l -> System.out.println("  " + l));
      System.out.printf(
          "%n  pooled: counts summed over the worlds, TTD over every found scenario; worst seed:"
              + " the world where the lower of the type's precision and recall is lowest%n");
      System.out.printf(
          "  elapsed: %.1f s%n", outcomes.stream().mapToDouble(Outcome::seconds).sum());
      for (String b : below) {
        System.out.println("BELOW MINIMUM: " + b);
      }
    }
    return below.isEmpty() ? 0 : BELOW_MIN;
  }

  private Outcome runWorld(
      SimConfig config,
      Rules rules,
      double perSecond,
      Duration slice,
      java.nio.file.Path labelsFile,
      java.nio.file.Path alertsFile)
      throws Exception {
    SimulatedWorld w = world.generate(config);
    List<Label> labels = w.labels();
    if (labelsFile != null) {
      Labels.write(labelsFile, labels);
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
    try (Cluster c = Cluster.open(cluster.settings(), EvalCommand::progress)) {
      o =
          new WorldRun(c, rules, perSecond, timeout, () -> false, slice)
              .run(w, "dunwatch-eval", EvalCommand::progress, a -> {}, s -> progress(s.describe()));
    }
    if (o.stopped()) {
      throw new UserError("the run did not finish; no figures");
    }
    if (alertsFile != null) {
      ReplayCommand.writeJsonLines(alertsFile, o.alerts());
    }
    EvalReport report = EvalReport.of(o.alerts(), new LabelMatcher(labels));
    return new Outcome(w, o, report, (System.nanoTime() - started) / 1e9);
  }

  private static ObjectNode worldJson(ObjectMapper mapper, Outcome one) {
    SimConfig config = one.world().config();
    ObjectNode root = mapper.createObjectNode();
    ObjectNode wn = root.putObject("world");
    wn.put("seed", config.seed());
    wn.put("subscribers", one.world().subscribers());
    wn.put("days", config.days());
    wn.put("start", config.start().toString());
    wn.put("scenarios", config.totalScenarios());
    root.put("events", one.run().produced());
    root.put("processed", one.run().processed());
    root.put("dead_letters", one.run().deadLetters());
    root.put("alerts", one.run().alerts().size());
    root.set("report", one.report().toJson(mapper));
    root.put("elapsed_seconds", Math.round(one.seconds() * 10) / 10.0);
    return root;
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

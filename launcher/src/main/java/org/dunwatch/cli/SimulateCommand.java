package org.dunwatch.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.Callable;
import org.dunwatch.producers.sim.ContractFiles;
import org.dunwatch.producers.sim.Label;
import org.dunwatch.producers.sim.Labels;
import org.dunwatch.producers.sim.SimConfig;
import org.dunwatch.producers.sim.SimEvent;
import org.dunwatch.producers.sim.SimulatedWorld;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Writes a simulated world as contract files, or produces it to a Kafka cluster. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Simulate a telecom network with lenders, lawful collection and injected abuse, with ground-truth labels.",
      "Writes calls.csv, sms.csv and lender.jsonl (contracts.md) with --out, and/or produces to Kafka with --produce.",
      "The numbers are synthetic and go as E.164 (no pseudonyms)."
    })
public final class SimulateCommand implements Callable<Integer> {

  @Mixin WorldOptions world;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Write calls.csv, sms.csv and lender.jsonl here.")
  Path out;

  @Option(
      names = "--labels-out",
      paramLabel = "FILE",
      description = "Write the ground-truth labels here (JSON lines).")
  Path labelsOut;

  @Option(
      names = "--produce",
      description =
          "Produce the events to the cluster given by --bootstrap-servers / --schema-registry-url.")
  boolean produce;

  @Option(
      names = "--rate",
      paramLabel = "N|max",
      defaultValue = "max",
      description = "Events per second, or max (default ${DEFAULT-VALUE}).")
  String rate;

  @Option(
      names = "--partitions",
      defaultValue = "3",
      description = "Partitions for topics that do not exist yet (default ${DEFAULT-VALUE}).")
  int partitions;

  @Mixin ClusterOptions cluster;

  @Override
  public Integer call() throws Exception {
    if (out == null && labelsOut == null && !produce) {
      throw new UserError("nothing to do: give --out DIR, --labels-out FILE and/or --produce");
    }
    double perSecond = SimulatedTraffic.parseRate(rate);
    Settings settings = cluster.settings();
    if (produce && settings.get(Settings.BOOTSTRAP) == null) {
      throw new UserError(
          "--produce needs --bootstrap-servers and --schema-registry-url (to watch a world run through an embedded"
              + " cluster, use dunwatch demo)");
    }
    SimConfig config = world.config();
    long started = System.nanoTime();
    SimulatedWorld w = world.generate(config);
    if (labelsOut != null) {
      createParent(labelsOut);
      Labels.write(labelsOut, w.labels());
    }
    SimulatedTraffic.Figures figures;
    if (produce) {
      try (Cluster c = Cluster.open(settings, m -> System.err.println("… " + m))) {
        c.ensureTopics(partitions);
        try (SimulatedTraffic traffic = new SimulatedTraffic(c, perSecond);
            ContractFiles files = out == null ? null : new ContractFiles(out)) {
          long lastReport = System.nanoTime();
          for (Iterator<SimEvent> it = w.events(); it.hasNext(); ) {
            SimEvent e = it.next();
            traffic.send(e);
            if (files != null) {
              files.write(e);
            }
            if (System.nanoTime() - lastReport > 2_000_000_000L) {
              System.err.printf(
                  "… produced %d events, event time %s%n", traffic.figures().events(), e.time());
              lastReport = System.nanoTime();
            }
          }
          traffic.flush();
          figures = traffic.figures();
        }
      }
    } else {
      figures = new SimulatedTraffic.Figures();
      SimulatedTraffic.Pacer pacer = new SimulatedTraffic.Pacer(perSecond);
      try (ContractFiles files = out == null ? null : new ContractFiles(out)) {
        for (Iterator<SimEvent> it = w.events(); it.hasNext(); ) {
          SimEvent e = it.next();
          if (files != null) {
            pacer.await();
            files.write(e);
          }
          figures.count(e);
        }
      }
    }
    long scenarios = w.labels().stream().filter(l -> !l.isOrdinary()).count();
    System.out.println("simulated world (seed " + config.seed() + ")");
    System.out.printf(
        "  %-14s %d (%s to %s)%n", "subscribers:", w.subscribers(), config.start(), config.end());
    System.out.printf("  %-14s %s%n", "events:", figures.describe());
    System.out.printf(
        "  %-14s %d scenarios %s, %d ordinary actors%n",
        "labels:",
        scenarios,
        config.scenarios(),
        w.labels().stream().filter(Label::isOrdinary).count());
    if (out != null) {
      System.out.printf(
          "  %-14s %s/{%s,%s,%s}%n",
          "files:", out, ContractFiles.CALLS, ContractFiles.SMS, ContractFiles.LENDER);
    }
    if (labelsOut != null) {
      System.out.printf("  %-14s %s%n", "labels file:", labelsOut);
    }
    if (produce) {
      System.out.printf("  %-14s %s%n", "produced to:", settings.get(Settings.BOOTSTRAP));
    }
    System.out.printf("  %-14s %.1f s%n", "elapsed:", (System.nanoTime() - started) / 1e9);
    return 0;
  }

  private static void createParent(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
  }
}

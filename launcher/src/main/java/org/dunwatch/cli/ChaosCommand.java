package org.dunwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.dunwatch.deploy.ApicurioRegistry;
import org.dunwatch.deploy.KafkaCluster;
import org.dunwatch.producers.sim.LabelMatcher;
import org.dunwatch.producers.sim.SimConfig;
import org.dunwatch.producers.sim.SimulatedWorld;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Failover, proven: a simulated world through several {@code dunwatch run} instances on a real
 * multi-node cluster, once without faults and once per fault, each run's alerts compared with the
 * fault-free run's.
 */
@Command(
    name = "chaos",
    mixinStandardHelpOptions = true,
    description = {
      "Start a local Kafka cluster (3 KRaft nodes, replication factor 3, min.insync.replicas 2) and a",
      "registry, run a simulated world through --instances dunwatch instances (separate JVMs, one",
      "application id) once without faults and once per fault, and compare each run's alerts",
      "(read_committed) with the fault-free run: lost, duplicated, different. Exit 0 only when every",
      "fault gives 0, 0, 0."
    })
public final class ChaosCommand implements Callable<Integer> {

  @Mixin WorldOptions world;

  @Option(
      names = "--instances",
      defaultValue = "3",
      description = "dunwatch instances (default ${DEFAULT-VALUE}).")
  int instances;

  @Option(
      names = "--faults",
      defaultValue = "all",
      split = ",",
      description =
          "Faults to inject, one run each: kill-instance, kill-broker, rolling-restart, scale, or all"
              + " (default); none adds a second fault-free run (how alike two clean runs are),"
              + " one-instance a fault-free run on one instance.")
  List<String> faults;

  @Option(
      names = "--brokers",
      defaultValue = "3",
      description = "Nodes of the local cluster (default ${DEFAULT-VALUE}).")
  int brokers;

  @Option(
      names = "--partitions",
      defaultValue = "6",
      description = "Partitions of every topic (default ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--pause",
      defaultValue = "PT5S",
      description = "How long a killed instance or broker stays down (default ${DEFAULT-VALUE}).")
  Duration pause;

  @Option(
      names = "--timeout",
      defaultValue = "PT10M",
      description = "Longest wait for the instances at any point (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--json", description = "Print one JSON object with a runs array on stdout.")
  boolean json;

  @Mixin SliceOptions slicing;

  @Mixin ClusterOptions cluster;

  /** Exit status when a fault lost, duplicated or changed an alert. */
  static final int NOT_EQUAL = 3;

  @Override
  public Integer call() throws Exception {
    List<String> runs = faultList();
    if (instances < 1) {
      throw new UserError("--instances must be 1 or more, got " + instances);
    }
    if (brokers < 1) {
      throw new UserError("--brokers must be 1 or more, got " + brokers);
    }
    if (partitions < instances) {
      throw new UserError(
          "--partitions "
              + partitions
              + " leaves instances idle: give at least --instances ("
              + instances
              + ")");
    }
    Duration slice = slicing.slice();
    Settings base = cluster.settings();
    boolean external = base.get(Settings.BOOTSTRAP) != null;
    if (external && runs.contains(ChaosRun.KILL_BROKER)) {
      throw new UserError(
          "kill-broker needs the local cluster: leave out --bootstrap-servers, or name the other"
              + " faults in --faults");
    }
    if (external && base.get(Settings.REGISTRY) == null) {
      throw new UserError("--bootstrap-servers needs --schema-registry-url");
    }
    SimConfig config = world.config();
    SimulatedWorld w = world.generate(config);
    long events = count(w);
    LabelMatcher matcher = new LabelMatcher(w.labels());
    progress(
        String.format(
            "dunwatch chaos: seed %d, %d subscribers, %d days, %d scenarios, %d events; %d"
                + " instances, %d partitions; runs: %s",
            config.seed(),
            w.subscribers(),
            config.days(),
            config.totalScenarios(),
            events,
            instances,
            partitions,
            runs));
    Path work = Files.createTempDirectory("dunwatch-chaos-");
    long started = System.nanoTime();
    KafkaCluster kafka = null;
    ApicurioRegistry registry = null;
    CompletableFuture<ApicurioRegistry> pending = null;
    List<ChaosRun.Result> results = new ArrayList<>();
    try {
      String bootstrap = base.get(Settings.BOOTSTRAP);
      String registryUrl = base.get(Settings.REGISTRY);
      if (!external) {
        pending =
            CompletableFuture.supplyAsync(
                () ->
                    ApicurioRegistry.builder()
                        // it starts beside three brokers: on a busy 2-core machine 240 s was short
                        .startupTimeout(Duration.ofSeconds(600))
                        .log(ChaosCommand::progress)
                        .start());
        kafka =
            KafkaCluster.builder()
                .nodes(brokers)
                .dataDir(work.resolve("kafka"))
                .log(ChaosCommand::progress)
                .start();
        registry = pending.join();
        pending = null;
        bootstrap = kafka.bootstrapServers();
        registryUrl = registry.ccompatUrl();
      }
      ChaosRun.Setup setup =
          new ChaosRun.Setup(
              base,
              kafka,
              registryUrl,
              bootstrap,
              work,
              instances,
              partitions,
              slice,
              pause,
              timeout,
              ChaosCommand::progress);
      for (String fault : runs) {
        results.add(new ChaosRun(setup, fault).run(w, events));
      }
    } finally {
      if (pending != null) {
        pending.thenAccept(ApicurioRegistry::close);
      }
      if (registry != null) {
        registry.close();
      }
      if (kafka != null) {
        kafka.close();
      }
      ReplayCommand.deleteRecursively(work);
    }
    ChaosReport report = ChaosReport.of(results, matcher, (System.nanoTime() - started) / 1e9);
    if (json) {
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode root = report.toJson(mapper);
      ObjectNode wn = mapper.createObjectNode();
      wn.put("seed", config.seed());
      wn.put("subscribers", w.subscribers());
      wn.put("days", config.days());
      wn.put("scenarios", config.totalScenarios());
      wn.put("events", events);
      root.set("world", wn);
      root.put("instances", instances);
      root.put("brokers", external ? 0 : brokers);
      root.put("partitions", partitions);
      System.out.println(mapper.writeValueAsString(root));
    } else {
      System.out.println();
      System.out.printf(
          "chaos: seed %d, %d subscribers, %d days, %d events; %d instances on %s, %d partitions%n%n",
          config.seed(),
          w.subscribers(),
          config.days(),
          events,
          instances,
          external ? "the given cluster" : brokers + " brokers (RF " + brokers + ")",
          partitions);
      report.table().forEach(l -> System.out.println("  " + l));
    }
    return report.clean() ? 0 : NOT_EQUAL;
  }

  /** The fault-free run first, then each fault asked for, in the order given. */
  private List<String> faultList() {
    Set<String> out = new LinkedHashSet<>();
    out.add(ChaosRun.NONE);
    List<String> asked = new ArrayList<>();
    for (String f : faults) {
      String name = f.strip();
      if (name.equals("all")) {
        asked.addAll(ChaosRun.ALL);
      } else if (ChaosRun.ALL.contains(name)
          || name.equals(ChaosRun.NONE)
          || name.equals(ChaosRun.ONE_INSTANCE)) {
        asked.add(name);
      } else {
        throw new UserError(
            "unknown fault '"
                + name
                + "': give all, none, or of "
                + String.join(", ", ChaosRun.ALL));
      }
    }
    List<String> runs = new ArrayList<>(out);
    runs.addAll(asked);
    return runs;
  }

  private static long count(SimulatedWorld w) {
    long n = 0;
    for (Iterator<?> it = w.events(); it.hasNext(); it.next()) {
      n++;
    }
    return n;
  }

  private static void progress(String message) {
    System.err.println("… " + message);
  }
}

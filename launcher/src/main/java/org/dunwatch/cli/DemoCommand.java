package org.dunwatch.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.dunwatch.avro.alert.Alert;
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
 * The first thing to run: a real broker and registry, a simulated world with injected abuse
 * produced at a watchable pace, the real topology, alerts live, and found-versus-injected at the
 * end.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Start a real Kafka broker and schema registry, run a simulated network with injected abuse through the",
      "dunwatch topology, show alerts as they come, then what was found against what was injected. Ctrl-C stops it cleanly."
    })
public final class DemoCommand implements Callable<Integer> {

  @Mixin WorldOptions world;

  @Option(
      names = "--rate",
      paramLabel = "N|max",
      defaultValue = "100",
      description =
          "Events per second (default ${DEFAULT-VALUE}: two days of the default world in about a minute), or max.")
  String rate;

  @Option(
      names = "--labels-out",
      paramLabel = "FILE",
      description = "Write the ground-truth labels here.")
  Path labelsOut;

  @Option(
      names = "--alerts-out",
      paramLabel = "FILE",
      description = "Write the alerts here (JSON lines).")
  Path alertsOut;

  @Option(
      names = "--rules",
      paramLabel = "FILE",
      description = "Rule pack (JSON). Default: the built-in pack.")
  Path rulesFile;

  @Option(
      names = "--kafka-port",
      paramLabel = "PORT",
      description = "Loopback port for the embedded broker (default: any free one).")
  Integer kafkaPort;

  @Option(
      names = "--registry-port",
      paramLabel = "PORT",
      description = "Loopback port for the embedded registry (default: any free one).")
  Integer registryPort;

  @Option(
      names = "--timeout",
      defaultValue = "PT5M",
      description =
          "How long to wait for processing after the last event (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--serve",
      description =
          "After the world is produced, keep the broker, the app and the query API up until Ctrl-C (prints the API's base URL and tokens file).")
  boolean serve;

  @Mixin SliceOptions slicing;

  @Mixin ClusterOptions cluster;

  @Mixin HttpOptions http;

  private final AtomicBoolean stopping = new AtomicBoolean();

  @Override
  public Integer call() throws Exception {
    Duration slice = slicing.slice();
    Rules rules = RulePacks.load(rulesFile);
    double perSecond = SimulatedTraffic.parseRate(rate);
    SimConfig config = world.config();
    SimulatedWorld w = world.generate(config);
    List<Label> labels = w.labels();
    if (labelsOut != null) {
      Labels.write(labelsOut, labels);
    }
    LabelMatcher matcher = new LabelMatcher(labels);
    DemoConsole console = new DemoConsole(System.out, System.err, System.console() != null);
    console.progress(
        String.format(
            "dunwatch demo: %d subscribers, %d days of event time from %s, %d scenarios injected, %s",
            w.subscribers(),
            config.days(),
            config.start(),
            config.totalScenarios(),
            perSecond > 0 ? (int) perSecond + " events/s" : "as fast as possible"));

    Map<String, String> flags = new LinkedHashMap<>();
    flags.put(Cluster.EMBEDDED_KAFKA_PORT, kafkaPort == null ? null : kafkaPort.toString());
    flags.put(
        Cluster.EMBEDDED_REGISTRY_PORT, registryPort == null ? null : registryPort.toString());
    Settings settings = cluster.settings(flags);
    StreamsRunner.checkSettings(settings, true);
    HttpOptions.Endpoint endpoint = servedEndpoint(http.endpoint(settings));

    CountDownLatch finished = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stopping.set(true);
              try {
                // let the demo close the streams and stop the broker and registry it started
                finished.await(90, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "dunwatch-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    stopOnCtrlC(console);
    long started = System.nanoTime();
    AtomicBoolean summarised = new AtomicBoolean();
    try (Cluster c = Cluster.open(settings, console::progress)) {
      WorldRun run =
          new WorldRun(c, rules, perSecond, timeout, stopping::get, slice).serving(endpoint);
      if (serve) {
        run.keepingUp(
            outcome -> {
              console.endStatus();
              printSummary(w, outcome, matcher, started);
              summarised.set(true);
              printServing(endpoint);
              awaitStop();
            });
      }
      WorldRun.Outcome o =
          run.run(
              w,
              "dunwatch-demo",
              console::progress,
              a -> console.alert(a, labelOf(matcher, a)),
              s -> console.status(s.describe()));
      console.endStatus();
      if (o.stopped() && stopping.get()) {
        System.err.println(
            "… stopped (Ctrl-C): the streams are closed; stopping the broker and registry");
        // only what had begun by the last event produced can have been found
        Instant reached = o.reached();
        LabelMatcher begun =
            new LabelMatcher(
                labels.stream()
                    .filter(l -> reached != null && !l.start().isAfter(reached))
                    .toList());
        System.out.println(
            "\nstopped at event time " + reached + "; scenarios that had not begun are left out");
        printSummary(w, o, begun, started);
        return 130;
      }
      if (alertsOut != null) {
        ReplayCommand.writeJsonLines(alertsOut, o.alerts());
      }
      if (serve && summarised.get()) {
        System.err.println(
            "… stopped (Ctrl-C): closing the streams, the API, the broker and registry");
        return 0;
      }
      if (!summarised.get()) {
        printSummary(w, o, matcher, started);
      }
    } finally {
      finished.countDown();
      if (!stopping.get()) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // already shutting down
        }
      }
    }
    return stopping.get() ? 130 : 0;
  }

  /** The lenders of the simulated world that get a LENDER token in the demo's tokens file. */
  static final List<String> DEMO_LENDERS = List.of("lnd-cn-01", "lnd-cn-02", "lnd-us-01");

  /**
   * What the demo serves: with {@code --serve} or an HTTP port, the metrics, health and the query
   * API, on any free port unless one is given, with a tokens file for the three roles unless one is
   * given.
   */
  private HttpOptions.Endpoint servedEndpoint(HttpOptions.Endpoint given) throws IOException {
    if (!serve && !given.enabled()) {
      return given;
    }
    Path tokens =
        given.apiTokens() != null
            ? given.apiTokens()
            : QueryApi.writeDemoTokens(
                Files.createTempDirectory("dunwatch-demo-").resolve("api-tokens.json"),
                DEMO_LENDERS);
    return new HttpOptions.Endpoint(
            given.bind(), given.port() == null ? 0 : given.port(), given.advertisedHost(), tokens)
        .resolved();
  }

  private static void printServing(HttpOptions.Endpoint endpoint) {
    String base = QueryApi.baseUrl(endpoint, endpoint.port());
    Path tokens = endpoint.apiTokens();
    System.out.println();
    System.out.println("serving until Ctrl-C");
    System.out.printf(
        "  %-12s %s (sign in with a token below)%n",
        "console:", QueryApi.consoleUrl(endpoint, endpoint.port()));
    System.out.printf("  %-12s %s (OpenAPI: %s/openapi.json)%n", "query API:", base, base);
    System.out.printf("  %-12s %s%n", "tokens:", tokens);
    System.out.printf(
        "  %-12s curl -H \"Authorization: Bearer $(jq -r '.[] | select(.role==\"TELECOM\") | .token' %s)\" %s/blocklist%n",
        "try:", tokens, base);
    System.out.println(
        "  the broker and the app stay up; Kafka topics dunwatch.blocklist.v1 and dunwatch.scorecards.v1 are filled");
  }

  private void awaitStop() {
    while (!stopping.get()) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Ctrl-C stops the demo from its own thread, so the streams close while the broker is still up
   * and the broker and registry are then stopped in order. Without this, SIGINT runs every shutdown
   * hook at once and the embedded broker dies under the closing streams. A second Ctrl-C exits at
   * once (the children are still stopped by their shutdown hooks). Where the JVM does not allow a
   * signal handler, the shutdown hook path remains.
   */
  private void stopOnCtrlC(DemoConsole console) {
    try {
      sun.misc.Signal.handle(
          new sun.misc.Signal("INT"),
          signal -> {
            if (stopping.getAndSet(true)) {
              System.exit(130);
            }
            console.progress("Ctrl-C: stopping after the current event (again to exit at once)");
          });
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
      // the shutdown hook still stops everything
    }
  }

  /** What the live table says an alert is: the scenario it finds, or whose false positive it is. */
  private static String labelOf(LabelMatcher matcher, Alert a) {
    LabelMatcher.Result r = matcher.match(List.of(a));
    for (LabelMatcher.Outcome o : r.scenarios()) {
      if (o.found()) {
        return o.label().id();
      }
    }
    if (!r.onOrdinary().isEmpty()) {
      return "FP " + r.onOrdinary().get(0).label().id();
    }
    if (!r.related().isEmpty()) {
      return "~" + r.related().get(0).label().id();
    }
    return "FP ?";
  }

  private void printSummary(
      SimulatedWorld w, WorldRun.Outcome run, LabelMatcher matcher, long started) {
    List<Alert> alerts = run.alerts();
    LabelMatcher.Result r = matcher.match(alerts);
    Set<String> ids = new HashSet<>();
    alerts.forEach(a -> ids.add(a.getAlertId()));
    System.out.println();
    System.out.println("demo summary");
    System.out.printf(
        "  %-12s %d subscribers, %d days from %s, seed %d%n",
        "world:", w.subscribers(), w.config().days(), w.config().start(), w.config().seed());
    System.out.printf("  %-12s %s%n", "produced:", run.figures().describe());
    System.out.printf(
        "  %-12s %d of %d events; %s dead letters%n",
        "processed:",
        run.processed(),
        run.produced(),
        run.deadLetters() == null ? "(stopped early, not counted)" : run.deadLetters().toString());
    System.out.printf("  %-12s %d alerts for %d incidents%n", "alerts:", alerts.size(), ids.size());
    System.out.printf(
        "  %-12s %d of %d injected scenarios found%n", "found:", r.found(), r.injected());
    System.out.println();
    r.table().forEach(line -> System.out.println("  " + line));
    System.out.println();
    for (LabelMatcher.Outcome o : r.scenarios()) {
      Label l = o.label();
      System.out.printf(
          "  %s %-3s %-22s %-14s %s .. %s  %s%n",
          o.found() ? "found " : "missed",
          l.id(),
          l.kind(),
          l.victim(),
          l.start().toString().substring(0, 16),
          l.end().toString().substring(11, 16),
          l.description());
    }
    for (LabelMatcher.Explained e : r.onOrdinary()) {
      System.out.printf(
          "  false positive on %s (%s): %s%n",
          e.label().id(), e.label().role(), e.incident().getExplanation());
    }
    for (Alert a : r.unexplained()) {
      System.out.printf(
          "  unexplained %s on %s: %s%n", a.getType(), a.getVictim(), a.getExplanation());
    }
    System.out.printf(
        "%n  A missed type has no detector yet or stayed below its thresholds; labels: --labels-out, alerts: --alerts-out.%n");
    System.out.printf("  %-12s %.1f s%n", "elapsed:", (System.nanoTime() - started) / 1e9);
  }
}

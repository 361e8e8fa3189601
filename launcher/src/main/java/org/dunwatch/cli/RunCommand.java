package org.dunwatch.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.ThreadMetadata;
import org.dunwatch.streams.StreamsSettings;
import org.dunwatch.streams.rules.Rules;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The service: runs every detector against a cluster until stopped. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "Run the dunwatch streams application against a Kafka cluster until Ctrl-C / SIGTERM.")
public final class RunCommand implements Callable<Integer> {

  /** How long a stop (SIGTERM, Ctrl-C) waits for the streams to close: commit and release. */
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  @Option(
      names = "--application-id",
      description = "Kafka Streams application id (env DUNWATCH_APPLICATION_ID).")
  String applicationId;

  @Option(
      names = "--state-dir",
      description =
          "Where RocksDB state lives (env DUNWATCH_STATE_DIR); keep it across restarts, one per"
              + " instance on a host.")
  Path stateDir;

  @Option(
      names = "--rules",
      paramLabel = "FILE",
      description = "Rule pack (JSON). Default: the built-in pack.")
  Path rulesFile;

  @Option(
      names = "--processing-guarantee",
      defaultValue = "exactly_once_v2",
      description = "exactly_once_v2 (default) or at_least_once.")
  String guarantee;

  @Option(
      names = "--partitions",
      defaultValue = "6",
      description = "Partitions for topics that do not exist yet.")
  int partitions;

  @Mixin ClusterOptions cluster;

  @Mixin HttpOptions http;

  @Override
  public Integer call() throws Exception {
    if (!guarantee.equals("exactly_once_v2") && !guarantee.equals("at_least_once")) {
      throw new UserError("--processing-guarantee must be exactly_once_v2 or at_least_once");
    }
    Rules rules = RulePacks.load(rulesFile);
    Settings settings = cluster.settings();
    HttpOptions.Endpoint endpoint = http.endpoint(settings).resolved();
    StreamsRunner.checkSettings(settings, guarantee.equals("exactly_once_v2"));
    String appId =
        applicationId != null
            ? applicationId
            : settings.all().getOrDefault("application.id", StreamsSettings.DEFAULT_APPLICATION_ID);
    Path state =
        stateDir != null
            ? stateDir
            : Path.of(
                settings
                    .all()
                    .getOrDefault(
                        "state.dir", System.getProperty("java.io.tmpdir") + "/dunwatch-state"));
    Files.createDirectories(state);
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    // The JVM exits when its shutdown hooks return: this one waits for the main thread to close
    // the streams (commit, release the tasks) so that SIGTERM is a clean exactly-once close,
    // bounded by the close timeout, and not a crash that the next owner of the tasks recovers from.
    Thread hook =
        new Thread(
            () -> {
              System.err.println(
                  "… stop requested: closing the streams (at most " + CLOSE_TIMEOUT + ")");
              stop.countDown();
              try {
                closed.await(CLOSE_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "dunwatch-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try (Cluster c = Cluster.open(settings, m -> System.err.println("… " + m))) {
      c.ensureTopics(partitions);
      String fingerprint = TopologyVersion.of(rules, c.topics());
      // A standby replica of every task on another instance: a failed instance's tasks move to a
      // warm copy instead of restoring from the changelogs. With one instance there is nowhere to
      // put it and Kafka Streams assigns none.
      Map<String, String> defaults = new HashMap<>(endpoint.streamsSettings());
      defaults.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "1");
      defaults.put(StreamsConfig.CLIENT_ID_CONFIG, TopologyVersion.clientId(appId, fingerprint));
      TopologyVersion.checkGroup(c, appId, fingerprint);
      try (StreamsRunner runner =
          new StreamsRunner(
              c, rules, appId, state, guarantee.equals("exactly_once_v2"), defaults)) {
        KafkaStreams streams = runner.streams();
        streams.setStateListener(
            (now, before) -> {
              System.err.println("… streams " + before + " -> " + now + tasks(streams, now));
              if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                stop.countDown();
              }
            });
        runner.serve(
            endpoint,
            QueryApi.routes(streams, endpoint, rules, c),
            m -> System.err.println("… " + m));
        runner.start();
        System.err.printf(
            "… dunwatch running: application %s (topology %s), state in %s, reading %s, alerts to"
                + " %s (Ctrl-C to stop)%n",
            appId, fingerprint, state, c.topics().inputNames(), c.topics().alerts().name());
        stop.await();
        KafkaStreams.State last = streams.state();
        boolean clean = streams.close(CLOSE_TIMEOUT);
        System.err.println(
            "… streams closed"
                + (clean ? "" : " NOT cleanly within " + CLOSE_TIMEOUT)
                + (last == KafkaStreams.State.ERROR ? " after a stream thread failed" : ""));
        return last == KafkaStreams.State.ERROR || !clean ? 1 : 0;
      }
    } finally {
      closed.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down: the hook is running and has just been released
      }
    }
  }

  /** The tasks this instance owns once it runs again after a rebalance, for the log. */
  private static String tasks(KafkaStreams streams, KafkaStreams.State now) {
    if (now != KafkaStreams.State.RUNNING) {
      return "";
    }
    StringBuilder active = new StringBuilder();
    StringBuilder standby = new StringBuilder();
    for (ThreadMetadata t : streams.metadataForLocalThreads()) {
      t.activeTasks().forEach(m -> active.append(active.isEmpty() ? "" : " ").append(m.taskId()));
      t.standbyTasks()
          .forEach(m -> standby.append(standby.isEmpty() ? "" : " ").append(m.taskId()));
    }
    return " (active tasks: " + active + "; standby: " + standby + ")";
  }
}

package org.dunwatch.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
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

  @Option(
      names = "--application-id",
      description = "Kafka Streams application id (env DUNWATCH_APPLICATION_ID).")
  String applicationId;

  @Option(
      names = "--state-dir",
      description = "Where RocksDB state lives (env DUNWATCH_STATE_DIR).")
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

  @Mixin ApiOptions api;

  @Override
  public Integer call() throws Exception {
    if (!guarantee.equals("exactly_once_v2") && !guarantee.equals("at_least_once")) {
      throw new UserError("--processing-guarantee must be exactly_once_v2 or at_least_once");
    }
    Rules rules = RulePacks.load(rulesFile);
    Settings settings = cluster.settings();
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
    Integer port = api.port();
    Path tokens = api.tokensFile();
    if (port != null && tokens == null) {
      throw new UserError("--http-port serves the query API, which needs --api-tokens FILE");
    }
    if (port == null && tokens != null) {
      throw new UserError("--api-tokens needs --http-port PORT to serve the query API on");
    }
    try (Cluster c = Cluster.open(settings, m -> System.err.println("… " + m));
        ApiServer server = port == null ? null : ApiServer.start(api.bind(), port, tokens, rules)) {
      c.ensureTopics(partitions);
      try (StreamsRunner runner =
          new StreamsRunner(
              c,
              rules,
              appId,
              state,
              guarantee.equals("exactly_once_v2"),
              server == null ? java.util.Map.of() : server.streamsSettings())) {
        if (server != null) {
          server.attach(runner.streams());
          server.readAlerts(c);
          System.err.println(
              "… console at "
                  + server.consoleUrl()
                  + ", query API at "
                  + server.baseUrl()
                  + " (tokens from "
                  + tokens
                  + ")");
        }
        CountDownLatch done = new CountDownLatch(1);
        runner
            .streams()
            .setStateListener(
                (now, before) -> {
                  System.err.println("… streams " + before + " -> " + now);
                  if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                    done.countDown();
                  }
                });
        Runtime.getRuntime().addShutdownHook(new Thread(done::countDown));
        runner.start();
        System.err.printf(
            "… dunwatch running: application %s, reading %s, alerts to %s (Ctrl-C to stop)%n",
            appId, c.topics().inputNames(), c.topics().alerts().name());
        done.await();
        return runner.streams().state() == KafkaStreams.State.ERROR ? 1 : 0;
      }
    }
  }
}

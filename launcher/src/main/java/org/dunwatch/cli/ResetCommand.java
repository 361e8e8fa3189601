package org.dunwatch.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.tools.StreamsResetter;
import org.dunwatch.schemas.TopicNames;
import org.dunwatch.streams.StreamsSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The application reset: reprocess the inputs from the start with empty state. */
@Command(
    name = "reset",
    mixinStandardHelpOptions = true,
    description = {
      "Reset the dunwatch streams application on an external cluster with Kafka's own tool"
          + " (kafka-streams-application-reset): its committed input offsets go back to the"
          + " earliest, its internal (changelog, repartition) topics are deleted, and the local"
          + " state directory of the application is removed. The next `dunwatch run` reprocesses"
          + " everything the input topics still hold; alerts it already wrote are written again.",
      "Stop every instance of the application first. Asks for the application id as"
          + " confirmation unless --yes is given.",
      "Exit codes: 0 reset (or dry run), 1 the tool failed (e.g. the application still runs),"
          + " 2 a user error or not confirmed."
    })
public final class ResetCommand implements Callable<Integer> {

  @Option(
      names = "--application-id",
      description = "Kafka Streams application id (env DUNWATCH_APPLICATION_ID; default dunwatch).")
  String applicationId;

  @Option(
      names = "--state-dir",
      description =
          "The state directory the application ran with (env DUNWATCH_STATE_DIR); its"
              + " application folder is deleted. Omit on a machine that holds no state.")
  Path stateDir;

  @Option(names = "--yes", description = "Do not ask for confirmation.")
  boolean yes;

  @Option(names = "--dry-run", description = "Show what the tool would do; change nothing.")
  boolean dryRun;

  @Mixin ClusterOptions cluster;

  @Override
  public Integer call() throws Exception {
    Settings settings = cluster.settings();
    String bootstrap = settings.get(Settings.BOOTSTRAP);
    if (bootstrap == null) {
      throw new UserError(
          "reset works on an external cluster: give --bootstrap-servers (or"
              + " DUNWATCH_BOOTSTRAP_SERVERS)");
    }
    String appId =
        applicationId != null
            ? applicationId
            : settings.all().getOrDefault("application.id", StreamsSettings.DEFAULT_APPLICATION_ID);
    Path state =
        stateDir != null
            ? stateDir
            : settings.get("state.dir") == null ? null : Path.of(settings.get("state.dir"));
    TopicNames names = TopicNames.from(settings.all());
    List<String> inputs = List.of(names.calls(), names.sms(), names.lender());
    if (!dryRun && !yes && !confirmed(appId, bootstrap, state)) {
      throw new UserError("not confirmed: nothing was reset");
    }
    Path clientConfig = Files.createTempFile("dunwatch-reset", ".properties");
    try {
      writeClientConfig(clientConfig, settings.kafkaClientProperties());
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--bootstrap-server",
                  bootstrap,
                  "--application-id",
                  appId,
                  "--input-topics",
                  String.join(",", inputs),
                  "--to-earliest",
                  "--config-file",
                  clientConfig.toString()));
      if (dryRun) {
        args.add("--dry-run");
      }
      int exit = new StreamsResetter().execute(args.toArray(String[]::new));
      if (exit != 0) {
        System.err.println("error: the reset tool failed (exit " + exit + "); see above");
        return 1;
      }
    } finally {
      Files.deleteIfExists(clientConfig);
    }
    if (state != null) {
      Path appState = state.resolve(appId);
      if (Files.isDirectory(appState)) {
        if (dryRun) {
          System.out.println("would delete local state " + appState);
        } else {
          ReplayCommand.deleteRecursively(appState);
          if (Files.exists(appState)) {
            throw new UserError("could not delete the local state " + appState);
          }
          System.out.println("deleted local state " + appState);
        }
      }
    }
    return 0;
  }

  private static boolean confirmed(String appId, String bootstrap, Path state) throws IOException {
    System.err.printf(
        "This resets application '%s' on %s: input offsets to the earliest, internal topics"
            + " deleted%s.%nType the application id to confirm: ",
        appId,
        bootstrap,
        state == null ? "" : ", local state under " + state.resolve(appId) + " deleted");
    String line =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    return line != null && line.trim().equals(appId);
  }

  private static void writeClientConfig(Path file, Map<String, String> props) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      java.util.Properties p = new java.util.Properties();
      p.putAll(props);
      p.store(w, "client settings for the reset tool");
    }
  }
}

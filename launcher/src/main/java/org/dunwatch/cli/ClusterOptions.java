package org.dunwatch.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where Kafka and the schema registry are; without them the embedded ones are started. */
public final class ClusterOptions {

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT,...",
      description =
          "Kafka cluster to use (env DUNWATCH_BOOTSTRAP_SERVERS). Default: start an embedded broker.")
  String bootstrapServers;

  @Option(
      names = "--schema-registry-url",
      paramLabel = "URL",
      description =
          "Confluent-compatible schema registry (env DUNWATCH_SCHEMA_REGISTRY_URL). Default: start an embedded Apicurio Registry.")
  String schemaRegistryUrl;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Properties file: bootstrap.servers, schema.registry.url, topic.*, kafka.* client settings.")
  Path configFile;

  Settings settings() {
    return settings(Map.of());
  }

  /** The settings with a command's own flags on top ({@code null} values are not set). */
  Settings settings(Map<String, String> commandFlags) {
    Map<String, String> flags = new LinkedHashMap<>(commandFlags);
    flags.put(Settings.BOOTSTRAP, bootstrapServers);
    flags.put(Settings.REGISTRY, schemaRegistryUrl);
    return Settings.resolve(Map.of(), configFile, System.getenv(), flags);
  }
}

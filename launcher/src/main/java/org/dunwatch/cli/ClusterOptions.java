package org.dunwatch.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
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
    Settings settings = Settings.resolve(Map.of(), configFile, System.getenv(), flags);
    checkBootstrap(settings.get(Settings.BOOTSTRAP));
    checkRegistryUrl(settings.get(Settings.REGISTRY));
    return settings;
  }

  /**
   * A user error unless every entry is {@code host:port} with a port from 1 to 65535: Kafka's
   * client would otherwise fail later with a stack trace ({@code 127.0.0.1:99999}, {@code :abc}).
   */
  static void checkBootstrap(String servers) {
    if (servers == null) {
      return;
    }
    if (servers.isBlank()) {
      throw new UserError("--bootstrap-servers is empty; give HOST:PORT[,HOST:PORT...]");
    }
    for (String entry : servers.split(",", -1)) {
      String e = entry.strip();
      int colon = e.lastIndexOf(':');
      String host = colon < 0 ? "" : e.substring(0, colon);
      String port = colon < 0 ? "" : e.substring(colon + 1);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      boolean ok = !host.isBlank() && !host.contains(" ") && port.matches("\\d{1,5}");
      if (ok) {
        int p = Integer.parseInt(port);
        ok = p >= 1 && p <= 65535;
      }
      if (!ok) {
        throw new UserError(
            "--bootstrap-servers must be HOST:PORT[,HOST:PORT...] with ports 1-65535, got \""
                + e
                + "\"");
      }
    }
  }

  /** A user error unless the URL is http(s) with a host (or the tests' {@code mock://}). */
  static void checkRegistryUrl(String url) {
    if (url == null) {
      return;
    }
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new UserError("--schema-registry-url is not a URL: \"" + url + "\"");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("mock")) {
      return;
    }
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new UserError(
          "--schema-registry-url must be an http:// or https:// URL with a host, got \""
              + url
              + "\"");
    }
    if (uri.getPort() > 65535) {
      throw new UserError("--schema-registry-url has a port above 65535: \"" + url + "\"");
    }
  }
}

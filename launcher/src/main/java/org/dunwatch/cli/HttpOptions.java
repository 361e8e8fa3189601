package org.dunwatch.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.dunwatch.deploy.FreePorts;
import picocli.CommandLine.Option;

/**
 * dunwatch's one HTTP port while it runs the application: {@code /metrics}, {@code /health}, and
 * with {@code --api-tokens} the query API ({@code /api/v1}).
 */
public final class HttpOptions {

  static final String PORT = "http.port";
  static final String BIND = "http.bind";
  static final String ADVERTISED_HOST = "http.advertised.host";
  static final String API_TOKENS = "api.tokens";
  static final String DEFAULT_BIND = "127.0.0.1";

  /**
   * Where to listen; {@code port} null means no HTTP server. {@code advertisedHost} is how the
   * other instances reach this one for keys it holds (Kafka Streams' {@code application.server}).
   */
  record Endpoint(String bind, Integer port, String advertisedHost, Path apiTokens) {
    static final Endpoint NONE = new Endpoint(DEFAULT_BIND, null, null, null);

    boolean enabled() {
      return port != null;
    }

    /**
     * Port 0 turned into a free port now: the other instances must be told the port before the
     * streams start ({@code application.server}), so the server cannot pick it when it binds.
     */
    Endpoint resolved() {
      return port == null || port != 0
          ? this
          : new Endpoint(bind, FreePorts.pick(), advertisedHost, apiTokens);
    }

    /** This instance as the others see it. */
    HostInfo self() {
      String host = advertisedHost;
      if (host == null) {
        host = bind;
        if (host.equals("0.0.0.0") || host.equals("::")) {
          try {
            host = InetAddress.getLocalHost().getCanonicalHostName();
          } catch (UnknownHostException e) {
            throw new UserError(
                "--http-bind "
                    + bind
                    + " listens on every address, and this host has no name the other instances"
                    + " could use: set --http-advertised-host",
                e);
          }
        }
      }
      return new HostInfo(host, port == null ? 0 : port);
    }

    /** The Kafka Streams settings this endpoint needs ({@code application.server}). */
    Map<String, String> streamsSettings() {
      if (port == null || apiTokens == null) {
        return Map.of();
      }
      HostInfo self = self();
      return Map.of(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
    }

    /** The server's base URL as this machine reaches it. */
    String baseUrl(int boundPort) {
      String host = bind.equals("0.0.0.0") || bind.equals("::") ? DEFAULT_BIND : bind;
      return "http://" + host + ":" + boundPort;
    }
  }

  @Option(
      names = "--http-port",
      paramLabel = "PORT",
      description =
          "Serve /metrics (Prometheus), /health/live, /health/ready and, with --api-tokens, the"
              + " query API /api/v1 on this port while the app runs (env DUNWATCH_HTTP_PORT; 0"
              + " picks a free port). Default: no HTTP server.")
  String port;

  @Option(
      names = "--http-bind",
      paramLabel = "ADDRESS",
      description =
          "Address the HTTP server binds to (env DUNWATCH_HTTP_BIND). Default: 127.0.0.1, loopback"
              + " only; 0.0.0.0 in a container.")
  String bind;

  @Option(
      names = "--http-advertised-host",
      paramLabel = "HOST",
      description =
          "Host name the other instances reach this one at, for the query API's keys held"
              + " elsewhere (env DUNWATCH_HTTP_ADVERTISED_HOST). Default: the bind address, or the"
              + " host's name when binding every address.")
  String advertisedHost;

  @Option(
      names = "--api-tokens",
      paramLabel = "FILE",
      description =
          "Serve the query API with these bearer tokens, JSON: [{\"token\": ..., \"role\":"
              + " \"TELECOM|REGULATOR|LENDER\", \"lender_id\": ...}] (env DUNWATCH_API_TOKENS).")
  Path apiTokens;

  /** The endpoint: these flags over the {@code http.*} and {@code api.tokens} settings. */
  Endpoint endpoint(Settings settings) {
    String p = port != null ? port : settings.get(PORT);
    String b = bind != null ? bind : settings.get(BIND);
    String host = advertisedHost != null ? advertisedHost : settings.get(ADVERTISED_HOST);
    Path tokens = apiTokens;
    if (tokens == null && settings.get(API_TOKENS) != null) {
      tokens = Path.of(settings.get(API_TOKENS).trim());
    }
    Integer parsed = null;
    if (p != null) {
      try {
        parsed = Integer.parseInt(p.trim());
      } catch (NumberFormatException e) {
        parsed = -1;
      }
      if (parsed < 0 || parsed > 65535) {
        throw new UserError("--http-port must be a port number 0-65535, not '" + p + "'");
      }
    }
    if (tokens != null && !Files.isRegularFile(tokens)) {
      throw new UserError("--api-tokens: no such file " + tokens);
    }
    return new Endpoint(
        b == null ? DEFAULT_BIND : b.trim(),
        parsed,
        host == null || host.isBlank() ? null : host.trim(),
        tokens);
  }
}

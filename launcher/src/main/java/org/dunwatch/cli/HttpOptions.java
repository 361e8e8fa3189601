package org.dunwatch.cli;

import picocli.CommandLine.Option;

/** Where dunwatch serves {@code /metrics} and {@code /health} while it runs the application. */
public final class HttpOptions {

  static final String PORT = "http.port";
  static final String BIND = "http.bind";
  static final String DEFAULT_BIND = "127.0.0.1";

  /** Where to listen; {@code port} null means no HTTP server. */
  record Endpoint(String bind, Integer port) {
    static final Endpoint NONE = new Endpoint(DEFAULT_BIND, null);
  }

  @Option(
      names = "--http-port",
      paramLabel = "PORT",
      description =
          "Serve /metrics (Prometheus) and /health/live, /health/ready on this port while the app"
              + " runs (env DUNWATCH_HTTP_PORT; 0 picks a free port). Default: no HTTP server.")
  String port;

  @Option(
      names = "--http-bind",
      paramLabel = "ADDRESS",
      description =
          "Address the HTTP server binds to (env DUNWATCH_HTTP_BIND). Default: 127.0.0.1; 0.0.0.0"
              + " in a container.")
  String bind;

  /** The endpoint: these flags over {@code http.port} / {@code http.bind} of {@code settings}. */
  Endpoint endpoint(Settings settings) {
    String p = port != null ? port : settings.get(PORT);
    String b = bind != null ? bind : settings.get(BIND);
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
    return new Endpoint(b == null ? DEFAULT_BIND : b.trim(), parsed);
  }
}

package org.dunwatch.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The HTTP port and the query API's tokens, for {@code run} and {@code demo}. */
public final class ApiOptions {

  @Option(
      names = "--http-port",
      paramLabel = "PORT",
      description =
          "Serve the query API (/api/v1) on this port (env DUNWATCH_HTTP_PORT; 0: any free port). Default: no HTTP server for run, any free port for demo --serve.")
  Integer httpPort;

  @Option(
      names = "--http-bind",
      paramLabel = "ADDRESS",
      description =
          "Address the HTTP server binds to and other instances reach it at (env DUNWATCH_HTTP_BIND; default 127.0.0.1, loopback only).")
  String httpBind;

  @Option(
      names = "--api-tokens",
      paramLabel = "FILE",
      description =
          "Bearer tokens of the query API, JSON: [{\"token\": ..., \"role\": \"TELECOM|REGULATOR|LENDER\", \"lender_id\": ...}] (env DUNWATCH_API_TOKENS).")
  Path apiTokens;

  Integer port() {
    if (httpPort != null) {
      return check(httpPort);
    }
    String env = System.getenv("DUNWATCH_HTTP_PORT");
    if (env == null || env.isBlank()) {
      return null;
    }
    try {
      return check(Integer.parseInt(env.trim()));
    } catch (NumberFormatException e) {
      throw new UserError("DUNWATCH_HTTP_PORT must be a port number, got '" + env + "'");
    }
  }

  String bind() {
    if (httpBind != null) {
      return httpBind;
    }
    String env = System.getenv("DUNWATCH_HTTP_BIND");
    return env == null || env.isBlank() ? "127.0.0.1" : env.trim();
  }

  /** The tokens file given, if any; a given file that does not exist is an error. */
  Path tokensFile() {
    Path p = apiTokens;
    if (p == null) {
      String env = System.getenv("DUNWATCH_API_TOKENS");
      p = env == null || env.isBlank() ? null : Path.of(env.trim());
    }
    if (p != null && !Files.isRegularFile(p)) {
      throw new UserError("--api-tokens: no such file " + p);
    }
    return p;
  }

  private static int check(int port) {
    if (port < 0 || port > 65535) {
      throw new UserError("--http-port must be 0-65535, got " + port);
    }
    return port;
  }
}

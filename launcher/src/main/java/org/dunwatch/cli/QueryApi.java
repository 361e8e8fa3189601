package org.dunwatch.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.streams.KafkaStreams;
import org.dunwatch.streams.api.AlertFeed;
import org.dunwatch.streams.api.ApiRoutes;
import org.dunwatch.streams.api.ApiTokens;
import org.dunwatch.streams.api.CircleRoutes;
import org.dunwatch.streams.api.ConsoleRoutes;
import org.dunwatch.streams.api.InstanceStores;
import org.dunwatch.streams.api.KafkaStreamsStores;
import org.dunwatch.streams.api.LiveRoutes;
import org.dunwatch.streams.http.HttpRoutes;
import org.dunwatch.streams.rules.Rules;

/**
 * The query API ({@code /api/v1}), its live alert stream and the analyst console ({@code /}) as
 * routes of the HTTP server of {@code run}, {@code demo} and {@code replay}: mounted only when the
 * endpoint has a tokens file. Closed with the server (it reads the alerts topic for the console).
 */
final class QueryApi implements HttpRoutes, AutoCloseable {

  /** Incidents the console's live table holds (the latest revision of each). */
  static final int CONSOLE_INCIDENTS = 10_000;

  private final List<HttpRoutes> routes;
  private final LiveRoutes live;

  private QueryApi(List<HttpRoutes> routes, LiveRoutes live) {
    this.routes = routes;
    this.live = live;
  }

  /**
   * The routes to mount for {@code endpoint}: the API and console when it has tokens, else none.
   */
  static List<HttpRoutes> routes(
      KafkaStreams streams, HttpOptions.Endpoint endpoint, Rules rules, Cluster cluster) {
    if (endpoint.apiTokens() == null) {
      return List.of();
    }
    ApiTokens tokens;
    try {
      tokens = ApiTokens.load(endpoint.apiTokens());
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
    InstanceStores stores = new KafkaStreamsStores(streams, endpoint.self());
    Map<String, Object> props = new HashMap<>(cluster.clientProperties());
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    AlertFeed alerts = new AlertFeed(CONSOLE_INCIDENTS).start(props, cluster.topics().alerts());
    LiveRoutes live = new LiveRoutes(tokens, alerts);
    return List.of(
        new QueryApi(
            List.of(
                new ApiRoutes(stores, tokens, rules),
                live,
                new CircleRoutes(stores, tokens),
                new ConsoleRoutes()),
            live));
  }

  @Override
  public void addTo(io.javalin.Javalin app) {
    routes.forEach(r -> r.addTo(app));
  }

  /** Stops the console's alert stream and its reader of the alerts topic. */
  @Override
  public void close() {
    live.close();
  }

  /** The console's URL on a server bound at {@code port}. */
  static String consoleUrl(HttpOptions.Endpoint endpoint, int port) {
    return endpoint.baseUrl(port) + "/";
  }

  /** The API's base URL on a server bound at {@code port}. */
  static String baseUrl(HttpOptions.Endpoint endpoint, int port) {
    return endpoint.baseUrl(port) + ApiRoutes.BASE;
  }

  /** Writes a tokens file for the three roles (the demo's), readable by its owner only. */
  static Path writeDemoTokens(Path file, List<String> lenders) throws IOException {
    SecureRandom random = new SecureRandom();
    StringBuilder json = new StringBuilder("[\n");
    json.append(entry(random, "TELECOM", null)).append(",\n");
    json.append(entry(random, "REGULATOR", null));
    for (String lender : lenders) {
      json.append(",\n").append(entry(random, "LENDER", lender));
    }
    json.append("\n]\n");
    Files.deleteIfExists(file);
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
    Files.writeString(file, json);
    return file;
  }

  private static String entry(SecureRandom random, String role, String lender) {
    byte[] b = new byte[24];
    random.nextBytes(b);
    return "  {\"token\": \""
        + HexFormat.of().formatHex(b)
        + "\", \"role\": \""
        + role
        + "\""
        + (lender == null ? "" : ", \"lender_id\": \"" + lender + "\"")
        + "}";
  }
}

package org.dunwatch.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.dunwatch.streams.api.ApiRoutes;
import org.dunwatch.streams.api.ApiTokens;
import org.dunwatch.streams.api.KafkaStreamsStores;
import org.dunwatch.streams.http.HttpRoutes;
import org.dunwatch.streams.rules.Rules;

/**
 * The query API ({@code /api/v1}) as routes of the HTTP server of {@code run}, {@code demo} and
 * {@code replay}: mounted only when the endpoint has a tokens file.
 */
final class QueryApi {

  private QueryApi() {}

  /** The routes to mount for {@code endpoint}: the API when it has tokens, else none. */
  static List<HttpRoutes> routes(KafkaStreams streams, HttpOptions.Endpoint endpoint, Rules rules) {
    if (endpoint.apiTokens() == null) {
      return List.of();
    }
    ApiTokens tokens;
    try {
      tokens = ApiTokens.load(endpoint.apiTokens());
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
    return List.of(new ApiRoutes(new KafkaStreamsStores(streams, endpoint.self()), tokens, rules));
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

package org.dunwatch.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.dunwatch.avro.telecom.CallRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The REST client against a scripted HTTP server on loopback: retries, caching, credentials and
 * errors. The real-registry behaviour is covered by the Apicurio integration test.
 */
class HttpSchemaRegistryClientTest {

  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<String> authHeaders = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private String serve(Handler handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
          String auth = exchange.getRequestHeaders().getFirst("Authorization");
          authHeaders.add(auth == null ? "" : auth);
          handler.handle(exchange);
        });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  @Test
  void shouldRetryServerErrorsWithBackoffThenSucceed() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    String url =
        serve(
            ex -> {
              if (calls.incrementAndGet() < 3) {
                reply(ex, 503, "{\"error_code\":50301,\"message\":\"busy\"}");
              } else {
                reply(ex, 200, "{\"id\":42}");
              }
            });
    var client =
        new HttpSchemaRegistryClient(RegistryConfig.of(url).withRetries(3, Duration.ofMillis(10)));

    assertEquals(42, client.register("telecom.calls.v1-value", CallRecord.getClassSchema()));
    assertEquals(3, calls.get());
    assertEquals("POST /subjects/telecom.calls.v1-value/versions", requests.get(0));
  }

  @Test
  void shouldCacheRegisteredIdsAndFetchedSchemas() throws IOException {
    String schemaJson =
        "{\"schema\":"
            + com.fasterxml.jackson.databind.node.TextNode.valueOf(
                CallRecord.getClassSchema().toString())
            + "}";
    String url =
        serve(
            ex -> {
              if (ex.getRequestMethod().equals("GET")) {
                reply(ex, 200, schemaJson);
              } else {
                reply(ex, 200, "{\"id\":7}");
              }
            });
    var client = new HttpSchemaRegistryClient(RegistryConfig.of(url));

    client.register("s-value", CallRecord.getClassSchema());
    client.register("s-value", CallRecord.getClassSchema());
    client.getById(9);
    client.getById(9);
    assertEquals(CallRecord.getClassSchema(), client.getById(7));
    assertEquals(List.of("POST /subjects/s-value/versions", "GET /schemas/ids/9"), requests);
  }

  @Test
  void shouldSendBasicAuthFromUserInfoOrUrl() throws IOException {
    String url = serve(ex -> reply(ex, 200, "{\"id\":1}"));
    new HttpSchemaRegistryClient(RegistryConfig.of(url).withBasicAuth("fraud:s3cret"))
        .register("a-value", CallRecord.getClassSchema());
    new HttpSchemaRegistryClient(RegistryConfig.of(url.replace("http://", "http://ops:pw@")))
        .register("b-value", CallRecord.getClassSchema());

    assertEquals("Basic ZnJhdWQ6czNjcmV0", authHeaders.get(0));
    assertEquals("Basic b3BzOnB3", authHeaders.get(1));
  }

  @Test
  void shouldNeverPrintCredentials() {
    RegistryConfig config =
        RegistryConfig.of("https://ops:topsecret@registry.example:8081").withBasicAuth("u:hunter2");
    assertFalse(config.toString().contains("topsecret"), config.toString());
    assertFalse(config.toString().contains("hunter2"), config.toString());
  }

  @Test
  void shouldExplainAnIncompatibleSchema() throws IOException {
    String url =
        serve(
            ex ->
                reply(
                    ex,
                    409,
                    "{\"error_code\":409,\"message\":\"Incompatible artifact: t-value [AVRO]\"}"));
    var client = new HttpSchemaRegistryClient(RegistryConfig.of(url));

    SchemaRegistryException e =
        assertThrows(
            SchemaRegistryException.class,
            () -> client.register("t-value", CallRecord.getClassSchema()));
    assertTrue(e.isIncompatible());
    assertTrue(e.getMessage().contains("refused the schema as incompatible"), e.getMessage());
    assertEquals(1, requests.size(), "a refusal is final, not retried");
  }

  @Test
  void shouldSayTheRegistryIsUnreachableAfterRetrying() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    var client =
        new HttpSchemaRegistryClient(
            RegistryConfig.of("http://127.0.0.1:" + port).withRetries(2, Duration.ofMillis(5)));

    SchemaRegistryException e =
        assertThrows(SchemaRegistryException.class, () -> client.getById(1));
    assertTrue(e.getMessage().contains("unreachable after 3 attempts"), e.getMessage());
    assertEquals(-1, e.httpStatus());
  }

  @Test
  void shouldRejectAnUnsupportedUrlScheme() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RegistryConfig.of("ftp://x"));
    assertTrue(e.getMessage().contains("http://, https:// or mock://"));
  }
}

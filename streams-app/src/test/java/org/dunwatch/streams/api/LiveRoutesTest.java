package org.dunwatch.streams.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.alert.Severity;
import org.dunwatch.schemas.AlertJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The console's live routes on a real HTTP server, fed by an {@link AlertFeed}. */
class LiveRoutesTest {

  static final String REGULATOR = "r".repeat(40);
  static final String LENDER_A = "a".repeat(40);

  private final HttpClient http = HttpClient.newHttpClient();
  private AlertFeed feed;
  private LiveRoutes routes;
  private Javalin app;

  @BeforeEach
  void start() {
    ApiTokens tokens =
        ApiTokens.parse(
            "[{\"token\":\""
                + REGULATOR
                + "\",\"role\":\"REGULATOR\"},{\"token\":\""
                + LENDER_A
                + "\",\"role\":\"LENDER\",\"lender_id\":\"lnd-a\"}]",
            "test");
    feed = new AlertFeed(100);
    routes = new LiveRoutes(tokens, feed);
    app = Javalin.create();
    routes.addTo(app);
    app.start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    app.stop();
    routes.close();
  }

  @Test
  void shouldTellTheConsoleTheRoleAndLenderOfAToken() throws Exception {
    HttpResponse<String> r = get("/api/v1/me", LENDER_A);
    assertEquals(200, r.statusCode());
    assertEquals("{\"role\":\"LENDER\",\"lender_id\":\"lnd-a\"}", r.body());
    assertEquals(
        "{\"role\":\"REGULATOR\",\"lender_id\":null}", get("/api/v1/me", REGULATOR).body());
  }

  @Test
  void shouldRefuseAMissingOrForgedTokenWith401() throws Exception {
    for (String path : List.of("/api/v1/me", "/api/v1/alerts/stream")) {
      assertEquals(401, get(path, null).statusCode(), path);
      HttpResponse<String> forged = get(path, "x".repeat(40));
      assertEquals(401, forged.statusCode(), path);
      assertTrue(forged.body().contains("\"status\":401"), forged.body());
    }
  }

  @Test
  void shouldStreamHeldThenNewRevisionsAndToALenderOnlyItsOwnIncidents() throws Exception {
    feed.accept(batch(alert("mine", 1, "lnd-a"), alert("theirs", 1, "lnd-b")));
    List<String> lenderSees = new ArrayList<>();
    List<String> regulatorSees = new ArrayList<>();
    try (Stream<String> lender = stream(LENDER_A);
        Stream<String> regulator = stream(REGULATOR)) {
      Iterator<String> l = events(lender);
      Iterator<String> r = events(regulator);
      lenderSees.add(l.next());
      regulatorSees.add(r.next());
      regulatorSees.add(r.next());

      feed.accept(batch(alert("theirs", 2, "lnd-b"), alert("mine", 2, "lnd-a")));
      lenderSees.add(l.next());
      regulatorSees.add(r.next());
      regulatorSees.add(r.next());
    }
    assertEquals(List.of("mine@1", "mine@2"), lenderSees);
    assertEquals(List.of("mine@1", "theirs@1", "theirs@2", "mine@2"), regulatorSees);
  }

  private Stream<String> stream(String token) throws Exception {
    HttpResponse<Stream<String>> r =
        http.sendAsync(
                request("/api/v1/alerts/stream", token)
                    .header("Accept", "text/event-stream")
                    .build(),
                HttpResponse.BodyHandlers.ofLines())
            .get(10, TimeUnit.SECONDS);
    assertEquals(200, r.statusCode());
    assertTrue(
        r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"),
        r.headers().map().toString());
    return r.body();
  }

  /** The alert events of a stream, as id@revision. */
  private static Iterator<String> events(Stream<String> lines) {
    return lines
        .filter(line -> line.startsWith("data: "))
        .map(line -> AlertJson.fromJson(line.substring(6)))
        .map(a -> a.getAlertId() + "@" + a.getRevision())
        .iterator();
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    return http.send(request(path, token).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
            .timeout(Duration.ofSeconds(10));
    return token == null ? b : b.header("Authorization", "Bearer " + token);
  }

  private static Alert alert(String id, int revision, String lender) {
    Alert a = AlertFeedTest.alert(id, revision, Severity.HIGH);
    a.setLenderId(lender);
    return a;
  }

  private static ConsumerRecords<String, Alert> batch(Alert... alerts) {
    List<ConsumerRecord<String, Alert>> records = new ArrayList<>();
    for (Alert a : alerts) {
      records.add(new ConsumerRecord<>("alerts", 0, 0, a.getVictim(), a));
    }
    return new ConsumerRecords<>(
        java.util.Map.of(new TopicPartition("alerts", 0), records), java.util.Map.of());
  }
}

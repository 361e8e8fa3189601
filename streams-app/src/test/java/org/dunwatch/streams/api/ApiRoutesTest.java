package org.dunwatch.streams.api;

import static org.dunwatch.avro.alert.AlertType.CALL_FLOOD;
import static org.dunwatch.avro.alert.AlertType.CONTACT_FREQUENCY;
import static org.dunwatch.avro.alert.AlertType.THIRD_PARTY_CONTACT;
import static org.dunwatch.streams.feeds.FeedAlerts.alert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.kstream.Consumed;
import org.dunwatch.avro.alert.Severity;
import org.dunwatch.avro.alert.SubjectKind;
import org.dunwatch.streams.feeds.BlocklistFeed;
import org.dunwatch.streams.feeds.BlocklistRule;
import org.dunwatch.streams.feeds.FeedHarness;
import org.dunwatch.streams.feeds.IncidentLog;
import org.dunwatch.streams.feeds.IncidentRule;
import org.dunwatch.streams.feeds.ScorecardFeed;
import org.dunwatch.streams.feeds.ScorecardRule;
import org.dunwatch.streams.lender.LenderReference;
import org.dunwatch.streams.lender.LenderReferenceRule;
import org.dunwatch.streams.rules.Rules;
import org.dunwatch.streams.state.AvroStateSerde;
import org.dunwatch.streams.state.JudgedContact;
import org.dunwatch.streams.testdata.LenderEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API over the real feeds on a {@link org.apache.kafka.streams.TopologyTestDriver}, on a real
 * HTTP server: what each role may read, and the errors.
 */
class ApiRoutesTest {

  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  static final String BOMBER = "+8617000000001";
  static final String VICTIM = "+8618800000001";
  static final String BORROWER = "+8618800000002";
  static final String TELECOM = "t".repeat(40);
  static final String REGULATOR = "r".repeat(40);
  static final String LENDER_A = "a".repeat(40);
  static final String LENDER_B = "b".repeat(40);

  static final List<String> ENDPOINTS =
      List.of(
          "/api/v1/incidents?victim=" + VICTIM,
          "/api/v1/incidents/flood-1",
          "/api/v1/blocklist",
          "/api/v1/scorecards",
          "/api/v1/scorecards/lnd-a",
          "/api/v1/numbers/" + BORROWER);

  @TempDir static Path stateDir;
  static FeedHarness h;
  static Javalin app;
  static final HttpClient http = HttpClient.newHttpClient();
  static final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  static void start() {
    Rules rules = Rules.defaults();
    h =
        new FeedHarness(
            (b, alerts, lender, topics) -> {
              LenderReference.addTo(b, lender, LenderReferenceRule.from(rules));
              BlocklistFeed.addTo(b, alerts, lender, topics.blocklist(), BlocklistRule.from(rules));
              ScorecardFeed.addTo(
                  b,
                  alerts,
                  b.stream(
                      "test.judged",
                      Consumed.with(Serdes.String(), AvroStateSerde.of(JudgedContact.class))
                          .withName("test-judged")),
                  topics.scorecards(),
                  ScorecardRule.from(rules));
              IncidentLog.addTo(b, alerts, IncidentRule.from(rules));
            },
            stateDir);
    h.send(LenderEvents.loanOpened("lnd-a", "loan-1", BORROWER, T0.minusSeconds(86_400), VICTIM));
    h.send(
        alert(CALL_FLOOD, "flood-1").subject(BOMBER).victim(VICTIM).severity(Severity.HIGH).at(T0));
    h.send(
        alert(CALL_FLOOD, "flood-1")
            .subject(BOMBER)
            .victim(VICTIM)
            .severity(Severity.CRITICAL)
            .revision(2)
            .at(T0.plusSeconds(300)));
    h.send(
        alert(CONTACT_FREQUENCY, "p-a")
            .rule("cn.frequency.connected_daily")
            .subject(SubjectKind.AGENCY, "ag-1")
            .victim(BORROWER)
            .lender("lnd-a", "ag-1")
            .at(T0.plusSeconds(400)));
    h.send(
        alert(THIRD_PARTY_CONTACT, "p-b")
            .subject(SubjectKind.LENDER, "lnd-b")
            .victim(VICTIM)
            .lender("lnd-b", null)
            .at(T0.plusSeconds(500)));
    TestInputTopic<String, JudgedContact> judged =
        h.driver.createInputTopic(
            "test.judged",
            Serdes.String().serializer(),
            AvroStateSerde.of(JudgedContact.class).serializer());
    judged.pipeInput(
        BORROWER, new JudgedContact("lnd-a", "ag-1", T0.toEpochMilli()), T0.plusSeconds(600));

    ApiTokens tokens =
        ApiTokens.parse(
            "[{\"token\":\"%s\",\"role\":\"TELECOM\"},{\"token\":\"%s\",\"role\":\"REGULATOR\"},"
                    .formatted(TELECOM, REGULATOR)
                + "{\"token\":\"%s\",\"role\":\"LENDER\",\"lender_id\":\"lnd-a\"},{\"token\":\"%s\",\"role\":\"LENDER\",\"lender_id\":\"lnd-b\"}]"
                    .formatted(LENDER_A, LENDER_B),
            "test");
    app = Javalin.create();
    new ApiRoutes(new DriverStores(h.driver), tokens, rules).addTo(app);
    app.start("127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    app.stop();
    h.close();
  }

  record Answer(int status, JsonNode body) {}

  static Answer get(String path, String token) throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path));
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> resp = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(
        resp.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
        path + " answers JSON");
    return new Answer(resp.statusCode(), json.readTree(resp.body()));
  }

  static void assertStatus(int status, String path, String token) throws Exception {
    Answer a = get(path, token);
    assertEquals(status, a.status(), path + ": " + a.body());
    if (status != 200) {
      assertTrue(a.body().path("error").isTextual(), "a JSON error body: " + a.body());
      assertFalse(a.body().toString().contains("Exception"), "no stack trace: " + a.body());
    }
  }

  @Test
  void shouldAnswer401ToEveryEndpointWithoutATokenOrWithAForgedOne() throws Exception {
    for (String path : ENDPOINTS) {
      assertStatus(401, path, null);
      assertStatus(401, path, "f".repeat(40));
      assertStatus(401, path, REGULATOR.substring(1) + "x");
    }
  }

  @Test
  void shouldLetATelecomReadTheBlocklistIncidentsAndNumbersButNoScorecard() throws Exception {
    Answer list = get("/api/v1/blocklist", TELECOM);
    assertEquals(200, list.status());
    List<String> listed = new ArrayList<>();
    list.body()
        .path("entries")
        .forEach(e -> listed.add(e.path("number").asText() + " " + e.path("action").asText()));
    assertEquals(List.of(BOMBER + " BLOCK", VICTIM + " PROTECT"), listed);
    assertStatus(200, "/api/v1/incidents?victim=" + VICTIM, TELECOM);
    assertStatus(200, "/api/v1/incidents/flood-1", TELECOM);
    assertStatus(200, "/api/v1/numbers/" + BORROWER, TELECOM);
    assertStatus(403, "/api/v1/scorecards", TELECOM);
    assertStatus(403, "/api/v1/scorecards/lnd-a", TELECOM);
  }

  @Test
  void shouldLetARegulatorReadEverything() throws Exception {
    for (String path : ENDPOINTS) {
      assertStatus(200, path, REGULATOR);
    }
    assertEquals(
        List.of("lnd-a", "lnd-a/ag-1", "lnd-b"),
        json.convertValue(get("/api/v1/scorecards", REGULATOR).body().path("lenders"), List.class));
    assertStatus(200, "/api/v1/scorecards/lnd-b", REGULATOR);
  }

  @Test
  void shouldLetALenderReadOnlyItsOwnScorecardsAndIncidents() throws Exception {
    Answer own = get("/api/v1/scorecards/lnd-a", LENDER_A);
    assertEquals(200, own.status());
    JsonNode day = own.body().path("days").get(0);
    assertEquals(1, day.path("incidents").asInt());
    assertEquals(1, day.path("contacts_judged").asInt());
    assertEquals(
        List.of("lnd-a", "lnd-a/ag-1"),
        json.convertValue(get("/api/v1/scorecards", LENDER_A).body().path("lenders"), List.class));
    assertStatus(403, "/api/v1/scorecards/lnd-b", LENDER_A);
    assertStatus(403, "/api/v1/scorecards/lnd-a", LENDER_B);
    assertStatus(200, "/api/v1/incidents/p-a", LENDER_A);
    assertStatus(403, "/api/v1/incidents/p-b", LENDER_A);
    assertStatus(403, "/api/v1/incidents/flood-1", LENDER_A);
    assertStatus(403, "/api/v1/incidents?lender=lnd-b", LENDER_A);
    assertStatus(403, "/api/v1/blocklist", LENDER_A);
    assertStatus(403, "/api/v1/numbers/" + BORROWER, LENDER_A);
    Answer aboutVictim = get("/api/v1/incidents?victim=" + VICTIM, LENDER_B);
    assertEquals(200, aboutVictim.status());
    List<String> ids = new ArrayList<>();
    aboutVictim.body().path("incidents").forEach(i -> ids.add(i.path("alert_id").asText()));
    assertEquals(List.of("p-b"), ids, "only its own of the victim's incidents");
  }

  @Test
  void shouldGiveEveryRevisionTheEvidenceAndTheLegalTextOfAnIncident() throws Exception {
    Answer flood = get("/api/v1/incidents/flood-1", REGULATOR);
    assertEquals(2, flood.body().path("revisions").size());
    assertEquals("CRITICAL", flood.body().path("latest").path("severity").asText());
    assertTrue(flood.body().path("evidence").has("event_ids"));
    Answer policy = get("/api/v1/incidents/p-a", REGULATOR);
    assertTrue(
        policy.body().path("rule").path("legal_text").asText().contains("3"),
        policy.body().toString());
  }

  @Test
  void shouldTellWhatIsKnownOfANumber() throws Exception {
    JsonNode n = get("/api/v1/numbers/" + BOMBER, TELECOM).body();
    assertEquals("BLOCK", n.path("blocklist").path("action").asText());
    assertEquals(1, n.path("open_incidents").size());
    JsonNode b = get("/api/v1/numbers/" + BORROWER, TELECOM).body();
    assertEquals("loan-1", b.path("loans").get(0).path("loan_id").asText());
  }

  @Test
  void shouldAnswerBadRequestsWithJsonErrors() throws Exception {
    assertStatus(400, "/api/v1/blocklist?size=501", TELECOM);
    assertStatus(400, "/api/v1/blocklist?page=x", TELECOM);
    assertStatus(400, "/api/v1/numbers/not%20a%20number", TELECOM);
    assertStatus(400, "/api/v1/incidents", TELECOM);
    assertStatus(400, "/api/v1/incidents?victim=%27%3B", TELECOM);
    assertStatus(404, "/api/v1/incidents/no-such-alert", REGULATOR);
    assertStatus(404, "/api/v1/scorecards/lnd-unknown", REGULATOR);
    Answer page = get("/api/v1/blocklist?page=1&size=1", TELECOM);
    assertEquals(VICTIM, page.body().path("entries").get(0).path("number").asText());
    assertEquals(2, page.body().path("total").asInt());
  }

  @Test
  void shouldServeTheOpenApiDocumentWithoutAToken() throws Exception {
    Answer doc = get("/api/v1/openapi.json", null);
    assertEquals(200, doc.status());
    for (String p :
        List.of(
            "/api/v1/incidents",
            "/api/v1/incidents/{alert_id}",
            "/api/v1/blocklist",
            "/api/v1/scorecards",
            "/api/v1/scorecards/{lender_id}",
            "/api/v1/numbers/{id}")) {
      assertTrue(doc.body().path("paths").has(p), p);
    }
  }

  @Test
  void shouldNotLetAUserTokenReadTheStoresThroughTheInstancesEndpoint() throws Exception {
    assertStatus(401, StoreClient.INTERNAL + IncidentLog.STORE + "?key=p-b", REGULATOR);
    assertStatus(401, StoreClient.INTERNAL + IncidentLog.STORE + "?key=p-b", LENDER_A);
  }
}

package org.dunwatch.streams.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.awaitility.Awaitility;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.deploy.KafkaBroker;
import org.dunwatch.registry.RegistryConfig;
import org.dunwatch.registry.SchemaRegistryClient;
import org.dunwatch.schemas.TopicNames;
import org.dunwatch.schemas.Topics;
import org.dunwatch.streams.DunwatchTopology;
import org.dunwatch.streams.StreamsSettings;
import org.dunwatch.streams.feeds.IncidentLog;
import org.dunwatch.streams.rules.Rules;
import org.dunwatch.streams.testdata.CallBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of the app on a real broker, each with its API: a query for a key that the other
 * instance holds is answered, by asking that instance.
 */
class QueryApiIT {

  static final String TOKEN = "0123456789abcdef0123456789abcdef-regulator";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  record Instance(KafkaStreams streams, Javalin http, HostInfo self) {}

  @Test
  void shouldAnswerOnEveryInstanceForAnIncidentHeldByTheOther() throws Exception {
    try (KafkaBroker kafka = KafkaBroker.builder().dataDir(dir.resolve("kafka")).start()) {
      String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8) + "-";
      TopicNames names = TopicNames.defaults().withPrefix(prefix);
      Topics topics =
          Topics.create(names, SchemaRegistryClient.create(RegistryConfig.of("mock://" + prefix)));
      Map<String, Integer> create = new HashMap<>();
      topics.inputNames().forEach(t -> create.put(t, 4));
      topics.outputNames().forEach(t -> create.put(t, 4));
      kafka.createTopics(create);
      Rules rules = Rules.defaults();
      ApiTokens tokens =
          ApiTokens.parse("[{\"token\":\"" + TOKEN + "\",\"role\":\"REGULATOR\"}]", "it");
      String appId = prefix + "app";
      List<Instance> instances = new ArrayList<>();
      try {
        for (int i = 0; i < 2; i++) {
          int port = freePort();
          HostInfo self = new HostInfo("127.0.0.1", port);
          Properties p =
              StreamsSettings.create(
                  appId,
                  kafka.bootstrapServers(),
                  Files.createDirectories(dir.resolve("state-" + i)),
                  false,
                  Map.of(StreamsConfig.APPLICATION_SERVER_CONFIG, "127.0.0.1:" + port));
          KafkaStreams streams = new KafkaStreams(DunwatchTopology.build(topics, rules), p);
          Javalin http = Javalin.create(c -> c.showJavalinBanner = false);
          new ApiRoutes(new KafkaStreamsStores(streams, self), tokens, rules).addTo(http);
          http.start("127.0.0.1", port);
          streams.start();
          instances.add(new Instance(streams, http, self));
        }
        Awaitility.await()
            .atMost(Duration.ofMinutes(3))
            .until(
                () ->
                    instances.stream()
                        .allMatch(
                            x ->
                                x.streams().state() == KafkaStreams.State.RUNNING
                                    && x.streams().metadataForLocalThreads().stream()
                                        .anyMatch(t -> !t.activeTasks().isEmpty())));

        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, CallRecord> producer =
            new KafkaProducer<>(
                pp,
                topics.calls().keySerde().serializer(),
                topics.calls().valueSerde().serializer())) {
          for (CallBuilder c : CallBuilder.floodEvery3To4Minutes(CallBuilder.T0, 40, 5)) {
            CallRecord r = c.build();
            producer.send(
                new ProducerRecord<>(
                    names.calls(), null, r.getStartTime().toEpochMilli(), c.callee(), r));
          }
        }

        // the incident, found through either instance (each asks the other for its part)
        String[] alertId = new String[1];
        Awaitility.await()
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(500))
            .ignoreExceptions()
            .until(
                () -> {
                  JsonNode list =
                      get(
                          instances.get(0).self(),
                          "/api/v1/incidents?victim=%2B" + CallBuilder.VICTIM.substring(1));
                  if (list.path("total").asInt() == 0) {
                    return false;
                  }
                  alertId[0] = list.path("incidents").get(0).path("alert_id").asText();
                  return true;
                });

        KeyQueryMetadata where =
            instances
                .get(0)
                .streams()
                .queryMetadataForKey(IncidentLog.STORE, alertId[0], Serdes.String().serializer());
        Instance holder =
            instances.stream().filter(x -> x.self().equals(where.activeHost())).findFirst().get();
        Instance other = instances.stream().filter(x -> x != holder).findFirst().get();
        assertNotEquals(holder.self(), other.self());

        JsonNode fromHolder = get(holder.self(), "/api/v1/incidents/" + alertId[0]);
        JsonNode fromOther = get(other.self(), "/api/v1/incidents/" + alertId[0]);
        assertEquals("CALL_FLOOD", fromOther.path("type").asText());
        assertEquals(fromHolder, fromOther, "the other instance answers with the holder's data");

        for (Instance x : instances) {
          JsonNode list = get(x.self(), "/api/v1/blocklist");
          List<String> actions = new ArrayList<>();
          list.path("entries").forEach(e -> actions.add(e.path("action").asText()));
          assertTrue(actions.contains("PROTECT"), x.self() + ": " + list);
        }
      } finally {
        for (Instance x : instances) {
          x.http().stop();
          x.streams().close(Duration.ofSeconds(30));
        }
      }
    }
  }

  private static JsonNode get(HostInfo host, String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://" + host.host() + ":" + host.port() + path))
                    .header("Authorization", "Bearer " + TOKEN)
                    .timeout(Duration.ofSeconds(20))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    return JSON.readTree(r.body());
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}

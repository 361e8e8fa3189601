package org.dunwatch.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.dunwatch.deploy.ApicurioRegistry;
import org.dunwatch.deploy.KafkaBroker;
import org.dunwatch.streams.rules.Rules;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's HTTP port on a real broker and registry: after the seed report and the sample files
 * are replayed through the application, {@code /metrics} counts exactly the alerts and dead letters
 * the topics hold, {@code /health/ready} says UP, and every metric the Grafana dashboard queries is
 * among those served.
 */
class MetricsIT {

  static final Path DASHBOARD = Path.of("../deploy/grafana/dashboards/dunwatch.json");

  private static KafkaBroker kafka;
  private static ApicurioRegistry registry;

  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    registry = ApicurioRegistry.builder().start();
    kafka = KafkaBroker.builder().start();
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void shouldServeAlertCountersEqualToTheAlertsTopicPerTypeAndBeReady() throws Exception {
    Path key = Files.writeString(tmp.resolve("key"), "metrics-it-key-0123456789abcdef\n");

    Settings settings =
        Settings.resolve(
            Map.of(),
            null,
            Map.of(),
            Map.of(
                Settings.BOOTSTRAP,
                kafka.bootstrapServers(),
                Settings.REGISTRY,
                registry.ccompatUrl()));
    try (Cluster c = Cluster.open(settings, m -> {})) {
      c.ensureTopics(3);
      try (StreamsRunner runner =
          new StreamsRunner(c, Rules.defaults(), "metrics-it", tmp.resolve("state"), true)) {
        runner.serve(new HttpOptions.Endpoint("127.0.0.1", 0, null, null), List.of(), m -> {});
        String base = "http://127.0.0.1:" + runner.httpPort();
        assertEquals(503, get(base + "/health/ready").statusCode(), "not ready before start");

        runner.start();
        // as a replay does: the application runs, then the files are produced to it
        produce("calls", ReplayIT.SEED, key);
        produce("sms", ReplayIT.SAMPLES.resolve("sms.csv"), key);
        produce("lender", ReplayIT.SAMPLES.resolve("lender.jsonl"), key);
        writeGarbage(c.topics().calls().name());
        try {
          runner.awaitCaughtUp(Duration.ofMinutes(3), m -> {});
        } catch (UserError e) {
          try (Admin admin = c.admin()) {
            throw new AssertionError(
                e.getMessage()
                    + "; committed "
                    + StreamsRunner.committed(admin, "metrics-it")
                    + "; ends "
                    + StreamsRunner.endOffsets(admin, c.topics().inputNames())
                    + "; state "
                    + runner.streams().state()
                    + "; threads "
                    + runner.streams().metadataForLocalThreads(),
                e);
          }
        }
        Map<String, Long> alertsPerType = new TreeMap<>();
        long deadLetters;
        try (Admin admin = c.admin()) {
          runner.awaitQuiet(admin, List.of(c.topics().alerts().name()), Duration.ofMinutes(1));
          Map<TopicPartition, Long> alertEnds =
              StreamsRunner.endOffsets(admin, List.of(c.topics().alerts().name()));
          TopicReader.readRange(
              c,
              c.topics().alerts(),
              Map.of(),
              alertEnds,
              (r, a) -> alertsPerType.merge(a.getType().name(), 1L, Long::sum));
          deadLetters =
              TopicReader.readRange(
                  c,
                  c.topics().dlq(),
                  Map.of(),
                  StreamsRunner.endOffsets(admin, List.of(c.topics().dlq().name())),
                  (r, d) -> {});
        }
        assertFalse(alertsPerType.isEmpty(), "the seed report raises alerts");
        assertEquals(1, deadLetters, "the garbage record is the one dead letter");

        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () -> assertEquals(200, get(base + "/health/ready").statusCode(), "ready"));
        HttpResponse<String> live = get(base + "/health/live");
        assertEquals(200, live.statusCode());
        assertTrue(live.body().contains("\"status\":\"UP\""), live.body());

        String metrics = get(base + "/metrics").body();
        Files.writeString(Path.of("target/metrics-it-sample.txt"), metrics);
        assertEquals(alertsPerType, sumBy(metrics, "dunwatch_alerts_total", "type"));
        assertEquals(
            Map.of("deserialize", 1L), sumBy(metrics, "dunwatch_dead_letters_total", "stage"));
        long in =
            sumBy(metrics, "dunwatch_records_in_total", "topic").values().stream()
                .mapToLong(Long::longValue)
                .sum();
        assertTrue(in > 260, "records in counted: " + in);
        assertTrue(metrics.contains("kafka_stream_"), "Kafka Streams' own meters");
        assertTrue(metrics.contains("jvm_memory_used_bytes"), "JVM meters");

        Set<String> missing = new TreeSet<>(dashboardMetrics());
        missing.removeIf(name -> Pattern.compile("(?m)^" + name + "[{ ]").matcher(metrics).find());
        assertEquals(Set.of(), missing, "dashboard queries metrics the app does not export");
      }
    }
  }

  /** The metric names the dashboard's panel queries use. */
  static Set<String> dashboardMetrics() throws IOException {
    String json = Files.readString(DASHBOARD);
    Set<String> names = new TreeSet<>();
    Matcher expr = Pattern.compile("\"expr\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
    while (expr.find()) {
      Matcher name =
          Pattern.compile("\\b((?:dunwatch|kafka|jvm|process|system)_[a-z0-9_]+)\\b")
              .matcher(expr.group(1));
      while (name.find()) {
        names.add(name.group(1));
      }
    }
    assertFalse(names.isEmpty(), "the dashboard names no metric");
    return names;
  }

  /** Sums the samples of a counter by one label. */
  static Map<String, Long> sumBy(String metrics, String name, String label) {
    Map<String, Long> sums = new TreeMap<>();
    Matcher m =
        Pattern.compile("(?m)^" + name + "\\{([^}]*)\\}\\s+([0-9.eE+-]+)$").matcher(metrics);
    while (m.find()) {
      Matcher l = Pattern.compile(label + "=\"([^\"]*)\"").matcher(m.group(1));
      if (l.find()) {
        long v = (long) Double.parseDouble(m.group(2));
        if (v > 0) {
          sums.merge(l.group(1), v, Long::sum);
        }
      }
    }
    return sums;
  }

  private void produce(String kind, Path file, Path key) {
    Cli.Run r =
        Cli.run(
            "produce",
            kind,
            "--file",
            file.toString(),
            "--default-region",
            "CN",
            "--pseudonym-key-file",
            key.toString(),
            "--quiet",
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--schema-registry-url",
            registry.ccompatUrl());
    assertEquals(0, r.exit(), r.err());
  }

  private static void writeGarbage(String topic) throws Exception {
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", kafka.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      p.send(new ProducerRecord<>(topic, "k".getBytes(StandardCharsets.UTF_8), new byte[] {0, 1}))
          .get();
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
  }
}

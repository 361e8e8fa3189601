package org.dunwatch.streams.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.dunwatch.streams.metrics.Restoration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP server's own routes and mounted ones, on a streams client that has not started. */
class HttpServerTest {

  @TempDir Path state;

  private KafkaStreams streams;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  @BeforeEach
  void setUp() {
    StreamsBuilder b = new StreamsBuilder();
    b.stream("in").to("out");
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "http-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
    p.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
    streams = new KafkaStreams(b.build(), p);
  }

  @AfterEach
  void tearDown() {
    streams.close(Duration.ofSeconds(5));
  }

  @Test
  void shouldServeMetricsHealthWithItsReasonAndMountedRoutesOnOnePort() throws Exception {
    Counter.builder("dunwatch.test.things").register(registry).increment(3);
    HttpRoutes api = app -> app.get("/api/ping", ctx -> ctx.result("pong"));
    try (HttpServer server =
        HttpServer.start(
            "127.0.0.1", 0, registry, new Health(streams, new Restoration()), List.of(api))) {
      String base = "http://127.0.0.1:" + server.port();

      HttpResponse<String> metrics = get(base + HttpServer.METRICS);
      assertEquals(200, metrics.statusCode());
      assertTrue(metrics.body().contains("dunwatch_test_things_total 3.0"), metrics.body());
      assertTrue(
          metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
          metrics.headers().toString());

      HttpResponse<String> live = get(base + HttpServer.LIVE);
      assertEquals(200, live.statusCode(), live.body());
      assertTrue(live.body().contains("\"state\":\"CREATED\""), live.body());

      HttpResponse<String> ready = get(base + HttpServer.READY);
      assertEquals(503, ready.statusCode());
      assertTrue(
          ready.body().contains("\"reason\":\"Kafka Streams is CREATED, not RUNNING\""),
          ready.body());

      assertEquals("pong", get(base + "/api/ping").body());
    }
  }

  @Test
  void shouldSayWhichAddressItCannotServeOn() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () ->
                  HttpServer.start(
                      "127.0.0.1",
                      taken.getLocalPort(),
                      registry,
                      new Health(streams, new Restoration()),
                      List.of()));
      assertTrue(
          e.getMessage().startsWith("cannot serve HTTP on 127.0.0.1:" + taken.getLocalPort()),
          e.getMessage());
    }
  }

  @Test
  void shouldNotBeLiveOnceTheStreamsClientIsClosed() {
    streams.close(Duration.ofSeconds(5));
    Health.Status live = new Health(streams, new Restoration()).live();
    assertEquals(false, live.ok());
    assertEquals("Kafka Streams is NOT_RUNNING", live.body().get("reason"));
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}

package org.dunwatch.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.dunwatch.streams.DunwatchTopology;
import org.dunwatch.streams.StreamsSettings;
import org.dunwatch.streams.http.Health;
import org.dunwatch.streams.http.HttpRoutes;
import org.dunwatch.streams.http.HttpServer;
import org.dunwatch.streams.metrics.DunwatchMeters;
import org.dunwatch.streams.policy.PolicyDetector;
import org.dunwatch.streams.rules.Rules;

/** Runs the dunwatch topology on a cluster and tells when it has processed what was written. */
public final class StreamsRunner implements AutoCloseable {

  private final Cluster cluster;
  private final String applicationId;
  private final KafkaStreams streams;
  private final List<String> inputs;
  private final Topology topology;
  private final DunwatchMeters meters;
  private HttpServer http;
  private List<HttpRoutes> served = List.of();

  /** How long the application may still write after its inputs are committed. */
  private final Duration settle;

  public StreamsRunner(
      Cluster cluster, Rules rules, String applicationId, Path stateDir, boolean exactlyOnce) {
    this(cluster, rules, applicationId, stateDir, exactlyOnce, Map.of());
  }

  /** With {@code defaults}: Streams settings of the caller's that the user's settings override. */
  public StreamsRunner(
      Cluster cluster,
      Rules rules,
      String applicationId,
      Path stateDir,
      boolean exactlyOnce,
      Map<String, String> defaults) {
    this(
        cluster,
        DunwatchTopology.build(cluster.topics(), rules),
        applicationId,
        stateDir,
        exactlyOnce,
        cluster.topics().inputNames(),
        defaults);
  }

  /** Runs any topology (benchmarks run a baseline one) reading {@code inputs}. */
  public StreamsRunner(
      Cluster cluster,
      Topology topology,
      String applicationId,
      Path stateDir,
      boolean exactlyOnce,
      List<String> inputs) {
    this(cluster, topology, applicationId, stateDir, exactlyOnce, inputs, Map.of());
  }

  private StreamsRunner(
      Cluster cluster,
      Topology topology,
      String applicationId,
      Path stateDir,
      boolean exactlyOnce,
      List<String> inputs,
      Map<String, String> defaults) {
    this.topology = topology;
    this.cluster = cluster;
    this.applicationId = applicationId;
    this.inputs = inputs;
    this.meters = new DunwatchMeters(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    try {
      Properties props =
          StreamsSettings.create(
              applicationId,
              cluster.bootstrapServers(),
              stateDir,
              exactlyOnce,
              prefixed(cluster, defaults));
      // the topology's metering processors find the meters here (DunwatchMeters.from)
      props.put(DunwatchMeters.CONFIG, meters);
      this.streams = new KafkaStreams(topology, props);
      this.settle = settleTime(props);
    } catch (IllegalArgumentException | ConfigException e) {
      throw new UserError("invalid Kafka Streams setting: " + e.getMessage(), e);
    }
    this.streams.setUncaughtExceptionHandler(
        e -> {
          System.err.println("error: stream thread failed: " + e);
          return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler
              .StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    this.streams.setGlobalStateRestoreListener(meters.restoration());
    meters.withJvm().bindTo(streams, topology.describe());
  }

  /**
   * Serves {@code /metrics}, {@code /health/*} and {@code routes} (the query API, a console) on
   * {@code endpoint} until {@link #close()}; nothing when it has no port. Call before {@link
   * #start()} so that a probe never finds the port closed while the app restores.
   */
  public void serve(
      HttpOptions.Endpoint endpoint, List<HttpRoutes> routes, Consumer<String> progress) {
    if (endpoint.port() == null) {
      return;
    }
    served = routes;
    try {
      http =
          HttpServer.start(
              endpoint.bind(),
              endpoint.port(),
              (PrometheusMeterRegistry) meters.registry(),
              new Health(streams, meters.restoration()),
              routes);
    } catch (IllegalStateException e) {
      throw new UserError(e.getMessage(), e);
    }
    progress.accept(
        "serving /metrics, /health/live, /health/ready on "
            + endpoint.baseUrl(http.port())
            + (endpoint.apiTokens() == null
                ? ""
                : "; console at "
                    + QueryApi.consoleUrl(endpoint, http.port())
                    + ", query API at "
                    + QueryApi.baseUrl(endpoint, http.port())
                    + " (tokens from "
                    + endpoint.apiTokens()
                    + ")"));
  }

  /** The port the HTTP server listens on, -1 when there is none. */
  public int httpPort() {
    return http == null ? -1 : http.port();
  }

  /**
   * Reads the Kafka settings ({@code KAFKA_*}, the properties file) as the streams app and its
   * producer and consumer will, before anything is started: a bad value is a one-line error at
   * once, not after the embedded broker and registry have come up.
   */
  static void checkSettings(Settings settings, boolean exactlyOnce) {
    String bootstrap = settings.get(Settings.BOOTSTRAP);
    try {
      StreamsConfig config =
          new StreamsConfig(
              StreamsSettings.create(
                  "dunwatch-settings-check",
                  bootstrap == null ? "embedded:0" : bootstrap,
                  Path.of(System.getProperty("java.io.tmpdir")),
                  exactlyOnce,
                  settings.kafkaClientProperties()));
      // the serialisers are Kafka Streams' own, added when it creates its clients
      Map<String, Object> producer = new HashMap<>(config.getProducerConfigs("check"));
      producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      new ProducerConfig(producer);
      Map<String, Object> consumer =
          new HashMap<>(config.getMainConsumerConfigs("check", "check", 0));
      consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
      consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
      new ConsumerConfig(consumer);
    } catch (IllegalArgumentException | ConfigException e) {
      throw new UserError("invalid Kafka Streams setting: " + e.getMessage(), e);
    }
  }

  private static Map<String, String> prefixed(Cluster cluster, Map<String, String> defaults) {
    Map<String, String> p = new HashMap<>(defaults);
    p.putAll(cluster.clientProperties());
    return p;
  }

  /** The topology this runs. */
  public Topology topology() {
    return topology;
  }

  public void start() {
    streams.start();
  }

  public KafkaStreams streams() {
    return streams;
  }

  /**
   * Waits until the application's committed offsets reach the end of every input partition, that
   * is, until everything written so far has been processed and its alerts committed.
   */
  public void awaitCaughtUp(Duration timeout, Consumer<String> progress)
      throws InterruptedException {
    try (Admin admin = cluster.admin()) {
      awaitCommitted(admin, endOffsets(admin, inputs), timeout, progress, 250);
      awaitDrained(admin, timeout);
    } catch (ExecutionException | TimeoutException e) {
      throw new UserError("cannot read the application's progress: " + e.getMessage(), e);
    }
  }

  /**
   * Waits until the application's committed offsets reach {@code targets} on every partition named
   * there, polling every {@code pollMillis}; progress every 2 s while it waits.
   */
  void awaitCommitted(
      Admin admin,
      Map<TopicPartition, Long> targets,
      Duration timeout,
      Consumer<String> progress,
      long pollMillis)
      throws InterruptedException, ExecutionException, TimeoutException {
    awaitCommitted(
        admin, applicationId, targets, timeout, progress, pollMillis, this::checkRunning);
  }

  /**
   * As {@link #awaitCommitted(Admin, Map, Duration, Consumer, long)} for any application (one that
   * runs elsewhere: {@code dunwatch chaos}'s instances); {@code check} throws to give up.
   */
  static void awaitCommitted(
      Admin admin,
      String applicationId,
      Map<TopicPartition, Long> targets,
      Duration timeout,
      Consumer<String> progress,
      long pollMillis,
      Runnable check)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long lastReport = System.nanoTime();
    long total = targets.values().stream().mapToLong(Long::longValue).sum();
    while (true) {
      check.run();
      Map<TopicPartition, OffsetAndMetadata> committed = committed(admin, applicationId);
      long done = 0;
      boolean caughtUp = true;
      for (var e : targets.entrySet()) {
        OffsetAndMetadata c = committed.get(e.getKey());
        long at = c == null ? 0 : Math.min(c.offset(), e.getValue());
        done += at;
        if (at < e.getValue()) {
          caughtUp = false;
        }
      }
      if (caughtUp) {
        progress.accept(String.format("processed %d/%d records", done, total));
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new UserError(
            String.format(
                "timed out after %s with %d of %d records processed (raise --timeout)",
                timeout, done, total));
      }
      long now = System.nanoTime();
      if (now - lastReport > TimeUnit.SECONDS.toNanos(2)) {
        progress.accept(String.format("processing ... %d/%d records", done, total));
        lastReport = now;
      }
      Thread.sleep(pollMillis);
    }
  }

  /**
   * Waits until the application has also read what it wrote to its own repartition topics: a record
   * taken from an input can send others on through up to three hops, each readable a commit later,
   * so inputs committed is not yet all the work done. Drained is every repartition partition's
   * committed offset at its end at one moment; under exactly-once outputs and offsets commit
   * together, so nothing is then in flight but what punctuations write ({@link #awaitQuiet}).
   */
  void awaitDrained(Admin admin, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    awaitDrained(admin, applicationId, timeout, this::checkRunning);
  }

  /** As {@link #awaitDrained(Admin, Duration)} for any application; {@code check} may throw. */
  static void awaitDrained(Admin admin, String applicationId, Duration timeout, Runnable check)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String prefix = applicationId + "-";
    List<String> internal =
        admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
            .filter(t -> t.startsWith(prefix) && t.endsWith("-repartition"))
            .sorted()
            .toList();
    if (internal.isEmpty()) {
      return;
    }
    while (true) {
      check.run();
      Map<TopicPartition, OffsetAndMetadata> committed = committed(admin, applicationId);
      Map<TopicPartition, Long> ends = endOffsets(admin, internal);
      boolean drained = true;
      for (var e : ends.entrySet()) {
        OffsetAndMetadata c = committed.get(e.getKey());
        if ((c == null ? 0 : c.offset()) < e.getValue()) {
          drained = false;
          break;
        }
      }
      if (drained) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new UserError(
            "timed out after " + timeout + " waiting for the repartition topics to be read");
      }
      Thread.sleep(50);
    }
  }

  /**
   * Waits until nothing more is appended to {@code topics} for the time the application may still
   * write after its inputs are committed (the policy detectors' wall-clock hold and two commit
   * intervals): the last contacts of a run are judged after the records that brought them.
   */
  void awaitQuiet(Admin admin, List<String> topics, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    awaitQuiet(admin, topics, settle, timeout);
  }

  /** Waits until nothing is appended to {@code topics} for {@code settle}. */
  static void awaitQuiet(Admin admin, List<String> topics, Duration settle, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<TopicPartition, Long> last = endOffsets(admin, topics);
    long quietSince = System.nanoTime();
    while (System.nanoTime() - quietSince < settle.toNanos()) {
      if (System.nanoTime() > deadline) {
        throw new UserError("timed out after " + timeout + " waiting for the alerts to settle");
      }
      Thread.sleep(50);
      Map<TopicPartition, Long> now = endOffsets(admin, topics);
      if (!now.equals(last)) {
        last = now;
        quietSince = System.nanoTime();
      }
    }
  }

  /** The policy detectors' hold and two commit intervals, from the application's settings. */
  static Duration settleTime(Properties props) {
    long commitMs = StreamsSettings.commitIntervalMs(props);
    long holdMs = PolicyDetector.holdMs(props.get(PolicyDetector.HOLD_CONFIG));
    return Duration.ofMillis(holdMs + 2 * commitMs);
  }

  /** A clear error when the application has stopped (a failed stream thread). */
  void checkRunning() {
    KafkaStreams.State state = streams.state();
    if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
      throw new UserError("the streams application stopped: state " + state);
    }
  }

  /** The application's input topics. */
  List<String> inputs() {
    return inputs;
  }

  /** Commits {@code offsets} for a consumer group that has not started yet. */
  static void startAt(Admin admin, String groupId, Map<TopicPartition, Long> offsets)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    offsets.forEach(
        (tp, offset) -> {
          if (offset > 0) {
            commit.put(tp, new OffsetAndMetadata(offset));
          }
        });
    if (!commit.isEmpty()) {
      admin.alterConsumerGroupOffsets(groupId, commit).all().get(30, TimeUnit.SECONDS);
    }
  }

  /** The offsets an application has committed, per input partition. */
  static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String applicationId)
      throws InterruptedException, ExecutionException, TimeoutException {
    return admin
        .listConsumerGroupOffsets(applicationId)
        .partitionsToOffsetAndMetadata()
        .get(30, TimeUnit.SECONDS);
  }

  static Map<TopicPartition, Long> endOffsets(Admin admin, Collection<String> topics)
      throws InterruptedException, ExecutionException, TimeoutException {
    return offsets(admin, topics, OffsetSpec.latest());
  }

  static Map<TopicPartition, Long> offsets(Admin admin, Collection<String> topics, OffsetSpec spec)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<String, TopicDescription> described =
        admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
    Map<TopicPartition, OffsetSpec> request =
        described.values().stream()
            .flatMap(
                d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
            .collect(Collectors.toMap(tp -> tp, tp -> spec));
    // committed ends (last stable offset): what a read_committed reader can reach
    return admin
        .listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
        .all()
        .get(30, TimeUnit.SECONDS)
        .entrySet()
        .stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
  }

  @Override
  public void close() {
    try {
      streams.close(Duration.ofSeconds(30));
    } finally {
      if (http != null) {
        http.close();
      }
      for (HttpRoutes r : served) {
        if (r instanceof AutoCloseable c) {
          try {
            c.close();
          } catch (Exception e) {
            // closing the HTTP side never keeps the app from closing
          }
        }
      }
      meters.close();
    }
  }
}

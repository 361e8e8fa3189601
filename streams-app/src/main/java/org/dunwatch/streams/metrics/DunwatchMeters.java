package org.dunwatch.streams.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.processor.TaskId;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.dlq.DeadLetter;

/**
 * Every meter dunwatch itself defines, each named once here (Prometheus names in {@code
 * docs/operations.md}). The topology's metering processors find this object in the application's
 * configuration under {@link #CONFIG}; a topology run without it (the unit tests) records into a
 * private registry that nobody reads.
 */
public final class DunwatchMeters implements AutoCloseable {

  /** The key under which a running application's {@code DunwatchMeters} sits in its config. */
  public static final String CONFIG = "dunwatch.meters";

  public static final String RECORDS_IN = "dunwatch.records.in";
  public static final String ALERTS = "dunwatch.alerts";
  public static final String INCIDENTS_OPENED = "dunwatch.incidents.opened";
  public static final String DEAD_LETTERS = "dunwatch.dead.letters";
  public static final String LATE_RECORDS = "dunwatch.late.records";
  public static final String EVENT_TIME_LAG = "dunwatch.event.time.lag";
  public static final String ALERT_LATENCY = "dunwatch.alert.latency";
  public static final String STORE_KEYS = "dunwatch.state.store.keys";
  public static final String STORE_BYTES = "dunwatch.state.store.bytes";
  public static final String RESTORE_REMAINING = "dunwatch.restore.remaining.records";
  public static final String RESTORED = "dunwatch.restored.records";

  /** The dead-letter stage that means "later than the grace period". */
  static final String LATE_STAGE = "late";

  /**
   * Event-to-alert latency buckets: live alerts land in the first few; a replay's historical event
   * times fall past the last one, which is what they are.
   */
  private static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofSeconds(2),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofMinutes(1),
    Duration.ofMinutes(5),
    Duration.ofMinutes(15),
    Duration.ofHours(1)
  };

  private static final DunwatchMeters UNREAD = new DunwatchMeters(new SimpleMeterRegistry());

  private final MeterRegistry registry;
  private final LongSupplier clock;
  private final Restoration restoration = new Restoration();

  /** Stream time reached per task, per input topic: the event-time lag gauges read it. */
  private final Map<String, Map<TaskId, Long>> streamTimes = new ConcurrentHashMap<>();

  private KafkaStreamsMetrics streamsMetrics;

  public DunwatchMeters(MeterRegistry registry) {
    this(registry, System::currentTimeMillis);
  }

  DunwatchMeters(MeterRegistry registry, LongSupplier clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /** The meters a running topology records into, from its {@code appConfigs()}. */
  public static DunwatchMeters from(Map<String, Object> appConfigs) {
    return appConfigs.get(CONFIG) instanceof DunwatchMeters m ? m : UNREAD;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Restoration of the state stores: a restore listener, and what is left to restore. */
  public Restoration restoration() {
    return restoration;
  }

  /** The JVM's memory, GC, threads, class loading, CPU and uptime. */
  public DunwatchMeters withJvm() {
    for (MeterBinder b :
        List.of(
            new JvmMemoryMetrics(),
            new JvmGcMetrics(),
            new JvmThreadMetrics(),
            new ClassLoaderMetrics(),
            new ProcessorMetrics(),
            new UptimeMetrics())) {
      b.bindTo(registry);
    }
    return this;
  }

  /**
   * Kafka Streams' own metrics and those of its clients (Micrometer's binder, {@code
   * kafka_stream_*}, {@code kafka_consumer_*}, ...) and the state store sizes read from them.
   */
  public void bindTo(KafkaStreams streams, TopologyDescription topology) {
    streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(registry);
    StoreSizes sizes = new StoreSizes(streams);
    Set<String> stores = storeNames(topology);
    restoration.meter(registry, RESTORE_REMAINING, RESTORED, stores);
    for (String store : stores) {
      Gauge.builder(STORE_KEYS, sizes, s -> s.sum(store, StoreSizes.KEYS))
          .tag("store", store)
          .description("Estimated keys in a state store, over all its local tasks")
          .register(registry);
      Gauge.builder(STORE_BYTES, sizes, s -> s.sum(store, StoreSizes.BYTES))
          .tag("store", store)
          .baseUnit("bytes")
          .description("SST files and memtables of a state store, over all its local tasks")
          .register(registry);
    }
  }

  /**
   * The counter of records read from {@code topic}; registers its late-records counter too, so that
   * both exist (at zero) from the start for the dashboard's queries.
   */
  public Counter recordsIn(String topic) {
    lateRecords(topic);
    return Counter.builder(RECORDS_IN)
        .tag("topic", topic)
        .description("Records read from an input topic, before decoding")
        .register(registry);
  }

  private Counter lateRecords(String topic) {
    return Counter.builder(LATE_RECORDS)
        .tag("topic", topic)
        .description("Records later than the grace period (also dead letters)")
        .register(registry);
  }

  /** Notes the stream time a task reading {@code topic} has reached. */
  void streamTime(String topic, TaskId task, long streamTimeMs) {
    streamTimes
        .computeIfAbsent(
            topic,
            t -> {
              Map<TaskId, Long> tasks = new ConcurrentHashMap<>();
              Gauge.builder(EVENT_TIME_LAG, tasks, this::lagSeconds)
                  .tag("topic", t)
                  .baseUnit("seconds")
                  .description(
                      "Wall clock minus the stream time reached, the furthest behind task of an input")
                  .register(registry);
              return tasks;
            })
        .put(task, streamTimeMs);
  }

  /** Forgets a task that moved away or closed. */
  void taskClosed(String topic, TaskId task) {
    Map<TaskId, Long> tasks = streamTimes.get(topic);
    if (tasks != null) {
      tasks.remove(task);
    }
  }

  private double lagSeconds(Map<TaskId, Long> tasks) {
    long now = clock.getAsLong();
    return tasks.values().stream()
            .mapToLong(Long::longValue)
            .filter(t -> t >= 0)
            .map(t -> now - t)
            .max()
            .orElse(0)
        / 1000.0;
  }

  /** Counts an alert (and an incident when it is the incident's first issue). */
  void alert(Alert alert) {
    String type = alert.getType().name();
    Counter.builder(ALERTS)
        .tags(
            Tags.of(
                "type",
                type,
                "severity",
                alert.getSeverity().name(),
                "jurisdiction",
                alert.getJurisdiction() == null ? "none" : alert.getJurisdiction()))
        .description("Alerts raised, every issue of an incident counted")
        .register(registry)
        .increment();
    if (alert.getRevision() == null || alert.getRevision() == 1) {
      Counter.builder(INCIDENTS_OPENED)
          .tag("type", type)
          .description("Incidents opened: the first issue of each alert id")
          .register(registry)
          .increment();
    }
    Instant triggered =
        alert.getTriggeredAt() != null ? alert.getTriggeredAt() : alert.getWindowEnd();
    long latency = clock.getAsLong() - triggered.toEpochMilli();
    Timer.builder(ALERT_LATENCY)
        .tag("type", type)
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .description("Wall clock at the alert minus the event time of the record that triggered it")
        .register(registry)
        .record(Duration.ofMillis(Math.max(0, latency)));
  }

  /** Counts a dead letter by stage and origin; a late one is a late record too. */
  void deadLetter(DeadLetter letter) {
    String stage = letter.getStage() == null ? "unknown" : letter.getStage();
    Counter.builder(DEAD_LETTERS)
        .tags("stage", stage, "topic", letter.getOriginTopic())
        .description("Records sent to the dead-letter topic, by stage and origin topic")
        .register(registry)
        .increment();
    if (LATE_STAGE.equals(stage)) {
      lateRecords(letter.getOriginTopic()).increment();
    }
  }

  @Override
  public void close() {
    if (streamsMetrics != null) {
      streamsMetrics.close();
    }
  }

  /** RocksDB's size metrics of Kafka Streams (INFO level), summed per store. */
  private static final class StoreSizes {
    static final Set<String> KEYS = Set.of("estimate-num-keys");
    static final Set<String> BYTES = Set.of("total-sst-files-size", "size-all-mem-tables");
    private static final String GROUP = "stream-state-metrics";

    private final KafkaStreams streams;

    StoreSizes(KafkaStreams streams) {
      this.streams = streams;
    }

    double sum(String store, Set<String> names) {
      double total = 0;
      for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
        MetricName n = e.getKey();
        if (GROUP.equals(n.group())
            && names.contains(n.name())
            && store.equals(storeOf(n))
            && e.getValue().metricValue() instanceof Number v) {
          total += v.doubleValue();
        }
      }
      return total;
    }

    private static String storeOf(MetricName n) {
      for (Map.Entry<String, String> t : n.tags().entrySet()) {
        if (t.getKey().endsWith("-state-id")) {
          return t.getValue();
        }
      }
      return null;
    }
  }

  /** The state stores a topology declares, by name. */
  static Set<String> storeNames(TopologyDescription topology) {
    Set<String> stores = new TreeSet<>();
    for (TopologyDescription.Subtopology s : topology.subtopologies()) {
      for (TopologyDescription.Node n : s.nodes()) {
        if (n instanceof TopologyDescription.Processor p) {
          stores.addAll(p.stores());
        }
      }
    }
    for (TopologyDescription.GlobalStore g : topology.globalStores()) {
      stores.addAll(g.processor().stores());
    }
    return stores;
  }
}

package org.dunwatch.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.KeyValueStore;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.avro.telecom.SmsRecord;
import org.dunwatch.producers.kafka.EventProducer;
import org.dunwatch.schemas.Keys;
import org.dunwatch.schemas.Topics;
import org.dunwatch.streams.rules.Rules;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Throughput and latency of the full pipeline, each against baselines measured in the same run on
 * the same broker: the raw consume rate of the input topics (the ceiling) and a trivial Kafka
 * Streams {@code groupByKey().count()} (what any streams app pays).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure dunwatch's throughput and event-to-alert latency against same-run baselines.",
      "Figures are ratios to the baselines: the machine is shared and absolute numbers drift."
    })
public final class BenchCommand implements Callable<Integer> {

  @Option(
      names = "--events",
      defaultValue = "2000000",
      description = "Events to preload (default ${DEFAULT-VALUE}).")
  long events;

  @Option(
      names = "--subscribers",
      defaultValue = "200000",
      description = "Distinct subscribers (default ${DEFAULT-VALUE}).")
  int subscribers;

  @Option(
      names = "--partitions",
      defaultValue = "4",
      description = "Partitions per topic (default ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--latency-duration",
      defaultValue = "PT30S",
      description = "How long to run the fixed load for latency (default ${DEFAULT-VALUE}).")
  Duration latencyDuration;

  @Option(
      names = "--seed",
      defaultValue = "7",
      description = "Traffic seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--json", description = "Print the figures as one JSON object.")
  boolean json;

  @Mixin ClusterOptions cluster;

  private final Map<String, Object> figures = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    if (events < 1000 || subscribers < 100 || partitions < 1) {
      throw new UserError("--events must be >= 1000, --subscribers >= 100, --partitions >= 1");
    }
    String run = "bench-" + UUID.randomUUID().toString().substring(0, 6) + ".";
    Settings base = cluster.settings();
    Map<String, String> prefixed = new HashMap<>(base.all());
    var names = org.dunwatch.schemas.TopicNames.from(base.all()).withPrefix(run);
    prefixed.put("topic.calls", names.calls());
    prefixed.put("topic.sms", names.sms());
    prefixed.put("topic.lender", names.lender());
    prefixed.put("topic.alerts", names.alerts());
    prefixed.put("topic.dlq", names.dlq());
    Settings settings = Settings.resolve(prefixed, null, Map.of(), Map.of());
    Rules rules = Rules.defaults();
    Path work = Files.createTempDirectory("dunwatch-bench");
    try (Cluster c = Cluster.open(settings, m -> progress(m))) {
      Topics topics = c.topics();
      createTopics(c);
      figures.put("events", events);
      figures.put("subscribers", subscribers);
      figures.put("partitions", partitions);
      figures.put("cores", Runtime.getRuntime().availableProcessors());

      progress("preloading " + events + " events ...");
      Duration span = Duration.ofDays(2);
      Duration step = span.dividedBy(events);
      SyntheticTraffic traffic =
          new SyntheticTraffic(
              seed, subscribers, Instant.now().minus(span), step, Duration.ofMinutes(3), 20_000);
      long t0 = System.nanoTime();
      long[] counts = produce(c, traffic, events, null);
      double produceRate = events / secondsSince(t0);
      figures.put("preload_calls", counts[0]);
      figures.put("preload_sms", counts[1]);
      figures.put("preload_records_per_s", Math.round(produceRate));
      long input = counts[0] + counts[1];

      progress("1/4 raw consume of the input topics ...");
      double consume = consumeRate(c, topics.inputNames(), input);
      figures.put("consume_records_per_s", Math.round(consume));

      progress("2/4 groupByKey().count() over the calls topic ...");
      double count =
          streamsRate(
              c, countTopology(topics), topics.inputNames().subList(0, 1), counts[0], work, false);
      figures.put("count_records_per_s", Math.round(count));

      progress("3/4 full topology, at_least_once ...");
      double alos =
          streamsRate(
              c,
              org.dunwatch.streams.DunwatchTopology.build(topics, rules),
              topics.inputNames(),
              input,
              work,
              false);
      figures.put("dunwatch_alos_records_per_s", Math.round(alos));

      progress("4/4 full topology, exactly_once_v2, then latency at half its rate ...");
      fullEosAndLatency(c, rules, input, work, traffic);
      print(consume, count, alos);
    } finally {
      ReplayCommand.deleteRecursively(work);
    }
    return 0;
  }

  private void createTopics(Cluster c) throws Exception {
    Topics t = c.topics();
    try (Admin admin = c.admin()) {
      List<NewTopic> topics = new ArrayList<>();
      for (String name : t.inputNames()) {
        topics.add(new NewTopic(name, partitions, (short) -1));
      }
      // the broker stamps alerts on append, so latency is measured from the producer's clock to
      // the broker's, both on this machine
      topics.add(
          new NewTopic(t.alerts().name(), partitions, (short) -1)
              .configs(Map.of("message.timestamp.type", "LogAppendTime")));
      topics.add(new NewTopic(t.dlq().name(), partitions, (short) -1));
      admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
    }
  }

  /**
   * Produces {@code n} events; with {@code ratePerSecond} paced at that rate in wall-clock time.
   */
  private long[] produce(Cluster c, SyntheticTraffic traffic, long n, Double ratePerSecond) {
    long calls = 0;
    long sms = 0;
    Topics t = c.topics();
    try (EventProducer<String, CallRecord> cp =
            new EventProducer<>(t.calls(), c.bootstrapServers(), c.clientProperties());
        EventProducer<String, SmsRecord> sp =
            new EventProducer<>(t.sms(), c.bootstrapServers(), c.clientProperties())) {
      long start = System.nanoTime();
      for (long i = 0; i < n; i++) {
        SyntheticTraffic.Event e;
        if (ratePerSecond != null) {
          long due = start + (long) (i * 1e9 / ratePerSecond);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            sleepNanos(wait);
          }
          e = traffic.nextAt(Instant.now());
        } else {
          e = traffic.next();
        }
        if (e.call() != null) {
          cp.send(Keys.of(e.call()), e.call(), e.call().getStartTime());
          calls++;
        } else {
          sp.send(Keys.of(e.sms()), e.sms(), e.sms().getSentTime());
          sms++;
        }
      }
      cp.flush();
      sp.flush();
    }
    return new long[] {calls, sms};
  }

  private double consumeRate(Cluster c, List<String> topics, long expected) throws Exception {
    Map<String, Object> p = new HashMap<>(c.clientProperties());
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1 << 20);
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
    try (Admin admin = c.admin();
        KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      Map<TopicPartition, Long> ends = StreamsRunner.endOffsets(admin, topics);
      consumer.assign(ends.keySet());
      consumer.seekToBeginning(ends.keySet());
      long read = 0;
      long t0 = System.nanoTime();
      while (read < expected) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          read++;
        }
        if (secondsSince(t0) > 600) {
          throw new UserError("raw consume did not finish in 10 minutes (" + read + " read)");
        }
      }
      return read / secondsSince(t0);
    }
  }

  private static Topology countTopology(Topics topics) {
    StreamsBuilder b = new StreamsBuilder();
    b.stream(
            topics.calls().name(),
            Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("bench-source"))
        .groupByKey(Grouped.as("bench-group"))
        .count(
            Named.as("bench-count"),
            Materialized.<byte[], Long, KeyValueStore<Bytes, byte[]>>as("bench-count-store")
                .withKeySerde(Serdes.ByteArray())
                .withValueSerde(Serdes.Long()));
    return b.build();
  }

  /** Records/s from the app reaching RUNNING until it has committed the end of its inputs. */
  private double streamsRate(
      Cluster c, Topology topology, List<String> inputs, long records, Path work, boolean eos)
      throws Exception {
    String appId = "dunwatch-bench-" + UUID.randomUUID().toString().substring(0, 8);
    try (StreamsRunner runner =
        new StreamsRunner(c, topology, appId, work.resolve(appId), eos, inputs)) {
      return timedRun(runner, records);
    }
  }

  private static double timedRun(StreamsRunner runner, long records) throws Exception {
    runner.start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (runner.streams().state() != KafkaStreams.State.RUNNING) {
      if (System.nanoTime() > deadline) {
        throw new UserError("streams app did not reach RUNNING in 2 minutes");
      }
      Thread.sleep(20);
    }
    long t0 = System.nanoTime();
    runner.awaitCaughtUp(Duration.ofMinutes(20), m -> {});
    return records / secondsSince(t0);
  }

  private void fullEosAndLatency(
      Cluster c, Rules rules, long input, Path work, SyntheticTraffic traffic) throws Exception {
    String appId = "dunwatch-bench-eos-" + UUID.randomUUID().toString().substring(0, 8);
    Path stateDir = work.resolve(appId);
    Runtime rt = Runtime.getRuntime();
    System.gc();
    long heapBefore = rt.totalMemory() - rt.freeMemory();
    try (StreamsRunner runner =
        new StreamsRunner(
            c,
            org.dunwatch.streams.DunwatchTopology.build(c.topics(), rules),
            appId,
            stateDir,
            true,
            c.topics().inputNames())) {
      double eos = timedRun(runner, input);
      figures.put("dunwatch_eos_records_per_s", Math.round(eos));
      System.gc();
      long heap = Math.max(0, rt.totalMemory() - rt.freeMemory() - heapBefore);
      long disk = sizeOf(stateDir);
      figures.put("state_disk_bytes", disk);
      figures.put("state_heap_bytes", heap);
      figures.put("state_disk_bytes_per_million_subscribers", Math.round(disk * 1e6 / subscribers));
      figures.put("heap_bytes_per_million_subscribers", Math.round(heap * 1e6 / subscribers));

      double rate = Math.max(100, eos / 2);
      figures.put("latency_offered_records_per_s", Math.round(rate));
      long n = (long) (rate * latencyDuration.toSeconds());
      Map<TopicPartition, Long> from;
      try (Admin admin = c.admin()) {
        from = StreamsRunner.endOffsets(admin, List.of(c.topics().alerts().name()));
      }
      SyntheticTraffic live =
          new SyntheticTraffic(
              seed + 1, subscribers, Instant.now(), Duration.ZERO, Duration.ofMillis(100), 2_000);
      produce(c, live, n, rate);
      runner.awaitCaughtUp(Duration.ofMinutes(5), m -> {});
      List<Long> latencies = new ArrayList<>();
      try (Admin admin = c.admin()) {
        Map<TopicPartition, Long> to =
            StreamsRunner.endOffsets(admin, List.of(c.topics().alerts().name()));
        TopicReader.readRange(
            c,
            c.topics().alerts(),
            from,
            to,
            (ConsumerRecord<String, Alert> r, Alert a) -> {
              if (a.getTriggeredAt() != null && a.getRevision() != null && a.getRevision() == 1) {
                latencies.add(r.timestamp() - a.getTriggeredAt().toEpochMilli());
              }
            });
      }
      Collections.sort(latencies);
      figures.put("latency_alerts", latencies.size());
      figures.put("latency_p50_ms", percentile(latencies, 50));
      figures.put("latency_p95_ms", percentile(latencies, 95));
      figures.put("latency_p99_ms", percentile(latencies, 99));
    }
  }

  static long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  private void print(double consume, double count, double alos) {
    double eos = ((Number) figures.get("dunwatch_eos_records_per_s")).doubleValue();
    figures.put("ratio_eos_to_consume", round2(eos / consume));
    figures.put("ratio_eos_to_count", round2(eos / count));
    figures.put("ratio_alos_to_consume", round2(alos / consume));
    figures.put("ratio_alos_to_count", round2(alos / count));
    if (json) {
      try {
        System.out.println(
            new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(figures));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      return;
    }
    System.out.printf(
        "%ndunwatch bench: %,d events (%,d calls, %,d messages), %,d subscribers, %d partitions, %d cores%n%n",
        events,
        figures.get("preload_calls"),
        figures.get("preload_sms"),
        subscribers,
        partitions,
        Runtime.getRuntime().availableProcessors());
    System.out.printf("%-44s %12s %10s %10s%n", "", "records/s", "÷ (1)", "÷ (2)");
    System.out.printf(
        "%-44s %,12.0f %10s %10s%n",
        "(1) raw consume of the inputs (ceiling)", consume, "1.00", "");
    System.out.printf(
        "%-44s %,12.0f %10.2f %10s%n",
        "(2) groupByKey().count() on calls (baseline)", count, count / consume, "1.00");
    System.out.printf(
        "%-44s %,12.0f %10.2f %10.2f%n",
        "(3) dunwatch, exactly_once_v2", eos, eos / consume, eos / count);
    System.out.printf(
        "%-44s %,12.0f %10.2f %10.2f%n",
        "(3) dunwatch, at_least_once", alos, alos / consume, alos / count);
    System.out.printf(
        "%nlatency at %,d events/s offered (half of (3) exactly_once_v2), %d alerts:"
            + " p50 %d ms, p95 %d ms, p99 %d ms (producer send -> alert appended)%n",
        figures.get("latency_offered_records_per_s"),
        figures.get("latency_alerts"),
        figures.get("latency_p50_ms"),
        figures.get("latency_p95_ms"),
        figures.get("latency_p99_ms"));
    System.out.printf(
        "state after the preload: %,d bytes on disk, %,d bytes heap; per million subscribers: %,d MB disk, %,d MB heap%n",
        figures.get("state_disk_bytes"),
        figures.get("state_heap_bytes"),
        ((Number) figures.get("state_disk_bytes_per_million_subscribers")).longValue() >> 20,
        ((Number) figures.get("heap_bytes_per_million_subscribers")).longValue() >> 20);
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static long sizeOf(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (var paths = Files.walk(dir)) {
      return paths.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static double secondsSince(long t0) {
    return Math.max(1e-9, (System.nanoTime() - t0) / 1e9);
  }

  private static void sleepNanos(long nanos) {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted");
    }
  }

  private void progress(String message) {
    System.err.println("… " + message);
  }
}

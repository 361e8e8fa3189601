package org.dunwatch.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
import org.dunwatch.producers.sim.SimConfig;
import org.dunwatch.producers.sim.SimEvent;
import org.dunwatch.producers.sim.SimulatedWorld;
import org.dunwatch.schemas.TopicNames;
import org.dunwatch.schemas.Topics;
import org.dunwatch.streams.lender.LenderReferenceRule;
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
      names = "--subscribers",
      defaultValue = "3000",
      description = "Subscribers of the simulated world (default ${DEFAULT-VALUE}).")
  int subscribers;

  @Option(
      names = "--days",
      defaultValue = "2",
      description = "Days of event time to preload (default ${DEFAULT-VALUE}).")
  int days;

  @Option(
      names = "--scenarios",
      paramLabel = "SPEC",
      defaultValue = "all=3",
      description = "Abuse injected, as for simulate (default ${DEFAULT-VALUE}).")
  String scenarios;

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
      names = "--latency-load",
      defaultValue = "0.5",
      description =
          "Offered load for the latency phase, as a fraction of the measured exactly_once_v2 rate"
              + " (default ${DEFAULT-VALUE}: half load).")
  double latencyLoad;

  @Option(
      names = "--latency-rate",
      description =
          "Offered load for the latency phase in events/s, instead of --latency-load: the same"
              + " load for runs whose measured rates differ (settings compared at equal load).")
  Double latencyRate;

  @Option(
      names = "--seed",
      defaultValue = "7",
      description = "World seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--phases",
      split = ",",
      defaultValue = "consume,count,alos,eos",
      description = "Phases to run, for profiling one (default ${DEFAULT-VALUE}).")
  Set<String> phases;

  @Option(
      names = "--warm-up",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Run the count and the full topology once over the preloaded input, unmeasured, before"
              + " the measured phases, so that they measure compiled code (default on;"
              + " --no-warm-up measures a cold JVM).")
  boolean warmUp;

  @Option(
      names = "--baseline-records",
      defaultValue = "1000000",
      description =
          "Records the raw consume and the count read: the preloaded calls, copied again and"
              + " again into a baseline topic up to this many (never fewer than the calls), so"
              + " that the baselines last long enough to divide by (default ${DEFAULT-VALUE}).")
  long baselineRecords;

  @Option(names = "--json", description = "Print the figures as one JSON object.")
  boolean json;

  @Mixin ClusterOptions cluster;

  private final Map<String, Object> figures = new LinkedHashMap<>();

  /** The preloaded calls, repeated: what the raw consume and the count read. */
  private String baselineTopic;

  @Override
  public Integer call() throws Exception {
    if (subscribers < 50 || days < 1 || partitions < 1) {
      throw new UserError("--subscribers must be >= 50, --days >= 1, --partitions >= 1");
    }
    if (baselineRecords < 1 || baselineRecords > 1_000_000_000L) {
      throw new UserError("--baseline-records must be 1 to 1,000,000,000, got " + baselineRecords);
    }
    if (!(latencyLoad > 0 && latencyLoad <= 2)) {
      throw new UserError("--latency-load must be above 0 and at most 2, got " + latencyLoad);
    }
    if (latencyRate != null && !(latencyRate >= 1 && latencyRate <= 1_000_000)) {
      throw new UserError("--latency-rate must be 1 to 1,000,000 events/s, got " + latencyRate);
    }
    SimConfig preloadWorld = worldConfig(seed, SimConfig.DEFAULT_START, days);
    String run = "bench-" + UUID.randomUUID().toString().substring(0, 6) + ".";
    Settings base = cluster.settings();
    // its phases run under both guarantees
    StreamsRunner.checkSettings(base, false);
    StreamsRunner.checkSettings(base, true);
    Map<String, String> prefixed = new HashMap<>(base.all());
    TopicNames names = TopicNames.from(base.all()).withPrefix(run);
    prefixed.put("topic.calls", names.calls());
    prefixed.put("topic.sms", names.sms());
    prefixed.put("topic.lender", names.lender());
    prefixed.put("topic.alerts", names.alerts());
    prefixed.put("topic.dlq", names.dlq());
    prefixed.put("topic.blocklist", names.blocklist());
    prefixed.put("topic.scorecards", names.scorecards());
    Settings settings = Settings.resolve(prefixed, null, Map.of(), Map.of());
    baselineTopic = run + "baseline.calls";
    Rules rules = Rules.defaults();
    Path work = Files.createTempDirectory("dunwatch-bench");
    try (Cluster c = Cluster.open(settings, m -> progress(m))) {
      Topics topics = c.topics();
      createTopics(c);
      figures.put("subscribers", subscribers);
      figures.put("days", days);
      figures.put("scenarios", scenarios);
      figures.put("partitions", partitions);
      figures.put("cores", Runtime.getRuntime().availableProcessors());
      figures.put("java", Runtime.version().toString());

      progress(
          "preloading a simulated world: "
              + subscribers
              + " subscribers, "
              + days
              + " days, scenarios "
              + scenarios
              + " ...");
      long t0 = System.nanoTime();
      SimulatedTraffic.Figures preload =
          produce(c, SimulatedWorld.generate(preloadWorld).events(), Long.MAX_VALUE, 0, null);
      double produceRate = preload.events() / secondsSince(t0);
      figures.put("preload_events", preload.events());
      figures.put("preload_calls", preload.calls);
      figures.put("preload_sms", preload.messages);
      figures.put("preload_lender_events", preload.lenderEvents);
      figures.put("preload_records_per_s", Math.round(produceRate));
      long input = preload.events();
      long baseline =
          phases.contains("consume") || phases.contains("count")
              ? fillBaseline(c, topics.calls().name(), preload.calls)
              : 0;
      figures.put("baseline_records", baseline);

      if (warmUp
          && (phases.contains("count") || phases.contains("alos") || phases.contains("eos"))) {
        // The JIT compiles the detectors while the first topology runs: during a cold
        // exactly-once phase the compiler threads took 40-70 % of a core for half a minute (per
        // thread CPU from /proc, 10,000 subscribers). A service runs for days; measure that.
        progress("0/4 warm-up: count and full topology, exactly_once_v2, unmeasured ...");
        figures.put(
            "warm_up_count_records_per_s",
            Math.round(
                streamsRate(
                    "warm_up_count",
                    c,
                    countTopology(topics.calls().name()),
                    topics.inputNames().subList(0, 1),
                    preload.calls,
                    work,
                    false)));
        figures.put(
            "warm_up_eos_records_per_s",
            Math.round(
                streamsRate(
                    "warm_up_eos",
                    c,
                    org.dunwatch.streams.DunwatchTopology.build(topics, rules),
                    topics.inputNames(),
                    input,
                    work,
                    true)));
      }

      progress("1/4 raw consume of the input topics ...");
      double consume =
          phases.contains("consume")
              ? consumeRate(c, List.of(baselineTopic), baseline)
              : Double.NaN;
      figures.put("consume_records_per_s", Math.round(consume));

      progress("2/4 groupByKey().count() over the calls, repeated ...");
      double count =
          !phases.contains("count")
              ? Double.NaN
              : streamsRate(
                  "count",
                  c,
                  countTopology(baselineTopic),
                  List.of(baselineTopic),
                  baseline,
                  work,
                  false);
      figures.put("count_records_per_s", Math.round(count));

      progress("3/4 full topology, at_least_once ...");
      double alos =
          !phases.contains("alos")
              ? Double.NaN
              : streamsRate(
                  "alos",
                  c,
                  org.dunwatch.streams.DunwatchTopology.build(topics, rules),
                  topics.inputNames(),
                  input,
                  work,
                  false);
      figures.put("dunwatch_alos_records_per_s", Math.round(alos));

      if (phases.contains("eos")) {
        progress("4/4 full topology, exactly_once_v2, then latency at half its rate ...");
        fullEosAndLatency(c, rules, input, work, preloadWorld);
      }
      print(consume, count, alos);
    } finally {
      ReplayCommand.deleteRecursively(work);
    }
    return 0;
  }

  private SimConfig worldConfig(long worldSeed, Instant start, int worldDays) {
    try {
      return new SimConfig(
          worldSeed, subscribers, worldDays, start, 0.15, SimConfig.parseScenarios(scenarios));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  private void createTopics(Cluster c) throws Exception {
    Topics t = c.topics();
    // The world's records carry their event time (2024) as timestamp: with the broker's default
    // retention of 7 days, the retention check deletes them minutes after they are written, in the
    // middle of a run (seen: a task whose input was deleted never committed, and the run waited
    // forever). Bench topics keep everything.
    Map<String, String> keep = Map.of("retention.ms", "-1", "retention.bytes", "-1");
    try (Admin admin = c.admin()) {
      List<NewTopic> topics = new ArrayList<>();
      for (String name : t.inputNames()) {
        topics.add(new NewTopic(name, partitions, (short) -1).configs(keep));
      }
      // the broker stamps alerts on append, so latency is measured from the producer's clock to
      // the broker's, both on this machine
      topics.add(
          new NewTopic(t.alerts().name(), partitions, (short) -1)
              .configs(
                  Map.of(
                      "message.timestamp.type",
                      "LogAppendTime",
                      "retention.ms",
                      "-1",
                      "retention.bytes",
                      "-1")));
      topics.add(new NewTopic(t.dlq().name(), partitions, (short) -1).configs(keep));
      // the feeds: the topology writes them, and the broker creates no topic by itself
      for (String feed : t.compactedNames()) {
        topics.add(
            new NewTopic(feed, partitions, (short) -1)
                .configs(Map.of("cleanup.policy", "compact", "retention.ms", "-1")));
      }
      topics.add(new NewTopic(baselineTopic, partitions, (short) -1).configs(keep));
      admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
    }
  }

  /** {@code first}, then the rest of {@code rest}. */
  private static <T> Iterator<T> prepend(T first, Iterator<T> rest) {
    return new Iterator<>() {
      private boolean firstTaken;

      @Override
      public boolean hasNext() {
        return !firstTaken || rest.hasNext();
      }

      @Override
      public T next() {
        if (!firstTaken) {
          firstTaken = true;
          return first;
        }
        return rest.next();
      }
    };
  }

  /**
   * Produces, unpaced, the events of {@code events} before {@code start}: a world's history (loans
   * opened and reported on months earlier). Returns the first event at or after {@code start}, null
   * if there is none, and adds the count to {@code figures} as {@code latency_history_events}.
   */
  private SimEvent produceHistory(Cluster c, Iterator<SimEvent> events, Instant start)
      throws InterruptedException {
    try (SimulatedTraffic traffic = new SimulatedTraffic(c, 0)) {
      try {
        while (events.hasNext()) {
          SimEvent e = events.next();
          if (!e.time().isBefore(start)) {
            return e;
          }
          traffic.send(e);
        }
        return null;
      } finally {
        traffic.flush();
        figures.put("latency_history_events", traffic.figures().events());
      }
    }
  }

  /**
   * Produces up to {@code n} events in event-time order, unpaced or at {@code rate} events a
   * second; with {@code sentAt}, notes each event id's wall-clock send time.
   */
  private SimulatedTraffic.Figures produce(
      Cluster c, Iterator<SimEvent> events, long n, double rate, Map<String, Long> sentAt)
      throws InterruptedException {
    try (SimulatedTraffic traffic = new SimulatedTraffic(c, rate)) {
      long lastReport = System.nanoTime();
      for (long i = 0; i < n && events.hasNext(); i++) {
        SimEvent e = events.next();
        if (sentAt != null) {
          sentAt.put(e.id(), System.currentTimeMillis());
        }
        traffic.send(e);
        if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(5)) {
          progress(
              String.format(
                  "produced %,d events, event time %s",
                  traffic.figures().events(), traffic.figures().lastEventTime));
          lastReport = System.nanoTime();
        }
      }
      traffic.flush();
      return traffic.figures();
    }
  }

  /**
   * Copies the calls topic, partition by partition, into the baseline topic until it holds at least
   * {@code --baseline-records} (whole passes; at least one). At 3,000 subscribers the calls alone
   * are read by a count in about a second, and such a phase swung 19k-155k records/s between runs
   * (2026-12-06): a rate measured over a second is mostly start-up and the machine's mood. Returns
   * the records copied.
   */
  private long fillBaseline(Cluster c, String calls, long callRecords) throws Exception {
    progress(
        String.format(
            "baseline: copying the %,d calls into %s up to %,d records ...",
            callRecords, baselineTopic, baselineRecords));
    Map<String, Object> cp = new HashMap<>(c.clientProperties());
    cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
    cp.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    Map<String, Object> pp = new HashMap<>(c.clientProperties());
    pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
    pp.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    pp.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    pp.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    long copied = 0;
    try (Admin admin = c.admin();
        KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(cp, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer())) {
      Map<TopicPartition, Long> ends = StreamsRunner.endOffsets(admin, List.of(calls));
      long perPass = ends.values().stream().mapToLong(Long::longValue).sum();
      consumer.assign(ends.keySet());
      do {
        consumer.seekToBeginning(ends.keySet());
        long pass = 0;
        long t0 = System.nanoTime();
        while (pass < perPass) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            // same partition, so each copy keeps the calls' spread over the partitions
            producer.send(
                new ProducerRecord<>(
                    baselineTopic, r.partition(), r.timestamp(), r.key(), r.value()));
            pass++;
          }
          if (secondsSince(t0) > 600) {
            throw new UserError("baseline copy read " + pass + " of " + perPass + " calls");
          }
        }
        copied += pass;
      } while (copied < baselineRecords);
      producer.flush();
    }
    return copied;
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

  private static Topology countTopology(String topic) {
    StreamsBuilder b = new StreamsBuilder();
    b.stream(topic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("bench-source"))
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
      String phase,
      Cluster c,
      Topology topology,
      List<String> inputs,
      long records,
      Path work,
      boolean eos)
      throws Exception {
    String appId = "dunwatch-bench-" + UUID.randomUUID().toString().substring(0, 8);
    try (StreamsRunner runner =
        new StreamsRunner(c, topology, appId, work.resolve(appId), eos, inputs)) {
      double rate = timedRun(phase, c, runner, records);
      noteAppends(phase, c, appId, records);
      return rate;
    }
  }

  /**
   * Cores this JVM and the embedded broker used while the phase ran (see {@link CpuUse}), and that
   * CPU per input record: the machine's cores divided by it bound the phase's rate however little
   * it waits.
   */
  private void noteCpu(String phase, CpuUse cpu, long records) {
    CpuUse.Spent spent = cpu.spent();
    figures.put(phase + "_cpu_cores_app", round2(spent.appCores()));
    double perRecord = spent.app().toNanos() / 1000.0 / records;
    if (spent.broker().isPresent()) {
      figures.put(phase + "_cpu_cores_broker", round2(spent.brokerCores()));
      perRecord += spent.broker().get().toNanos() / 1000.0 / records;
    }
    figures.put(phase + "_cpu_us_per_record", Math.round(perRecord * 10) / 10.0);
    figures.put(
        phase + "_cpu_bound_records_per_s",
        Math.round(Runtime.getRuntime().availableProcessors() * 1e6 / perRecord));
  }

  /**
   * What the app wrote to its own topics per input record: each entry is appended, replicated,
   * fetched (repartitions) and compacted (changelogs) by the broker on the same two cores, so this
   * ratio bounds how close the full topology can come to the count. End offsets count records and,
   * under exactly-once, the transaction markers every commit writes to each partition it touched.
   */
  private void noteAppends(String phase, Cluster c, String appId, long input) throws Exception {
    Map<String, Long> byTopic = new TreeMap<>();
    try (Admin admin = c.admin()) {
      List<String> internal =
          admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
              .filter(n -> n.startsWith(appId + "-"))
              .toList();
      StreamsRunner.endOffsets(admin, internal)
          .forEach(
              (tp, end) -> byTopic.merge(tp.topic().substring(appId.length() + 1), end, Long::sum));
    }
    long changelogs = 0;
    long repartitions = 0;
    Map<String, Double> perInput = new LinkedHashMap<>();
    for (Map.Entry<String, Long> e : byTopic.entrySet()) {
      if (e.getKey().endsWith("-changelog")) {
        changelogs += e.getValue();
      } else {
        repartitions += e.getValue();
      }
      perInput.put(e.getKey(), round2(e.getValue() / (double) input));
    }
    figures.put(phase + "_changelog_appends_per_input", round2(changelogs / (double) input));
    figures.put(phase + "_repartition_appends_per_input", round2(repartitions / (double) input));
    figures.put(phase + "_appends_per_input_by_topic", perInput);
  }

  /** Records/s, and the CPU used, from the app reaching RUNNING until it has caught up. */
  private double timedRun(String phase, Cluster c, StreamsRunner runner, long records)
      throws Exception {
    runner.start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (runner.streams().state() != KafkaStreams.State.RUNNING) {
      if (System.nanoTime() > deadline) {
        throw new UserError("streams app did not reach RUNNING in 2 minutes");
      }
      Thread.sleep(20);
    }
    CpuUse cpu = CpuUse.since(c.embeddedBroker());
    long t0 = System.nanoTime();
    long[] last = {t0};
    runner.awaitCaughtUp(
        Duration.ofMinutes(20),
        m -> {
          if (System.nanoTime() - last[0] > TimeUnit.SECONDS.toNanos(10)) {
            System.err.printf("…   %s after %.0f s%n", m, secondsSince(t0));
            last[0] = System.nanoTime();
          }
        });
    double rate = records / secondsSince(t0);
    noteCpu(phase, cpu, records);
    noteThreadTime(phase, runner.streams());
    return rate;
  }

  /** The phases whose CPU and thread time the table shows, in its order. */
  private static final List<String> MEASURED_PHASES = List.of("count", "alos", "eos", "latency");

  private static String label(String phase) {
    return phase.equals("latency") ? "latency (live load)" : phase;
  }

  /** What Kafka Streams' own thread metrics measure the stream threads doing, over the phase. */
  static final List<String> THREAD_TIME = List.of("poll", "process", "commit", "punctuate");

  /**
   * The stream threads' {@code poll-ratio}, {@code process-ratio}, {@code commit-ratio} and {@code
   * punctuate-ratio} (mean over threads): the fraction of their time in each, over the metrics'
   * rolling window (the last 30 to 60 s of the phase). A thread with no processable task spends its
   * time in poll, so a high poll share with spare cores is waiting for partitions, not work.
   */
  private void noteThreadTime(String phase, KafkaStreams streams) {
    Map<String, List<Double>> ratios = new LinkedHashMap<>();
    streams
        .metrics()
        .forEach(
            (name, metric) -> {
              String what = name.name().replace("-ratio", "");
              if (name.group().equals("stream-thread-metrics")
                  && name.name().endsWith("-ratio")
                  && THREAD_TIME.contains(what)
                  && metric.metricValue() instanceof Double d
                  && !d.isNaN()) {
                ratios.computeIfAbsent(what, k -> new ArrayList<>()).add(d);
              }
            });
    ratios.forEach(
        (what, values) ->
            figures.put(
                phase + "_thread_" + what + "_ratio",
                round2(values.stream().mapToDouble(Double::doubleValue).average().orElse(0))));
  }

  private void fullEosAndLatency(
      Cluster c, Rules rules, long input, Path work, SimConfig preloadWorld) throws Exception {
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
      double eos = timedRun("eos", c, runner, input);
      figures.put("dunwatch_eos_records_per_s", Math.round(eos));
      noteAppends("eos", c, appId, input);
      System.gc();
      long heap = Math.max(0, rt.totalMemory() - rt.freeMemory() - heapBefore);
      figures.put("state_heap_bytes", heap);
      figures.put("heap_bytes_per_million_subscribers", Math.round(heap * 1e6 / subscribers));

      // A second world, 200 days later (past every window and the loans it dates before its
      // start), played at half the measured rate: its event times run faster than the wall clock,
      // so windows fill in seconds, and every event id's send time is noted.
      double rate = latencyRate != null ? latencyRate : Math.max(100, eos * latencyLoad);
      figures.put("latency_load", Math.round(rate / eos * 100) / 100.0);
      figures.put("latency_offered_records_per_s", Math.round(rate));
      long n = (long) (rate * latencyDuration.toSeconds());
      Instant liveStart = preloadWorld.end().plus(Duration.ofDays(200));
      SimulatedWorld live = SimulatedWorld.generate(worldConfig(seed + 1, liveStart, 2));
      // The world opens with its history, months of lender events (and calls) before its start;
      // compressed into the first seconds, every purge interval it crosses scans whole stores,
      // and the measured traffic queued behind that for seconds. A service has had that history
      // for months: it is produced and processed first, not measured.
      Iterator<SimEvent> liveEvents = live.events();
      SimEvent first = produceHistory(c, liveEvents, liveStart);
      runner.awaitCaughtUp(Duration.ofMinutes(5), m -> {});
      if (first != null) {
        liveEvents = prepend(first, liveEvents);
      }
      Map<TopicPartition, Long> from;
      try (Admin admin = c.admin()) {
        from = StreamsRunner.endOffsets(admin, List.of(c.topics().alerts().name()));
      }
      Map<String, Long> sentAt = new HashMap<>();
      progress(String.format("latency: %,d events at %,.0f events/s ...", n, rate));
      CpuUse liveCpu = CpuUse.since(c.embeddedBroker());
      SimulatedTraffic.Figures sent = produce(c, liveEvents, n, rate, sentAt);
      figures.put("latency_events", sent.events());
      runner.awaitCaughtUp(Duration.ofMinutes(5), m -> {});
      noteCpu("latency", liveCpu, sent.events());
      noteThreadTime("latency", runner.streams());
      List<Long> latencies = new ArrayList<>();
      Map<String, List<Long>> byType = new TreeMap<>();
      // by when the event was sent: if the second half is much later than the first, the load
      // offered is more than the pipeline keeps up with live, and the backlog grows
      long sentFrom = sentAt.values().stream().mapToLong(Long::longValue).min().orElse(0);
      long sentTo = sentAt.values().stream().mapToLong(Long::longValue).max().orElse(0);
      long middle = sentFrom + (sentTo - sentFrom) / 2;
      List<Long> firstHalf = new ArrayList<>();
      List<Long> secondHalf = new ArrayList<>();
      try (Admin admin = c.admin()) {
        Map<TopicPartition, Long> to =
            StreamsRunner.endOffsets(admin, List.of(c.topics().alerts().name()));
        TopicReader.readRange(
            c,
            c.topics().alerts(),
            from,
            to,
            (ConsumerRecord<String, Alert> r, Alert a) -> {
              // the latest event behind the alert that this phase sent: the one that crossed
              // the threshold, or a later one (then the figure is an upper bound)
              long last = Long.MIN_VALUE;
              if (a.getEvidence() != null) {
                for (String id : a.getEvidence().getEventIds()) {
                  Long t = sentAt.get(id);
                  if (t != null) {
                    last = Math.max(last, t);
                  }
                }
              }
              if (last != Long.MIN_VALUE) {
                long latency = r.timestamp() - last;
                latencies.add(latency);
                (last < middle ? firstHalf : secondHalf).add(latency);
                byType.computeIfAbsent(a.getType().toString(), k -> new ArrayList<>()).add(latency);
              }
            });
      }
      Collections.sort(latencies);
      figures.put("latency_alerts", latencies.size());
      figures.put("latency_p50_ms", percentile(latencies, 50));
      figures.put("latency_p95_ms", percentile(latencies, 95));
      figures.put("latency_p99_ms", percentile(latencies, 99));
      Collections.sort(firstHalf);
      Collections.sort(secondHalf);
      figures.put("latency_first_half_p50_ms", percentile(firstHalf, 50));
      // The live world's event time runs much faster than the wall clock here (to fill windows
      // in seconds). Whatever waits on event time, above all the policy detectors' join_window
      // (each contact held 2 min of stream time for lender facts that arrive late), takes that
      // many times less wall time than it would on a live network, where event time is the clock.
      if (sent.firstTrafficTime != null && sentTo > sentFrom) {
        double eventMs = Duration.between(sent.firstTrafficTime, sent.lastEventTime).toMillis();
        figures.put("latency_event_time_per_wall_time", Math.round(eventMs / (sentTo - sentFrom)));
      }
      figures.put("policy_join_window_ms", LenderReferenceRule.from(rules).joinWindow().toMillis());
      figures.put("latency_second_half_p50_ms", percentile(secondHalf, 50));
      // which detector's path is slow: each hop through a repartition topic adds a commit
      Map<String, Map<String, Long>> perType = new LinkedHashMap<>();
      byType.forEach(
          (type, l) -> {
            Collections.sort(l);
            perType.put(
                type,
                Map.of(
                    "alerts",
                    (long) l.size(),
                    "p50_ms",
                    percentile(l, 50),
                    "max_ms",
                    l.get(l.size() - 1)));
          });
      figures.put("latency_by_type", perType);
    }
    // after a clean close: what each store keeps on disk
    Map<String, Long> stores = storeSizes(stateDir.resolve(appId));
    long disk = stores.values().stream().mapToLong(Long::longValue).sum();
    figures.put("state_disk_bytes", disk);
    figures.put("state_disk_bytes_per_million_subscribers", Math.round(disk * 1e6 / subscribers));
    Map<String, Long> perMillion = new LinkedHashMap<>();
    stores.forEach((k, v) -> perMillion.put(k, Math.round(v * 1e6 / subscribers)));
    figures.put("store_disk_bytes_per_million_subscribers", perMillion);
  }

  /** Bytes on disk by store name ({@code <task>/rocksdb/<store>} or {@code <task>/<store>}). */
  static Map<String, Long> storeSizes(Path appDir) throws IOException {
    Map<String, Long> out = new java.util.TreeMap<>();
    if (!Files.exists(appDir)) {
      return out;
    }
    try (var paths = Files.walk(appDir)) {
      for (Path p : (Iterable<Path>) paths.filter(Files::isRegularFile)::iterator) {
        Path rel = appDir.relativize(p);
        String store;
        if (rel.getNameCount() >= 4 && rel.getName(1).toString().equals("rocksdb")) {
          store = rel.getName(2).toString();
        } else if (rel.getNameCount() >= 3) {
          store = rel.getName(1).toString();
        } else {
          store = "(checkpoints)";
        }
        if (p.getFileName().toString().startsWith("LOG")) {
          continue; // RocksDB's info log: not state
        }
        out.merge(store, p.toFile().length(), Long::sum);
      }
    }
    return out;
  }

  static long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  private void print(double consume, double count, double alos) {
    Object eosRate = figures.get("dunwatch_eos_records_per_s");
    double eos = eosRate == null ? Double.NaN : ((Number) eosRate).doubleValue();
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
        "%ndunwatch bench: simulated world of %,d subscribers, %d days (scenarios %s):"
            + " %,d events (%,d calls, %,d messages, %,d lender events), %d partitions, %d cores, Java %s%n"
            + "(1) and (2) read the calls copied again and again, %,d records%n%n",
        subscribers,
        days,
        scenarios,
        figures.get("preload_events"),
        figures.get("preload_calls"),
        figures.get("preload_sms"),
        figures.get("preload_lender_events"),
        partitions,
        figures.get("cores"),
        figures.get("java"),
        figures.get("baseline_records"));
    System.out.printf("%-44s %12s %10s %10s%n", "", "records/s", "÷ (1)", "÷ (2)");
    System.out.printf(
        "%-44s %,12.0f %10s %10s%n", "(1) raw consume (ceiling)", consume, "1.00", "");
    System.out.printf(
        "%-44s %,12.0f %10.2f %10s%n",
        "(2) groupByKey().count() on calls (baseline)", count, count / consume, "1.00");
    System.out.printf(
        "%-44s %,12.0f %10.2f %10.2f%n",
        "(3) dunwatch, exactly_once_v2", eos, eos / consume, eos / count);
    System.out.printf(
        "%-44s %,12.0f %10.2f %10.2f%n",
        "(3) dunwatch, at_least_once", alos, alos / consume, alos / count);
    if (figures.containsKey("warm_up_eos_records_per_s")) {
      System.out.printf(
          "%-44s %,12d %10s %10s%n",
          "    cold JVM (warm-up run, not measured): count",
          figures.get("warm_up_count_records_per_s"),
          "",
          "");
      System.out.printf(
          "%-44s %,12d %10s %10s%n",
          "    cold JVM: dunwatch, exactly_once_v2",
          figures.get("warm_up_eos_records_per_s"),
          "",
          "");
    }
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.printf(
        "%nCPU while each phase ran (app: this JVM, its stream threads and producers, and in the"
            + " latency phase the load generator too; broker: the embedded one), per input record,"
            + " and the rate %d cores allow at that cost:%n",
        cores);
    System.out.printf(
        "  %-30s %10s %10s %14s %16s%n",
        "", "app cores", "broker", "µs per record", "CPU-bound rec/s");
    for (String phase : MEASURED_PHASES) {
      if (figures.containsKey(phase + "_cpu_cores_app")) {
        Object broker = figures.get(phase + "_cpu_cores_broker");
        System.out.printf(
            "  %-30s %10.2f %10s %14.1f %,16d%n",
            label(phase),
            figures.get(phase + "_cpu_cores_app"),
            broker == null ? "n/a" : String.format("%.2f", (Double) broker),
            figures.get(phase + "_cpu_us_per_record"),
            figures.get(phase + "_cpu_bound_records_per_s"));
      }
    }
    System.out.printf(
        "%nthe stream threads' time (Kafka Streams' poll-, process-, commit- and punctuate-ratio"
            + " over the last 30-60 s of each phase; waiting for a partition counts as poll):%n");
    System.out.printf(
        "  %-30s %10s %10s %10s %10s%n", "", "poll", "process", "commit", "punctuate");
    for (String phase : MEASURED_PHASES) {
      if (figures.containsKey(phase + "_thread_poll_ratio")) {
        System.out.printf("  %-30s", label(phase));
        for (String what : THREAD_TIME) {
          Object r = figures.get(phase + "_thread_" + what + "_ratio");
          System.out.printf(
              " %10s", r == null ? "n/a" : String.format("%.0f %%", 100 * (Double) r));
        }
        System.out.println();
      }
    }
    System.out.printf(
        "%nappended to the app's own topics per input record (records and transaction markers):%n");
    for (String phase : List.of("count", "alos", "eos")) {
      if (figures.containsKey(phase + "_changelog_appends_per_input")) {
        System.out.printf(
            "  %-42s changelogs %6.2f   repartitions %6.2f%n",
            phase,
            figures.get(phase + "_changelog_appends_per_input"),
            figures.get(phase + "_repartition_appends_per_input"));
      }
    }
    @SuppressWarnings("unchecked")
    Map<String, Double> eosTopics =
        (Map<String, Double>) figures.get("eos_appends_per_input_by_topic");
    if (eosTopics != null) {
      eosTopics.entrySet().stream()
          .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
          .forEach(e -> System.out.printf("    %-52s %6.2f%n", e.getKey(), e.getValue()));
    }
    if (!figures.containsKey("latency_p50_ms")) {
      return; // the latency and state figures come from the exactly-once phase
    }
    System.out.printf(
        "%nlatency at %,d events/s offered (%.2f of (3) exactly_once_v2), %,d events, %d alerts:"
            + " p50 %d ms, p95 %d ms, p99 %d ms (producer send -> alert appended)%n",
        figures.get("latency_offered_records_per_s"),
        figures.get("latency_load"),
        figures.get("latency_events"),
        figures.get("latency_alerts"),
        figures.get("latency_p50_ms"),
        figures.get("latency_p95_ms"),
        figures.get("latency_p99_ms"));
    System.out.printf(
        "  p50 of events sent in the first half %d ms, in the second half %d ms%n",
        figures.get("latency_first_half_p50_ms"), figures.get("latency_second_half_p50_ms"));
    System.out.printf(
        "  measured from the world's start: its history before that (%,d events: loans opened and"
            + " reported on months earlier) was produced and processed first%n",
        figures.get("latency_history_events"));
    if (figures.containsKey("latency_event_time_per_wall_time")) {
      long speed = ((Number) figures.get("latency_event_time_per_wall_time")).longValue();
      long join = ((Number) figures.get("policy_join_window_ms")).longValue();
      System.out.printf(
          "  event time ran %,d times as fast as the wall clock: on a live network, where it is the"
              + " clock, the policy alerts (contact frequency, off hours, third party, after cease)"
              + " also wait their join_window, %,d ms of event time, here %,.1f ms%n",
          speed, join, join / (double) Math.max(1, speed));
    }
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Long>> perType =
        (Map<String, Map<String, Long>>) figures.get("latency_by_type");
    System.out.printf("%-44s %8s %10s %10s%n", "  by alert type", "alerts", "p50 ms", "max ms");
    perType.forEach(
        (type, l) ->
            System.out.printf(
                "  %-42s %8d %10d %10d%n",
                type, l.get("alerts"), l.get("p50_ms"), l.get("max_ms")));
    System.out.printf(
        "%nstate after the preload (heap) and after a clean close (disk): %,d MB heap, %,d MB on disk;"
            + " per million subscribers: %,d MB heap, %,d MB disk%n",
        ((Number) figures.get("state_heap_bytes")).longValue() >> 20,
        ((Number) figures.get("state_disk_bytes")).longValue() >> 20,
        ((Number) figures.get("heap_bytes_per_million_subscribers")).longValue() >> 20,
        ((Number) figures.get("state_disk_bytes_per_million_subscribers")).longValue() >> 20);
    @SuppressWarnings("unchecked")
    Map<String, Long> stores =
        (Map<String, Long>) figures.get("store_disk_bytes_per_million_subscribers");
    System.out.printf("%-44s %16s%n", "store", "MB per 1M subs");
    stores.forEach((k, v) -> System.out.printf("%-44s %,16.1f%n", k, v / 1048576.0));
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static double secondsSince(long t0) {
    return Math.max(1e-9, (System.nanoTime() - t0) / 1e9);
  }

  private void progress(String message) {
    System.err.println("… " + message);
  }
}

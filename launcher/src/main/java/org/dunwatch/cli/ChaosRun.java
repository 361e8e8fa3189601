package org.dunwatch.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.deploy.KafkaCluster;
import org.dunwatch.producers.sim.SimEvent;
import org.dunwatch.producers.sim.SimulatedWorld;
import org.dunwatch.schemas.TopicNames;

/**
 * One run of {@code dunwatch chaos}: its own topics and application id on the shared cluster, the
 * world produced slice by slice through {@code dunwatch run} instances in their own JVMs, one fault
 * injected when a share of the world is produced, and every alert read back with {@code
 * read_committed} once the instances have processed everything.
 */
final class ChaosRun {

  /** Faults, by the names {@code --faults} takes. */
  static final String NONE = "none";

  /** No fault, one instance all along: what one instance finds against what several do. */
  static final String ONE_INSTANCE = "one-instance";

  static final String KILL_INSTANCE = "kill-instance";
  static final String KILL_BROKER = "kill-broker";
  static final String ROLLING_RESTART = "rolling-restart";
  static final String SCALE = "scale";
  static final List<String> ALL = List.of(KILL_INSTANCE, KILL_BROKER, ROLLING_RESTART, SCALE);

  /** Share of the world produced before the fault. */
  static final double FAULT_AT = 0.35;

  /** How long the alerts topic must stay unchanged before it is read: the hold and two commits. */
  static final Duration SETTLE = Duration.ofSeconds(3);

  /** What a run saw. */
  record Result(
      String fault,
      List<Alert> alerts,
      long events,
      Double recoverySeconds,
      double elapsedSeconds,
      List<String> notes) {}

  /** Where and how runs happen, the same for every run. */
  record Setup(
      Settings base,
      KafkaCluster kafka,
      String registryUrl,
      String bootstrapServers,
      Path workDir,
      int instances,
      int partitions,
      Duration slice,
      Duration pause,
      Duration timeout,
      Consumer<String> progress) {}

  private final Setup setup;
  private final String fault;
  private final String id;
  private final List<String> notes = new ArrayList<>();

  ChaosRun(Setup setup, String fault) {
    this.setup = setup;
    this.fault = fault;
    this.id = fault + "-" + UUID.randomUUID().toString().substring(0, 6);
  }

  Result run(SimulatedWorld world, long events) throws Exception {
    long started = System.nanoTime();
    String appId = "dunwatch-chaos-" + id;
    Path dir = setup.workDir().resolve(id);
    Files.createDirectories(dir);
    TopicNames names = TopicNames.defaults().withPrefix("chaos." + id + ".");
    Settings settings = settingsFor(names);
    Path config = writeConfig(dir.resolve("dunwatch.properties"), settings);
    say("run " + id + ": " + setup.instances() + " instances, application " + appId);
    try (Cluster c = Cluster.open(settings, setup.progress());
        Admin admin = c.admin();
        ChaosInstances instances =
            new ChaosInstances(
                dir,
                List.of(
                    "--config",
                    config.toString(),
                    "--application-id",
                    appId,
                    "--partitions",
                    Integer.toString(setup.partitions())),
                setup.instances(),
                this::say)) {
      c.ensureTopics(setup.partitions());
      int first = fault.equals(SCALE) || fault.equals(ONE_INSTANCE) ? 1 : setup.instances();
      for (int i = 0; i < first; i++) {
        instances.start(i);
      }
      Fault injected = new Fault(c, admin, appId, instances);
      long[] produced = new long[1];
      SliceGate[] gates = new SliceGate[1];
      SliceGate gate =
          new SliceGate(
              setup.slice(),
              SliceGate.MIN_EVENTS,
              new SliceGate.Progress() {
                @Override
                public Map<TopicPartition, Long> ends() throws Exception {
                  return StreamsRunner.endOffsets(admin, c.topics().inputNames());
                }

                @Override
                public void awaitCommitted(Map<TopicPartition, Long> targets) throws Exception {
                  say(
                      String.format(
                          "slice %d: %d/%d events produced",
                          gates[0].slices() + 1, produced[0], events));
                  StreamsRunner.awaitCommitted(
                      admin, appId, targets, setup.timeout(), m -> {}, 50, instances::check);
                }
              });
      boolean faultless = fault.equals(NONE) || fault.equals(ONE_INSTANCE);
      gates[0] = gate;
      long trigger = faultless ? -1 : Math.max(1, (long) (events * FAULT_AT));
      long sent = 0;
      try (SimulatedTraffic traffic = new SimulatedTraffic(c, 0)) {
        gate.flushing(traffic::flush);
        for (Iterator<SimEvent> it = world.events(); it.hasNext(); ) {
          SimEvent e = it.next();
          gate.before(e.time());
          traffic.send(e);
          produced[0] = ++sent;
          if (sent == trigger) {
            traffic.flush();
            injected.start();
          }
        }
        traffic.flush();
      }
      injected.await();
      Map<TopicPartition, Long> ends = StreamsRunner.endOffsets(admin, c.topics().inputNames());
      StreamsRunner.awaitCommitted(
          admin, appId, ends, setup.timeout(), this::say, 200, instances::check);
      StreamsRunner.awaitDrained(admin, appId, setup.timeout(), instances::check);
      String alertsTopic = c.topics().alerts().name();
      StreamsRunner.awaitQuiet(admin, List.of(alertsTopic), SETTLE, setup.timeout());
      Map<TopicPartition, Long> to = StreamsRunner.endOffsets(admin, List.of(alertsTopic));
      List<Alert> alerts = new ArrayList<>();
      TopicReader.readRange(c, c.topics().alerts(), Map.of(), to, (r, a) -> alerts.add(a));
      instances.close();
      deleteTopics(admin, names, appId);
      return new Result(
          fault,
          alerts,
          sent,
          injected.recoverySeconds,
          (System.nanoTime() - started) / 1e9,
          List.copyOf(notes));
    }
  }

  private Settings settingsFor(TopicNames names) {
    Map<String, String> flags = new java.util.TreeMap<>(setup.base().all());
    flags.put(Settings.BOOTSTRAP, setup.bootstrapServers());
    flags.put(Settings.REGISTRY, setup.registryUrl());
    flags.put("topic.calls", names.calls());
    flags.put("topic.sms", names.sms());
    flags.put("topic.lender", names.lender());
    flags.put("topic.alerts", names.alerts());
    flags.put("topic.dlq", names.dlq());
    flags.put("topic.rules", names.rules());
    return Settings.resolve(Map.of(), null, Map.of(), flags);
  }

  /**
   * The instances' settings: this run's topics, and failure detection in 10 s instead of the
   * consumer's default 45 s, so that a killed instance's tasks move within seconds
   * (docs/cluster.md).
   */
  private Path writeConfig(Path file, Settings settings) throws IOException {
    Properties p = new Properties();
    settings.all().forEach(p::setProperty);
    p.putIfAbsent(Settings.KAFKA_PREFIX + "session.timeout.ms", "10000");
    p.putIfAbsent(Settings.KAFKA_PREFIX + "heartbeat.interval.ms", "2000");
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      p.store(w, "dunwatch chaos run " + id);
    }
    return file;
  }

  /** The run's topics and its application's internal topics, so that runs do not pile up. */
  private void deleteTopics(Admin admin, TopicNames names, String appId) {
    try {
      List<String> doomed = new ArrayList<>();
      for (String t : admin.listTopics().names().get(30, TimeUnit.SECONDS)) {
        if (t.startsWith("chaos." + id + ".") || t.startsWith(appId + "-")) {
          doomed.add(t);
        }
      }
      admin.deleteTopics(doomed).all().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      say("could not delete the topics of run " + id + ": " + e.getMessage());
    }
  }

  private void say(String message) {
    setup.progress().accept("[" + fault + "] " + message);
  }

  /** The fault, injected on its own thread while the world is still being produced. */
  private final class Fault {
    private final Cluster cluster;
    private final Admin admin;
    private final String appId;
    private final ChaosInstances instances;
    private Thread thread;
    private volatile Exception failed;
    volatile Double recoverySeconds;

    Fault(Cluster cluster, Admin admin, String appId, ChaosInstances instances) {
      this.cluster = cluster;
      this.admin = admin;
      this.appId = appId;
      this.instances = instances;
    }

    void start() {
      thread =
          new Thread(
              () -> {
                try {
                  inject();
                } catch (Exception e) {
                  failed = e;
                }
              },
              "chaos-" + fault);
      thread.setDaemon(true);
      thread.start();
    }

    void await() throws Exception {
      if (thread == null) {
        return;
      }
      thread.join(setup.timeout().toMillis());
      if (thread.isAlive()) {
        throw new UserError("fault " + fault + " did not finish within " + setup.timeout());
      }
      if (failed != null) {
        throw failed;
      }
    }

    private void inject() throws Exception {
      long at = System.nanoTime();
      Map<TopicPartition, Long> before =
          StreamsRunner.endOffsets(admin, cluster.topics().inputNames());
      int last = instances.size() - 1;
      switch (fault) {
        case KILL_INSTANCE -> {
          instances.kill(last);
          sleep(setup.pause());
          instances.start(last);
        }
        case KILL_BROKER -> {
          int node = leaderToKill();
          setup.kafka().kill(node);
          sleep(setup.pause());
          setup.kafka().start(node);
        }
        case ROLLING_RESTART -> {
          for (int i = 0; i < instances.size(); i++) {
            instances.stop(i);
            instances.start(i);
            // the next one only once this one holds tasks again, as a rolling update does
            awaitCaughtUp(before);
          }
        }
        case SCALE -> {
          for (int i = 1; i < instances.size(); i++) {
            instances.start(i);
          }
          awaitCaughtUp(before);
          instances.stop(last);
        }
        default -> throw new IllegalStateException(fault);
      }
      awaitCaughtUp(before);
      recoverySeconds = Math.round((System.nanoTime() - at) / 1e8) / 10.0;
      say(String.format("caught up again %.1f s after the fault", recoverySeconds));
    }

    /** The leader of the first alerts partition, or of a changelog's if alerts has none. */
    private int leaderToKill() throws Exception {
      List<String> topics = new ArrayList<>(List.of(cluster.topics().alerts().name()));
      admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
          .filter(t -> t.startsWith(appId + "-") && t.endsWith("-changelog"))
          .sorted()
          .findFirst()
          .ifPresent(topics::add);
      for (TopicDescription d :
          admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values()) {
        for (var p : d.partitions()) {
          if (p.leader() != null && !p.leader().isEmpty()) {
            notes.add(
                "killed node " + p.leader().id() + ", leader of " + d.name() + "-" + p.partition());
            say(notes.get(notes.size() - 1));
            return p.leader().id();
          }
        }
      }
      throw new UserError("no partition of " + topics + " has a leader to kill");
    }

    private void awaitCaughtUp(Map<TopicPartition, Long> targets) throws Exception {
      StreamsRunner.awaitCommitted(
          admin, appId, targets, setup.timeout(), m -> {}, 100, instances::check);
    }

    private void sleep(Duration d) throws InterruptedException {
      Thread.sleep(d.toMillis());
    }
  }
}

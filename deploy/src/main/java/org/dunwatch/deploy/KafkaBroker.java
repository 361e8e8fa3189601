package org.dunwatch.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * A real single-node KRaft Kafka broker (broker and controller in one) running in a child JVM on
 * loopback, from the {@code kafka_2.13} jars on this JVM's classpath.
 *
 * <pre>{@code
 * try (KafkaBroker kafka = KafkaBroker.builder().log(System.err::println).start()) {
 *   kafka.createTopics(Map.of("telecom.calls.v1", 3));
 *   ... kafka.bootstrapServers() ...
 * }
 * }</pre>
 *
 * <p>The data directory holds {@code server.properties}, {@code log4j2.properties}, the broker log
 * {@code broker.log} and the partitions under {@code kafka-data/}. A temporary data directory is
 * deleted on {@link #close()}; one passed to {@link Builder#dataDir} is kept and reused.
 */
public final class KafkaBroker implements AutoCloseable {
  static final String LOG_FILE = "broker.log";
  static final String SERVER_PROPERTIES = "server.properties";

  private final ChildProcess process;
  private final Path dataDir;
  private final int port;
  private final int controllerPort;
  private final Consumer<String> log;

  private KafkaBroker(
      ChildProcess process, Path dataDir, int port, int controllerPort, Consumer<String> log) {
    this.process = process;
    this.dataDir = dataDir;
    this.port = port;
    this.controllerPort = controllerPort;
    this.log = log;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return FreePorts.LOOPBACK + ":" + port;
  }

  public int port() {
    return port;
  }

  public int controllerPort() {
    return controllerPort;
  }

  /** PID of the broker's JVM. */
  public long pid() {
    return process.pid();
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The broker's stdout, stderr and log4j output. */
  public Path logFile() {
    return process.logFile();
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  /**
   * Creates the topics that do not exist yet (replication factor 1) and waits until every partition
   * of every named topic has a leader, so that the next produce does not race the metadata. Topics
   * that already exist are left as they are, whatever their partition count.
   */
  public void createTopics(Map<String, Integer> nameToPartitions) {
    if (nameToPartitions.isEmpty()) {
      return;
    }
    Duration timeout = Duration.ofSeconds(30);
    try (Admin admin = admin(timeout)) {
      Set<String> existing =
          admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      List<NewTopic> missing = new ArrayList<>();
      nameToPartitions.forEach(
          (name, partitions) -> {
            if (!existing.contains(name)) {
              missing.add(new NewTopic(name, partitions, (short) 1));
            }
          });
      for (Map.Entry<String, KafkaFuture<Void>> created :
          admin.createTopics(missing).values().entrySet()) {
        try {
          created.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
          log.accept("kafka: created topic " + created.getKey());
        } catch (ExecutionException e) {
          // Someone else created it between listing and creating: that is the state we want.
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      awaitLeaders(admin, nameToPartitions.keySet(), timeout);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new DeployException(
          "cannot create topics "
              + nameToPartitions.keySet()
              + " on "
              + bootstrapServers()
              + ": "
              + cause,
          cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeployException("interrupted while creating topics", e);
    }
  }

  private void awaitLeaders(Admin admin, Set<String> topics, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (allPartitionsLed(admin, topics, timeout)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("partitions of " + topics + " still have no leader");
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  private static boolean allPartitionsLed(Admin admin, Set<String> topics, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    try {
      return admin
          .describeTopics(topics)
          .allTopicNames()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .values()
          .stream()
          .flatMap(d -> d.partitions().stream())
          .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
    } catch (ExecutionException e) {
      // The controller has committed the topic but the broker has not loaded that metadata yet.
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return false;
      }
      throw e;
    }
  }

  private Admin admin(Duration timeout) {
    Properties config = new Properties();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 10_000));
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    return Admin.create(config);
  }

  /**
   * Stops the broker by its PID: SIGTERM for a clean shutdown, SIGKILL if it takes longer than 15
   * s; then deletes the data directory if it was temporary. Idempotent.
   */
  @Override
  public void close() {
    process.close();
    log.accept("kafka: stopped (pid " + process.pid() + ")");
  }

  /** Options for {@link KafkaBroker}; every one has a default. */
  public static final class Builder {
    private Path dataDir;
    private int port;
    private int controllerPort;
    private String maxHeap = "768m";
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> overrides = new LinkedHashMap<>();
    // generous: on a loaded 2-core machine a healthy broker has taken over 60 s to answer
    private Duration startupTimeout = Duration.ofSeconds(240);
    private Consumer<String> log = line -> {};

    private Builder() {}

    /** Where config, log and partitions go; kept on close. Default: a temporary directory. */
    public Builder dataDir(Path dataDir) {
      this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
      return this;
    }

    /** Client port on 127.0.0.1; 0 (default) picks a free one. A busy fixed port fails fast. */
    public Builder port(int port) {
      this.port = requirePort(port);
      return this;
    }

    /** KRaft controller port on 127.0.0.1; 0 (default) picks a free one. */
    public Builder controllerPort(int controllerPort) {
      this.controllerPort = requirePort(controllerPort);
      return this;
    }

    /** The child's {@code -Xmx}, e.g. {@code "768m"} (default) or {@code "2g"}. */
    public Builder maxHeap(String maxHeap) {
      this.maxHeap = Objects.requireNonNull(maxHeap, "maxHeap");
      return this;
    }

    /** An extra option for the broker JVM, e.g. {@code -XX:+UseZGC}. */
    public Builder jvmOption(String option) {
      jvmOptions.add(Objects.requireNonNull(option, "option"));
      return this;
    }

    /** A {@code server.properties} entry that replaces or adds to the defaults. */
    public Builder brokerProperty(String key, String value) {
      overrides.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** How long to wait for the broker to answer (default 60 s). */
    public Builder startupTimeout(Duration startupTimeout) {
      this.startupTimeout = Objects.requireNonNull(startupTimeout, "startupTimeout");
      return this;
    }

    /** Receives one-line progress messages (formatting, started, stopped). */
    public Builder log(Consumer<String> log) {
      this.log = Objects.requireNonNull(log, "log");
      return this;
    }

    /**
     * Formats the storage if needed, starts the broker and returns once it answers admin requests.
     *
     * @throws DeployException if a fixed port is busy, or the broker exits or does not answer in
     *     time; the message ends with the last lines of the broker log
     */
    public KafkaBroker start() {
      int brokerPort = FreePorts.fixedOrFree(port);
      int quorumPort =
          controllerPort == 0 ? pickOtherThan(brokerPort) : FreePorts.fixedOrFree(controllerPort);
      if (quorumPort == brokerPort) {
        throw new DeployException("broker and controller ports are both " + brokerPort);
      }
      boolean temporary = dataDir == null;
      Path dir =
          temporary ? Directories.createTemp("dunwatch-kafka-") : Directories.create(dataDir);
      try {
        return start(dir, temporary, brokerPort, quorumPort);
      } catch (RuntimeException e) {
        if (temporary) {
          Directories.deleteRecursively(dir);
        }
        throw e;
      }
    }

    private KafkaBroker start(Path dir, boolean temporary, int brokerPort, int quorumPort) {
      long started = System.nanoTime();
      Path logFile = dir.resolve(LOG_FILE);
      Path serverProperties = dir.resolve(SERVER_PROPERTIES);
      Path log4j = dir.resolve("log4j2.properties");
      Path logDirs = dir.resolve("kafka-data");
      write(
          serverProperties,
          KafkaBrokerConfig.render(
              KafkaBrokerConfig.serverProperties(logDirs, brokerPort, quorumPort, overrides)));
      write(log4j, KafkaBrokerConfig.log4j2Properties());

      if (!Files.isRegularFile(logDirs.resolve("meta.properties"))) {
        log.accept("kafka: formatting storage in " + logDirs);
        format(dir, serverProperties, log4j, Uuid.randomUuid().toString(), true, startupTimeout);
      }

      List<String> server = serverCommand(maxHeap, jvmOptions, log4j, serverProperties);
      log.accept("kafka: starting broker on " + FreePorts.LOOPBACK + ":" + brokerPort);
      ChildProcess child =
          ChildProcess.start(
              "kafka broker",
              server,
              dir,
              logFile,
              temporary ? () -> Directories.deleteRecursively(dir) : () -> {});
      KafkaBroker broker = new KafkaBroker(child, dir, brokerPort, quorumPort, log);
      try {
        broker.awaitReady(started, startupTimeout);
      } catch (RuntimeException e) {
        broker.process.close();
        throw e;
      }
      log.accept(
          String.format(
              "kafka: broker ready at %s in %.1f s (pid %d, log %s)",
              broker.bootstrapServers(),
              (System.nanoTime() - started) / 1e9,
              child.pid(),
              logFile));
      return broker;
    }

    private static int pickOtherThan(int port) {
      for (int candidate : FreePorts.pick(2)) {
        if (candidate != port) {
          return candidate;
        }
      }
      throw new DeployException("cannot find a free controller port");
    }

    private static int requirePort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, was " + port);
      }
      return port;
    }

    private static void write(Path file, String text) {
      try {
        Files.writeString(file, text, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new DeployException("cannot write " + file, e);
      }
    }
  }

  /**
   * Formats a node's storage under {@code dir}: one {@code --standalone} voter, or with {@code
   * standalone} false the static quorum that {@code controller.quorum.voters} in its properties
   * names (every node of a cluster formatted with the same {@code clusterId}).
   */
  static void format(
      Path dir,
      Path serverProperties,
      Path log4j,
      String clusterId,
      boolean standalone,
      Duration timeout) {
    Path logFile = dir.resolve(LOG_FILE);
    List<String> format =
        new ArrayList<>(
            List.of(
                ChildJvm.javaBinary().toString(),
                "-Xmx256m",
                // A short-lived tool: the C1 compiler alone gets it done sooner.
                "-XX:TieredStopAtLevel=1",
                "-Dlog4j2.configurationFile=" + log4j.toUri(),
                "-cp",
                ChildJvm.join(ChildJvm.currentClasspath()),
                "kafka.tools.StorageTool",
                "format",
                "--cluster-id",
                clusterId,
                "--config",
                serverProperties.toString()));
    if (standalone) {
      format.add("--standalone");
    }
    int exit = ChildProcess.run("kafka storage format", format, dir, logFile, timeout);
    if (exit != 0) {
      throw new DeployException(
          LogTail.message("kafka storage format failed with exit code " + exit, logFile));
    }
  }

  /** The command line of a broker JVM, behind {@link ParentWatchdog}. */
  static List<String> serverCommand(
      String maxHeap, List<String> jvmOptions, Path log4j, Path serverProperties) {
    List<String> server = new ArrayList<>();
    server.add(ChildJvm.javaBinary().toString());
    server.add("-Xmx" + maxHeap);
    // The GC settings of Kafka's own start scripts.
    server.addAll(
        List.of(
            "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=20",
            "-XX:InitiatingHeapOccupancyPercent=35",
            "-XX:+ExplicitGCInvokesConcurrent",
            "-Djava.awt.headless=true",
            "-Dlog4j2.configurationFile=" + log4j.toUri()));
    server.addAll(jvmOptions); // last, so that they win over the defaults above
    server.addAll(
        List.of(
            "-cp",
            ChildJvm.join(ChildJvm.currentClasspath()),
            ParentWatchdog.class.getName(),
            Long.toString(ProcessHandle.current().pid()),
            "kafka.Kafka",
            serverProperties.toString()));
    return server;
  }

  private void awaitReady(long startedNanos, Duration timeout) {
    long deadline = startedNanos + timeout.toNanos();
    // The TCP check first: an admin client pointed at a closed port logs a warning per retry.
    while (!FreePorts.isListening(port)) {
      checkAlive();
      checkDeadline(deadline, timeout);
      pause();
    }
    Exception last = null;
    while (true) {
      checkAlive();
      checkDeadline(deadline, timeout, last);
      try (Admin admin = admin(Duration.ofSeconds(5))) {
        admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
        admin.listTopics().names().get(5, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException | TimeoutException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DeployException("interrupted while waiting for the broker", e);
      }
      pause();
    }
  }

  private void checkAlive() {
    if (!process.isAlive()) {
      throw new DeployException(
          LogTail.message(
              "kafka broker exited during start-up with code " + process.exitCode(), logFile()));
    }
  }

  private void checkDeadline(long deadline, Duration timeout) {
    checkDeadline(deadline, timeout, null);
  }

  private void checkDeadline(long deadline, Duration timeout, Exception last) {
    if (System.nanoTime() > deadline) {
      String headline =
          "kafka broker did not answer on "
              + bootstrapServers()
              + " within "
              + timeout.toSeconds()
              + " s"
              + (last == null ? "" : " (last error: " + last + ")");
      throw new DeployException(LogTail.message(headline, logFile()));
    }
  }

  private static void pause() {
    try {
      TimeUnit.MILLISECONDS.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeployException("interrupted while waiting for the broker", e);
    }
  }
}

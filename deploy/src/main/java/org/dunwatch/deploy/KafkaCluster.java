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
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka cluster of N KRaft nodes on loopback (default 3), each broker and controller in its
 * own JVM with its own data directory, a static quorum of all of them, replication factor N and
 * {@code min.insync.replicas} N-1 for every topic. Nodes are killed, stopped and started again by
 * PID, one at a time, to see what a crash or a rolling restart does to what runs on it.
 *
 * <pre>{@code
 * try (KafkaCluster kafka = KafkaCluster.builder().nodes(3).log(System.err::println).start()) {
 *   kafka.kill(2);        // kill -9 of node 2
 *   kafka.start(2);       // same data directory and ports; returns when it is back
 * }
 * }</pre>
 */
public final class KafkaCluster implements AutoCloseable {

  private final Path root;
  private final boolean temporary;
  private final Map<Integer, NodeProcess> nodes;
  private final String maxHeap;
  private final Duration startupTimeout;
  private final Consumer<String> log;

  /** One node: its ports and directory never change; its process does on every start. */
  private static final class NodeProcess {
    final int id;
    final int port;
    final int controllerPort;
    final Path dir;
    ChildProcess process;

    NodeProcess(int id, int port, int controllerPort, Path dir) {
      this.id = id;
      this.port = port;
      this.controllerPort = controllerPort;
      this.dir = dir;
    }
  }

  private KafkaCluster(
      Path root,
      boolean temporary,
      Map<Integer, NodeProcess> nodes,
      String maxHeap,
      Duration startupTimeout,
      Consumer<String> log) {
    this.root = root;
    this.temporary = temporary;
    this.nodes = nodes;
    this.maxHeap = maxHeap;
    this.startupTimeout = startupTimeout;
    this.log = log;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Every node's {@code 127.0.0.1:<port>}, comma-separated, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return nodes.values().stream()
        .map(n -> FreePorts.LOOPBACK + ":" + n.port)
        .collect(Collectors.joining(","));
  }

  /** Node ids, 1..N. */
  public Set<Integer> nodeIds() {
    return nodes.keySet();
  }

  public int size() {
    return nodes.size();
  }

  /** PID of node {@code id}'s JVM, or -1 while it is down. */
  public long pid(int id) {
    NodeProcess n = node(id);
    return n.process == null || !n.process.isAlive() ? -1 : n.process.pid();
  }

  public boolean isRunning(int id) {
    NodeProcess n = node(id);
    return n.process != null && n.process.isAlive();
  }

  public Path logFile(int id) {
    return node(id).dir.resolve(KafkaBroker.LOG_FILE);
  }

  /** {@code kill -9} of node {@code id}: no controlled shutdown, its leaderships fail over. */
  public void kill(int id) {
    NodeProcess n = node(id);
    if (n.process != null) {
      long pid = n.process.pid();
      n.process.kill();
      log.accept("kafka: node " + id + " killed (pid " + pid + ")");
    }
  }

  /** A clean shutdown of node {@code id} (SIGTERM, leaderships moved first). */
  public void stop(int id) {
    NodeProcess n = node(id);
    if (n.process != null) {
      long pid = n.process.pid();
      n.process.close();
      log.accept("kafka: node " + id + " stopped (pid " + pid + ")");
    }
  }

  /** Starts node {@code id} again on its data directory; returns once the cluster lists it. */
  public void start(int id) {
    NodeProcess n = node(id);
    if (n.process != null && n.process.isAlive()) {
      return;
    }
    long started = System.nanoTime();
    launch(n);
    awaitNodes(Set.of(id), started);
    log.accept(
        String.format(
            "kafka: node %d back in %.1f s (pid %d)",
            id, (System.nanoTime() - started) / 1e9, n.process.pid()));
  }

  private NodeProcess node(int id) {
    NodeProcess n = nodes.get(id);
    if (n == null) {
      throw new IllegalArgumentException("no node " + id + "; nodes are " + nodes.keySet());
    }
    return n;
  }

  private void launch(NodeProcess n) {
    Path properties = n.dir.resolve(KafkaBroker.SERVER_PROPERTIES);
    Path log4j = n.dir.resolve("log4j2.properties");
    n.process =
        ChildProcess.start(
            "kafka node " + n.id,
            KafkaBroker.serverCommand(maxHeap, List.of(), log4j, properties),
            n.dir,
            n.dir.resolve(KafkaBroker.LOG_FILE),
            () -> {});
  }

  /** Waits until every node in {@code ids} is up and the cluster's metadata lists it. */
  private void awaitNodes(Set<Integer> ids, long startedNanos) {
    long deadline = startedNanos + startupTimeout.toNanos();
    Exception last = null;
    while (true) {
      for (int id : ids) {
        NodeProcess n = node(id);
        if (!n.process.isAlive()) {
          throw new DeployException(
              LogTail.message(
                  "kafka node " + id + " exited during start-up with code " + n.process.exitCode(),
                  logFile(id)));
        }
      }
      if (ids.stream().allMatch(id -> FreePorts.isListening(node(id).port))) {
        try (Admin admin = admin()) {
          Set<Integer> listed =
              admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).stream()
                  .map(Node::id)
                  .collect(Collectors.toSet());
          if (listed.containsAll(ids)) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          last = e;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new DeployException("interrupted while waiting for the cluster", e);
        }
      }
      if (System.nanoTime() > deadline) {
        throw new DeployException(
            LogTail.message(
                "kafka nodes "
                    + ids
                    + " not up within "
                    + startupTimeout.toSeconds()
                    + " s"
                    + (last == null ? "" : " (last error: " + last + ")"),
                logFile(ids.iterator().next())));
      }
      try {
        TimeUnit.MILLISECONDS.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DeployException("interrupted while waiting for the cluster", e);
      }
    }
  }

  /** An admin client on every node, for callers that inspect the cluster. */
  public Admin admin() {
    Properties config = new Properties();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    return Admin.create(config);
  }

  /** Stops every node (cleanly, in reverse order), then deletes a temporary data directory. */
  @Override
  public void close() {
    List<Integer> ids = new ArrayList<>(nodes.keySet());
    for (int i = ids.size() - 1; i >= 0; i--) {
      try {
        stop(ids.get(i));
      } catch (RuntimeException e) {
        log.accept("kafka: could not stop node " + ids.get(i) + ": " + e.getMessage());
      }
    }
    if (temporary) {
      Directories.deleteRecursively(root);
    }
  }

  /** Options for {@link KafkaCluster}; every one has a default. */
  public static final class Builder {
    private int size = 3;
    private Path dataDir;
    private String maxHeap = "512m";
    private Duration startupTimeout = Duration.ofSeconds(420);
    private Consumer<String> log = line -> {};

    private Builder() {}

    /** Number of nodes, each broker and controller (default 3: a quorum that survives one loss). */
    public Builder nodes(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("a cluster needs at least one node, got " + size);
      }
      this.size = size;
      return this;
    }

    /** Where the nodes' directories go ({@code node-<id>}); kept on close. Default: temporary. */
    public Builder dataDir(Path dataDir) {
      this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
      return this;
    }

    /** Each node's {@code -Xmx} (default 512m). */
    public Builder maxHeap(String maxHeap) {
      this.maxHeap = Objects.requireNonNull(maxHeap, "maxHeap");
      return this;
    }

    public Builder startupTimeout(Duration startupTimeout) {
      this.startupTimeout = Objects.requireNonNull(startupTimeout, "startupTimeout");
      return this;
    }

    public Builder log(Consumer<String> log) {
      this.log = Objects.requireNonNull(log, "log");
      return this;
    }

    /** Formats every node with one cluster id, starts them all, returns once all are listed. */
    public KafkaCluster start() {
      boolean temporary = dataDir == null;
      Path root =
          temporary ? Directories.createTemp("dunwatch-cluster-") : Directories.create(dataDir);
      List<Integer> ports = FreePorts.pick(2 * size);
      Map<Integer, NodeProcess> nodes = new LinkedHashMap<>();
      List<String> voters = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        int id = i + 1;
        NodeProcess n =
            new NodeProcess(
                id,
                ports.get(2 * i),
                ports.get(2 * i + 1),
                Directories.create(root.resolve("node-" + id)));
        nodes.put(id, n);
        voters.add(id + "@" + FreePorts.LOOPBACK + ":" + n.controllerPort);
      }
      KafkaCluster cluster = new KafkaCluster(root, temporary, nodes, maxHeap, startupTimeout, log);
      long started = System.nanoTime();
      try {
        String clusterId = Uuid.randomUuid().toString();
        List<java.util.concurrent.CompletableFuture<Void>> formats = new ArrayList<>();
        for (NodeProcess n : nodes.values()) {
          Path logDirs = n.dir.resolve("kafka-data");
          Path properties = n.dir.resolve(KafkaBroker.SERVER_PROPERTIES);
          Path log4j = n.dir.resolve("log4j2.properties");
          write(
              properties,
              KafkaBrokerConfig.render(
                  KafkaBrokerConfig.clusterNodeProperties(
                      logDirs, n.id, n.port, n.controllerPort, String.join(",", voters), size)));
          write(log4j, KafkaBrokerConfig.log4j2Properties());
          // side by side: each is a JVM start, seconds apiece on a busy machine
          formats.add(
              java.util.concurrent.CompletableFuture.runAsync(
                  () ->
                      KafkaBroker.format(
                          n.dir, properties, log4j, clusterId, false, startupTimeout)));
        }
        for (var f : formats) {
          try {
            f.join();
          } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
          }
        }
        log.accept("kafka: starting " + size + " nodes (quorum " + String.join(",", voters) + ")");
        nodes.values().forEach(cluster::launch);
        cluster.awaitNodes(nodes.keySet(), started);
      } catch (RuntimeException e) {
        cluster.close();
        throw e;
      }
      log.accept(
          String.format(
              "kafka: cluster of %d ready at %s in %.1f s (pids %s)",
              size,
              cluster.bootstrapServers(),
              (System.nanoTime() - started) / 1e9,
              nodes.keySet().stream().map(cluster::pid).toList()));
      return cluster;
    }

    private static void write(Path file, String text) {
      try {
        Files.writeString(file, text, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new DeployException("cannot write " + file, e);
      }
    }
  }
}

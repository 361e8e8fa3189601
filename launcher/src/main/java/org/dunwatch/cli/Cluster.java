package org.dunwatch.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.dunwatch.deploy.ApicurioRegistry;
import org.dunwatch.deploy.DeployException;
import org.dunwatch.deploy.KafkaBroker;
import org.dunwatch.registry.RegistryConfig;
import org.dunwatch.registry.SchemaRegistryClient;
import org.dunwatch.schemas.TopicNames;
import org.dunwatch.schemas.Topics;

/**
 * The Kafka cluster and schema registry a command works against: the ones configured, or a real
 * broker and a real Apicurio Registry started here on loopback and stopped on close.
 */
public final class Cluster implements AutoCloseable {

  private final String bootstrapServers;
  private final String registryUrl;
  private final Map<String, String> clientProperties;
  private final SchemaRegistryClient registry;
  private final Topics topics;
  private final List<AutoCloseable> owned;

  private Cluster(
      String bootstrapServers,
      String registryUrl,
      Map<String, String> clientProperties,
      TopicNames names,
      Map<String, String> registryProps,
      List<AutoCloseable> owned) {
    this.bootstrapServers = bootstrapServers;
    this.registryUrl = registryUrl;
    this.clientProperties = clientProperties;
    Map<String, String> rp = new java.util.HashMap<>(registryProps);
    rp.put(RegistryConfig.URL, registryUrl);
    this.registry = SchemaRegistryClient.create(RegistryConfig.from(rp));
    this.topics = Topics.create(names, registry);
    this.owned = owned;
  }

  /** Connects to the configured cluster, or starts the embedded one when none is configured. */
  public static Cluster open(Settings settings, Consumer<String> progress) {
    String bootstrap = settings.get(Settings.BOOTSTRAP);
    String registryUrl = settings.get(Settings.REGISTRY);
    TopicNames names = TopicNames.from(settings.all());
    if (registryUrl != null && registryUrl.startsWith("mock://")) {
      throw new UserError(
          "mock:// registries are for unit tests only; give a real registry URL or none (embedded)");
    }
    if (bootstrap != null && registryUrl == null) {
      throw new UserError(
          "--bootstrap-servers is set but --schema-registry-url is not: a real cluster needs its registry"
              + " (or give neither to run the embedded ones)");
    }
    List<AutoCloseable> owned = new ArrayList<>();
    int kafkaPort = port(settings, EMBEDDED_KAFKA_PORT);
    int registryPort = port(settings, EMBEDDED_REGISTRY_PORT);
    CompletableFuture<ApicurioRegistry> apicurio = null;
    try {
      if (bootstrap == null) {
        apicurio =
            registryUrl == null
                ? CompletableFuture.supplyAsync(
                    () -> ApicurioRegistry.builder().port(registryPort).log(progress).start())
                : CompletableFuture.completedFuture(null);
        progress.accept("starting embedded Kafka broker (KRaft) on loopback ...");
        KafkaBroker broker = KafkaBroker.builder().port(kafkaPort).log(progress).start();
        owned.add(broker);
        bootstrap = broker.bootstrapServers();
        progress.accept("Kafka broker up at " + bootstrap + " (pid " + broker.pid() + ")");
        ApicurioRegistry reg = join(apicurio);
        apicurio = null;
        if (reg != null) {
          owned.add(reg);
          registryUrl = reg.ccompatUrl();
          progress.accept("Apicurio Registry up at " + registryUrl + " (pid " + reg.pid() + ")");
        }
      }
      return new Cluster(
          bootstrap, registryUrl, settings.kafkaClientProperties(), names, settings.all(), owned);
    } catch (DeployException e) {
      closeAll(owned);
      stopPending(apicurio);
      if (e.getMessage() != null && e.getMessage().contains("already in use")) {
        throw new UserError(
            e.getMessage()
                + ": stop what holds it, or pick another port (--kafka-port / --registry-port, 0 = any free one)",
            e);
      }
      throw e;
    } catch (RuntimeException e) {
      closeAll(owned);
      stopPending(apicurio);
      throw e;
    }
  }

  /** A registry still starting when the broker failed: wait for it and stop it, not leak it. */
  private static void stopPending(CompletableFuture<ApicurioRegistry> apicurio) {
    if (apicurio == null) {
      return;
    }
    try {
      ApicurioRegistry reg = apicurio.join();
      if (reg != null) {
        reg.close();
      }
    } catch (RuntimeException ignored) {
      // it failed to start as well; nothing to stop
    }
  }

  /** Fixed loopback ports for the embedded broker and registry; 0 or unset picks free ones. */
  public static final String EMBEDDED_KAFKA_PORT = "embedded.kafka.port";

  public static final String EMBEDDED_REGISTRY_PORT = "embedded.registry.port";

  private static int port(Settings settings, String key) {
    String v = settings.get(key);
    if (v == null) {
      return 0;
    }
    try {
      int port = Integer.parseInt(v.strip());
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new UserError(key + " must be a port number 0..65535, got " + v);
    }
  }

  private static <T> T join(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
  }

  /** The embedded broker's process, to measure what it costs; empty for an external cluster. */
  public Optional<ProcessHandle> embeddedBroker() {
    return owned.stream()
        .filter(o -> o instanceof KafkaBroker)
        .findFirst()
        .flatMap(o -> ProcessHandle.of(((KafkaBroker) o).pid()));
  }

  public boolean isEmbedded() {
    return !owned.isEmpty();
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public String registryUrl() {
    return registryUrl;
  }

  public Topics topics() {
    return topics;
  }

  public SchemaRegistryClient registry() {
    return registry;
  }

  /** Kafka client settings from {@code kafka.*} keys (security, SASL, TLS). */
  public Map<String, String> clientProperties() {
    return clientProperties;
  }

  public Admin admin() {
    Map<String, Object> p = new HashMap<>(clientProperties);
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    return Admin.create(p);
  }

  /**
   * Creates every dunwatch topic that does not exist yet, then checks that the input topics have
   * one partition count (an existing topic keeps its own).
   */
  public void ensureTopics(int partitions) {
    // On the embedded broker (a temporary data directory, gone when it stops) topics keep
    // everything: replayed files and simulated worlds carry event times from months ago, and the
    // default 7-day retention would delete them mid-run at the next retention check. On a real
    // cluster, topics that do not exist yet get the cluster's defaults.
    Map<String, String> configs =
        owned.isEmpty() ? Map.of() : Map.of("retention.ms", "-1", "retention.bytes", "-1");
    List<NewTopic> wanted = new ArrayList<>();
    for (String t : topics.inputNames()) {
      wanted.add(new NewTopic(t, partitions, (short) -1).configs(configs));
    }
    for (String t : topics.outputNames()) {
      Map<String, String> c = configs;
      if (topics.compactedNames().contains(t)) {
        // the feeds hold the latest value per key: a tombstone must remove the key, not expire it
        c = new java.util.HashMap<>(configs);
        c.put("cleanup.policy", "compact");
      }
      wanted.add(new NewTopic(t, partitions, (short) -1).configs(c));
    }
    try (Admin admin = admin()) {
      var result = admin.createTopics(wanted);
      awaitCreated(result);
      checkPartitions(admin, partitions);
    } catch (ExecutionException e) {
      throw new UserError("cannot describe the dunwatch topics: " + e.getCause().getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while creating topics", e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new UserError(
          "Kafka at " + bootstrapServers + " did not answer within " + Duration.ofSeconds(60), e);
    }
  }

  private static void awaitCreated(org.apache.kafka.clients.admin.CreateTopicsResult result)
      throws InterruptedException, java.util.concurrent.TimeoutException {
    for (var e : result.values().entrySet()) {
      try {
        e.getValue().get(60, TimeUnit.SECONDS);
      } catch (ExecutionException ex) {
        if (!(ex.getCause() instanceof TopicExistsException)) {
          throw new UserError(
              "cannot create topic " + e.getKey() + ": " + ex.getCause().getMessage(), ex);
        }
      }
    }
  }

  /**
   * Refuses input topics with different partition counts. Every detector joins records of several
   * inputs by key (calls, messages and lender facts by number) on the partition their key hashes
   * to, so that only holds when every input has the same count; Kafka Streams sizes each internal
   * repartition topic at the largest count among its sub-topology's sources, and with unequal
   * inputs the lender facts of a number land on another task than its calls: lookups come back
   * empty, silently. A topic that already exists keeps its count, whatever {@code --partitions}.
   */
  void checkPartitions(Admin admin, int wanted)
      throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
    Map<String, Integer> counts = new java.util.TreeMap<>();
    describeCreated(admin, topics.inputNames())
        .forEach((name, d) -> counts.put(name, d.partitions().size()));
    int actual = commonPartitionCount(counts);
    if (actual != wanted) {
      System.err.printf(
          "… the input topics exist with %d partitions (not %d): using %d%n",
          actual, wanted, actual);
    }
  }

  /** The one partition count of the input topics; a clear error when they differ. */
  static int commonPartitionCount(Map<String, Integer> counts) {
    if (counts.values().stream().distinct().count() > 1) {
      throw new UserError(
          "the input topics have different partition counts "
              + new java.util.TreeMap<>(counts)
              + ": dunwatch joins them by key and needs one count for all (recreate them with the"
              + " same count, or add partitions to the smaller ones before any data is written)");
    }
    return counts.values().iterator().next();
  }

  /**
   * Describes topics just created: on a cluster of several brokers the one asked may not have their
   * metadata yet for a moment, and says it does not host them.
   */
  static Map<String, org.apache.kafka.clients.admin.TopicDescription> describeCreated(
      Admin admin, List<String> names)
      throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        return admin.describeTopics(names).allTopicNames().get(60, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause()
                instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw e;
        }
        TimeUnit.MILLISECONDS.sleep(200);
      }
    }
  }

  @Override
  public void close() {
    registry.close();
    closeAll(owned);
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        System.err.println("warning: could not stop " + resources.get(i) + ": " + e.getMessage());
      }
    }
  }
}

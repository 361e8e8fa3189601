package org.dunwatch.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    try {
      if (bootstrap == null) {
        CompletableFuture<ApicurioRegistry> apicurio =
            registryUrl == null
                ? CompletableFuture.supplyAsync(
                    () -> ApicurioRegistry.builder().log(progress).start())
                : CompletableFuture.completedFuture(null);
        progress.accept("starting embedded Kafka broker (KRaft) on loopback ...");
        KafkaBroker broker = KafkaBroker.builder().log(progress).start();
        owned.add(broker);
        bootstrap = broker.bootstrapServers();
        progress.accept("Kafka broker up at " + bootstrap + " (pid " + broker.pid() + ")");
        ApicurioRegistry reg = join(apicurio);
        if (reg != null) {
          owned.add(reg);
          registryUrl = reg.ccompatUrl();
          progress.accept("Apicurio Registry up at " + registryUrl + " (pid " + reg.pid() + ")");
        }
      }
      return new Cluster(
          bootstrap, registryUrl, settings.kafkaClientProperties(), names, settings.all(), owned);
    } catch (RuntimeException e) {
      closeAll(owned);
      throw e;
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
    Map<String, Object> p = new java.util.HashMap<>(clientProperties);
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    return Admin.create(p);
  }

  /** Creates every dunwatch topic that does not exist yet. */
  public void ensureTopics(int partitions) {
    List<NewTopic> wanted = new ArrayList<>();
    for (String t : topics.inputNames()) {
      wanted.add(new NewTopic(t, partitions, (short) -1));
    }
    for (String t : topics.outputNames()) {
      wanted.add(new NewTopic(t, partitions, (short) -1));
    }
    try (Admin admin = admin()) {
      var result = admin.createTopics(wanted);
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
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while creating topics", e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new UserError(
          "Kafka at " + bootstrapServers + " did not answer within " + Duration.ofSeconds(60), e);
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

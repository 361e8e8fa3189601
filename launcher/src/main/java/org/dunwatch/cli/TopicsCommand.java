package org.dunwatch.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.dunwatch.schemas.TopicNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Topic lifecycle on an external cluster. */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    description = "Manage dunwatch's topics on an external Kafka cluster.",
    subcommands = {TopicsCommand.Create.class})
public final class TopicsCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }

  /** Creates the missing topics and sets the expected configs on existing ones. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Create every dunwatch topic (inputs, alerts, dead letters) with its partitions,"
            + " replication and configs; set the configs on topics that exist. Idempotent: run it"
            + " again and nothing changes. Topic names come from topic.* settings.",
        "Exit codes: 0 every topic as planned, 1 a topic exists with another partition count"
            + " (not changed: Kafka cannot shrink a topic, and growing one moves keys), 2 a user"
            + " error."
      })
  static final class Create implements Callable<Integer> {

    @Option(
        names = "--partitions",
        defaultValue = "" + TopicPlan.DEFAULT_PARTITIONS,
        description = "Partitions of every topic (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
        names = "--replication-factor",
        defaultValue = "" + TopicPlan.DEFAULT_REPLICATION,
        description = "Replicas of every topic (default ${DEFAULT-VALUE}).")
    short replication;

    @Option(names = "--dry-run", description = "Print the plan; change nothing.")
    boolean dryRun;

    @Mixin ClusterOptions cluster;

    @Override
    public Integer call() throws Exception {
      if (partitions < 1 || replication < 1) {
        throw new UserError("--partitions and --replication-factor must be at least 1");
      }
      Settings settings = cluster.settings();
      List<TopicPlan.Spec> plan =
          TopicPlan.of(TopicNames.from(settings.all()), partitions, replication);
      if (dryRun) {
        plan.forEach(s -> System.out.println(describe(s)));
        return 0;
      }
      try (Admin admin = admin(settings)) {
        return apply(admin, plan);
      } catch (ExecutionException | TimeoutException e) {
        throw new UserError("Kafka refused: " + (e.getCause() == null ? e : e.getCause()), e);
      }
    }

    private static int apply(Admin admin, List<TopicPlan.Spec> plan)
        throws InterruptedException, ExecutionException, TimeoutException {
      Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      List<TopicPlan.Spec> present = new ArrayList<>();
      for (TopicPlan.Spec s : plan) {
        if (existing.contains(s.name())) {
          present.add(s);
        } else {
          missing.add(new NewTopic(s.name(), s.partitions(), s.replication()).configs(s.configs()));
        }
      }
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
        missing.forEach(t -> System.out.println("created  " + t.name()));
      }
      int exit = 0;
      if (!present.isEmpty()) {
        Map<String, TopicDescription> described =
            admin
                .describeTopics(present.stream().map(TopicPlan.Spec::name).toList())
                .allTopicNames()
                .get(60, TimeUnit.SECONDS);
        Map<ConfigResource, Config> configs =
            admin.describeConfigs(resources(present)).all().get(60, TimeUnit.SECONDS);
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
        for (TopicPlan.Spec s : present) {
          int has = described.get(s.name()).partitions().size();
          if (has != s.partitions()) {
            System.out.printf(
                "MISMATCH %s has %d partitions, the plan %d: not changed%n",
                s.name(), has, s.partitions());
            exit = 1;
          }
          ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, s.name());
          List<AlterConfigOp> ops = new ArrayList<>();
          s.configs()
              .forEach(
                  (k, v) -> {
                    ConfigEntry e = configs.get(r).get(k);
                    if (e == null || !v.equals(e.value())) {
                      ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET));
                    }
                  });
          if (ops.isEmpty()) {
            System.out.println("exists   " + s.name());
          } else {
            changes.put(r, ops);
            System.out.println(
                "updated  "
                    + s.name()
                    + " "
                    + ops.stream()
                        .map(o -> o.configEntry().name() + "=" + o.configEntry().value())
                        .toList());
          }
        }
        if (!changes.isEmpty()) {
          admin.incrementalAlterConfigs(changes).all().get(60, TimeUnit.SECONDS);
        }
      }
      return exit;
    }

    private static List<ConfigResource> resources(List<TopicPlan.Spec> specs) {
      return specs.stream()
          .map(s -> new ConfigResource(ConfigResource.Type.TOPIC, s.name()))
          .toList();
    }

    private static String describe(TopicPlan.Spec s) {
      return String.format(
          "%s  partitions=%d replication=%d %s  (%s)",
          s.name(), s.partitions(), s.replication(), s.configs(), s.role());
    }
  }

  /** An admin client for the configured external cluster; a one-line error without one. */
  static Admin admin(Settings settings) {
    String bootstrap = settings.get(Settings.BOOTSTRAP);
    if (bootstrap == null) {
      throw new UserError(
          "this command works on an external cluster: give --bootstrap-servers (or"
              + " DUNWATCH_BOOTSTRAP_SERVERS)");
    }
    Map<String, Object> p = new HashMap<>(settings.kafkaClientProperties());
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
    return Admin.create(p);
  }
}

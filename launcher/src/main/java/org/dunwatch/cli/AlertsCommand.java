package org.dunwatch.cli;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.dunwatch.avro.alert.Alert;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Tails the alerts topic for whoever enforces, decoding through the schema registry. */
@Command(
    name = "alerts",
    mixinStandardHelpOptions = true,
    description =
        "Tail dunwatch.alerts.v1: a table for people, or the contract's JSON lines with --json.")
public final class AlertsCommand implements Callable<Integer> {

  @Option(names = "--json", description = "One JSON object a line (contracts.md).")
  boolean json;

  @Option(
      names = "--from-beginning",
      description = "Start at the oldest alert instead of new ones.")
  boolean fromBeginning;

  @Option(names = "--max", paramLabel = "N", description = "Stop after N alerts.")
  Long max;

  @Option(
      names = "--idle-timeout",
      paramLabel = "DURATION",
      description =
          "Stop after this long without a new alert (ISO-8601, e.g. PT10S). Default: run until Ctrl-C.")
  Duration idleTimeout;

  @Option(
      names = "--group",
      description = "Consumer group, to resume where it left off. Default: none (no commits).")
  String group;

  @Mixin ClusterOptions cluster;

  @Override
  public Integer call() {
    Settings settings = cluster.settings();
    if (settings.get(Settings.BOOTSTRAP) == null) {
      throw new UserError(
          "alerts needs a cluster: give --bootstrap-servers and --schema-registry-url"
              + " (or DUNWATCH_BOOTSTRAP_SERVERS / DUNWATCH_SCHEMA_REGISTRY_URL)");
    }
    try (Cluster c = Cluster.open(settings, m -> {})) {
      Map<String, Object> p = new HashMap<>(c.clientProperties());
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
      p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
      p.put(
          ConsumerConfig.GROUP_ID_CONFIG,
          group != null ? group : "dunwatch-alerts-" + UUID.randomUUID());
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, group != null);
      AlertPrinter printer = new AlertPrinter(System.out, json);
      AtomicBoolean stop = new AtomicBoolean();
      CountDownLatch stopped = new CountDownLatch(1);
      try (KafkaConsumer<String, byte[]> consumer =
          new KafkaConsumer<>(
              p,
              c.topics().alerts().keySerde().deserializer(),
              new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
        Thread hook =
            new Thread(
                () -> {
                  stop.set(true);
                  consumer.wakeup();
                  try {
                    stopped.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
        Runtime.getRuntime().addShutdownHook(hook);
        consumer.subscribe(List.of(c.topics().alerts().name()));
        long seen = 0;
        long lastAlert = System.nanoTime();
        try {
          while (!stop.get()) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
              try {
                Alert a =
                    c.topics()
                        .alerts()
                        .valueSerde()
                        .deserializer()
                        .deserialize(r.topic(), r.value());
                printer.print(a);
              } catch (SerializationException e) {
                System.err.printf(
                    "unreadable alert at %s-%d@%d: %s%n",
                    r.topic(), r.partition(), r.offset(), e.getMessage());
              }
              seen++;
              lastAlert = System.nanoTime();
              if (max != null && seen >= max) {
                return 0;
              }
            }
            System.out.flush();
            if (idleTimeout != null && System.nanoTime() - lastAlert > idleTimeout.toNanos()) {
              return 0;
            }
          }
        } catch (WakeupException e) {
          // Ctrl-C
        } finally {
          stopped.countDown();
          if (!stop.get()) {
            Runtime.getRuntime().removeShutdownHook(hook);
          }
        }
      }
    }
    return 0;
  }
}

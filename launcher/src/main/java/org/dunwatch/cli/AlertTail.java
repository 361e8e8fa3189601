package org.dunwatch.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.dunwatch.avro.alert.Alert;

/**
 * Follows the alerts topic from given offsets on its own thread (committed alerts only), handing
 * each alert over as it arrives.
 */
final class AlertTail implements AutoCloseable {

  private final KafkaConsumer<String, Alert> consumer;
  private final Consumer<Alert> sink;
  private final Thread thread;
  private final List<Alert> seen = new ArrayList<>();
  private final Map<TopicPartition, Long> positions = new HashMap<>();
  private volatile boolean stop;
  private volatile Exception failure;

  AlertTail(Cluster c, Map<TopicPartition, Long> from, Consumer<Alert> sink) {
    Map<String, Object> p = new HashMap<>(c.clientProperties());
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.consumer =
        new KafkaConsumer<>(
            p,
            c.topics().alerts().keySerde().deserializer(),
            c.topics().alerts().valueSerde().deserializer());
    consumer.assign(from.keySet());
    from.forEach(consumer::seek);
    this.sink = sink;
    this.thread = new Thread(this::run, "dunwatch-alert-tail");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void run() {
    try {
      while (!stop) {
        for (ConsumerRecord<String, Alert> r : consumer.poll(Duration.ofMillis(200))) {
          synchronized (this) {
            seen.add(r.value());
          }
          sink.accept(r.value());
        }
        synchronized (this) {
          for (TopicPartition tp : consumer.assignment()) {
            positions.put(tp, consumer.position(tp));
          }
          notifyAll();
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (Exception e) {
      failure = e;
    }
  }

  /** Waits until every partition has been read up to {@code ends}; false on timeout. */
  synchronized boolean awaitPositions(Map<TopicPartition, Long> ends, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (failure != null) {
        throw new UserError("reading alerts failed: " + failure.getMessage(), failure);
      }
      boolean done =
          ends.entrySet().stream()
              .allMatch(e -> positions.getOrDefault(e.getKey(), -1L) >= e.getValue());
      if (done) {
        return true;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  synchronized List<Alert> alerts() {
    return new ArrayList<>(seen);
  }

  @Override
  public void close() {
    stop = true;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    consumer.close(Duration.ofSeconds(5));
  }
}

package org.dunwatch.streams.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.schemas.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerts topic as the console's live table needs it: the latest revision of each incident, read
 * from the beginning with {@code read_committed} (an aborted transaction's alerts never show), and
 * every new revision handed to whoever subscribed. Bounded: past {@code capacity} incidents the one
 * least recently revised is forgotten (it is still in Kafka and in the API).
 *
 * <p>It assigns itself every partition rather than joining a group: each console server needs the
 * whole topic, and a group would split it between instances.
 */
public final class AlertFeed implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AlertFeed.class);

  private final int capacity;
  private final Map<String, Alert> latest;
  private final List<Consumer<Alert>> subscribers = new CopyOnWriteArrayList<>();
  private volatile org.apache.kafka.clients.consumer.Consumer<String, Alert> consumer;
  private volatile Thread thread;
  private volatile boolean closed;

  /**
   * An empty feed: subscribers may come at once (the HTTP server starts before the cluster is
   * known) and get alerts once {@link #start} is called.
   */
  public AlertFeed(int capacity) {
    this.capacity = capacity;
    this.latest = new LinkedHashMap<>(256, 0.75f, false);
  }

  /**
   * Reads {@code topic} with clients configured by {@code clientProps} (bootstrap servers and any
   * security settings), committed records only.
   */
  public AlertFeed start(Map<String, Object> clientProps, Topic<String, Alert> topic) {
    Map<String, Object> p = new HashMap<>(clientProps);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "dunwatch-console-alerts");
    return start(
        new KafkaConsumer<>(p, topic.keySerde().deserializer(), topic.valueSerde().deserializer()),
        topic.name());
  }

  /** Reads {@code topic} with {@code reader} on a thread of its own, until {@link #close}. */
  public synchronized AlertFeed start(
      org.apache.kafka.clients.consumer.Consumer<String, Alert> reader, String topic) {
    if (thread != null) {
      throw new IllegalStateException("the alert feed is already reading");
    }
    this.consumer = reader;
    this.thread = new Thread(() -> run(reader, topic), "dunwatch-alert-feed");
    this.thread.setDaemon(true);
    this.thread.start();
    return this;
  }

  /**
   * Hands {@code sink} the latest revision of every incident held now, then every new revision as
   * it is read, until the returned handle is closed. The snapshot and the live part neither miss
   * nor repeat a revision: both are taken under the same lock as the reader's updates.
   */
  public AutoCloseable subscribe(Consumer<Alert> sink) {
    List<Alert> snapshot;
    synchronized (latest) {
      snapshot = new ArrayList<>(latest.values());
      subscribers.add(sink);
    }
    snapshot.forEach(sink);
    return () -> subscribers.remove(sink);
  }

  /** How many incidents are held now. */
  public int size() {
    synchronized (latest) {
      return latest.size();
    }
  }

  /** Takes one batch of records: the latest revision of each incident is kept and passed on. */
  void accept(ConsumerRecords<String, Alert> records) {
    for (ConsumerRecord<String, Alert> r : records) {
      Alert a = r.value();
      if (a == null) {
        continue;
      }
      List<Consumer<Alert>> to;
      synchronized (latest) {
        Alert held = latest.get(a.getAlertId());
        if (held != null && revision(held) > revision(a)) {
          continue;
        }
        // re-insert so that iteration order is least recently revised first
        latest.remove(a.getAlertId());
        latest.put(a.getAlertId(), a);
        if (latest.size() > capacity) {
          String eldest = latest.keySet().iterator().next();
          latest.remove(eldest);
        }
        to = List.copyOf(subscribers);
      }
      for (Consumer<Alert> s : to) {
        try {
          s.accept(a);
        } catch (RuntimeException e) {
          // a browser that went away must not stop the feed for the others
          subscribers.remove(s);
        }
      }
    }
  }

  private static int revision(Alert a) {
    return a.getRevision() == null ? 1 : a.getRevision();
  }

  private void run(
      org.apache.kafka.clients.consumer.Consumer<String, Alert> consumer, String topic) {
    try {
      List<TopicPartition> parts = new ArrayList<>();
      while (parts.isEmpty() && !closed) {
        for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(10))) {
          parts.add(new TopicPartition(p.topic(), p.partition()));
        }
        if (parts.isEmpty()) {
          // the topic is created by the app at its start; wait for it
          Thread.sleep(1000);
        }
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      while (!closed) {
        accept(consumer.poll(Duration.ofMillis(500)));
      }
    } catch (WakeupException e) {
      // closing
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      if (!closed) {
        LOG.error("alert feed stopped: {}", e.toString());
      }
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (thread == null) {
      return;
    }
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

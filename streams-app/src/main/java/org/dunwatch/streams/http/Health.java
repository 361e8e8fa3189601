package org.dunwatch.streams.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.dunwatch.streams.metrics.Restoration;

/**
 * Whether the application is alive (worth keeping: its process and stream threads run) and ready
 * (processing: state RUNNING, nothing left to restore), with the reason when it is not.
 */
public final class Health {

  /** An answer: healthy or not, and a body that says why. */
  public record Status(boolean ok, Map<String, Object> body) {}

  private static final Set<KafkaStreams.State> DEAD =
      Set.of(
          KafkaStreams.State.ERROR,
          KafkaStreams.State.PENDING_ERROR,
          KafkaStreams.State.NOT_RUNNING,
          KafkaStreams.State.PENDING_SHUTDOWN);

  private final KafkaStreams streams;
  private final Restoration restoration;

  public Health(KafkaStreams streams, Restoration restoration) {
    this.streams = streams;
    this.restoration = restoration;
  }

  /** Alive: not stopped or failed, and no stream thread dead while the client runs. */
  public Status live() {
    KafkaStreams.State state = streams.state();
    Map<String, String> threads = threads();
    String reason = null;
    if (DEAD.contains(state)) {
      reason = "Kafka Streams is " + state;
    } else if (threads.containsValue("DEAD")) {
      reason = "a stream thread is DEAD";
    }
    return status(reason, state, threads, null);
  }

  /** Ready: RUNNING with every assigned store restored. */
  public Status ready() {
    Status live = live();
    if (!live.ok()) {
      return live;
    }
    KafkaStreams.State state = streams.state();
    Map<String, Long> restoring = restoration.inProgress();
    String reason = null;
    if (state != KafkaStreams.State.RUNNING) {
      reason = "Kafka Streams is " + state + ", not RUNNING";
    } else if (!restoring.isEmpty()) {
      reason = "restoring " + restoring.size() + " state store(s)";
    }
    return status(reason, state, threads(), restoring);
  }

  private static Status status(
      String reason,
      KafkaStreams.State state,
      Map<String, String> threads,
      Map<String, Long> restoring) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", reason == null ? "UP" : "DOWN");
    if (reason != null) {
      body.put("reason", reason);
    }
    body.put("state", state.name());
    body.put("threads", threads);
    if (restoring != null) {
      body.put("restoring", restoring);
    }
    return new Status(reason == null, body);
  }

  private Map<String, String> threads() {
    Map<String, String> threads = new TreeMap<>();
    try {
      for (ThreadMetadata t : streams.metadataForLocalThreads()) {
        threads.put(t.threadName(), t.threadState());
      }
    } catch (IllegalStateException e) {
      // not started yet, or closed: the client state says which
    }
    return threads;
  }
}

package org.dunwatch.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;
import org.dunwatch.producers.ingest.RecordSink;

/**
 * Holds the sinks of a replay at most one slice of event time ahead of what the application has
 * committed ({@link Slicer} says why): before the first record of a new slice is sent, every sink
 * is flushed and the gate waits until the slice before the one just completed is processed. {@code
 * dunwatch eval} does the same for a simulated world in {@link WorldRun}.
 */
final class SliceGate {

  /** Where the gate reads positions and waits; the cluster in a replay, a fake one in tests. */
  interface Progress {
    /** The input topics' ends now, after a flush: where the slice just completed ends. */
    Map<TopicPartition, Long> ends() throws Exception;

    /** Blocks until the application has committed {@code targets}. */
    void awaitCommitted(Map<TopicPartition, Long> targets) throws Exception;
  }

  private final Slicer slicer;
  private final Progress progress;
  private final List<RecordSink<?, ?>> sinks = new ArrayList<>();
  private Map<TopicPartition, Long> previous;
  private long slices;
  private long waitedNanos;

  SliceGate(Duration span, int minEvents, Progress progress) {
    this.slicer = new Slicer(span, minEvents);
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  /** {@code sink}, sending through this gate. */
  <K, V> RecordSink<K, V> wrap(RecordSink<K, V> sink) {
    sinks.add(sink);
    return new RecordSink<>() {
      @Override
      public void send(K key, V value, Instant eventTime) {
        before(eventTime);
        sink.send(key, value, eventTime);
      }

      @Override
      public void flush() {
        sink.flush();
      }
    };
  }

  /** Slices completed so far. */
  long slices() {
    return slices;
  }

  /** Time spent waiting for the application, in total. */
  Duration waited() {
    return Duration.ofNanos(waitedNanos);
  }

  private void before(Instant eventTime) {
    if (!slicer.closesBefore(eventTime)) {
      return;
    }
    long start = System.nanoTime();
    sinks.forEach(RecordSink::flush);
    try {
      if (previous != null) {
        progress.awaitCommitted(previous);
      }
      previous = progress.ends();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while waiting for the application", e);
    } catch (UserError e) {
      throw e;
    } catch (Exception e) {
      throw new UserError("cannot read the application's progress: " + e.getMessage(), e);
    }
    slices++;
    waitedNanos += System.nanoTime() - start;
  }
}

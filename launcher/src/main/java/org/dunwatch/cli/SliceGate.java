package org.dunwatch.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.dunwatch.producers.ingest.RecordSink;

/**
 * Holds a producer at most one slice of event time ahead of what the application has committed
 * ({@link Slicer} says why): before the first record of a new slice is sent, everything sent is
 * flushed and the gate waits until the slice before the one just completed is processed. {@code
 * replay} sends its files through it, {@link WorldRun} ({@code eval}, {@code demo}) a simulated
 * world.
 */
final class SliceGate {

  /** A slice is at least this many events, so that sparse stretches do not wait on every one. */
  static final int MIN_EVENTS = 100;

  /** Where the gate reads positions and waits; the cluster, or a fake one in tests. */
  interface Progress {
    /** The input topics' ends now, after a flush: where the slice just completed ends. */
    Map<TopicPartition, Long> ends() throws Exception;

    /** Blocks until the application has committed {@code targets}. */
    void awaitCommitted(Map<TopicPartition, Long> targets) throws Exception;
  }

  private final Slicer slicer;
  private final Progress progress;
  private final List<Runnable> flushes = new ArrayList<>();
  private Map<TopicPartition, Long> previous;
  private long slices;
  private long waitedNanos;

  SliceGate(Duration span, int minEvents, Progress progress) {
    this.slicer = new Slicer(span, minEvents);
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  /**
   * A gate on {@code runner}'s application: the input topics' ends through {@code admin}, each wait
   * up to {@code timeout}.
   */
  static SliceGate following(StreamsRunner runner, Admin admin, Duration span, Duration timeout) {
    return new SliceGate(
        span,
        MIN_EVENTS,
        new Progress() {
          @Override
          public Map<TopicPartition, Long> ends() throws Exception {
            return StreamsRunner.endOffsets(admin, runner.inputs());
          }

          @Override
          public void awaitCommitted(Map<TopicPartition, Long> targets) throws Exception {
            runner.awaitCommitted(admin, targets, timeout, m -> {}, 20);
          }
        });
  }

  /** Runs {@code flush} at every boundary, before the gate reads where the slice ends. */
  void flushing(Runnable flush) {
    flushes.add(flush);
  }

  /** {@code sink}, sending through this gate. */
  <K, V> RecordSink<K, V> wrap(RecordSink<K, V> sink) {
    flushing(sink::flush);
    return new RecordSink<>() {
      @Override
      public void send(K key, V value, Instant eventTime) {
        before(eventTime);
        sink.send(key, value, eventTime);
      }

      @Override
      public void send(K key, V value, Instant eventTime, Consumer<Exception> failed) {
        before(eventTime);
        sink.send(key, value, eventTime, failed);
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

  /** Called before a record of {@code eventTime} is sent; waits when it opens a new slice. */
  void before(Instant eventTime) {
    if (!slicer.closesBefore(eventTime)) {
      return;
    }
    long start = System.nanoTime();
    flushes.forEach(Runnable::run);
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

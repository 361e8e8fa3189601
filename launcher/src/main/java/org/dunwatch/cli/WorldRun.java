package org.dunwatch.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.producers.sim.SimEvent;
import org.dunwatch.producers.sim.SimulatedWorld;
import org.dunwatch.streams.rules.Rules;

/**
 * One simulated world through the real topology on a cluster: a fresh application, the world
 * produced at a given rate while the streams run, a wait until every event is processed and every
 * alert read back. {@code dunwatch demo} watches it live; {@code dunwatch eval} scores it.
 */
final class WorldRun {

  /** What a run produced, processed and raised. */
  record Outcome(
      SimulatedTraffic.Figures figures,
      long produced,
      long processed,
      Long deadLetters,
      List<Alert> alerts,
      boolean stopped,
      Instant reached) {}

  /** Progress a run reports once a second. */
  record Status(Instant eventTime, long produced, long processed, long alerts, int incidents) {
    String describe() {
      return String.format(
          "event time %s · produced %d · processed %d · alerts %d (%d incidents)",
          eventTime == null ? "-" : eventTime.toString().substring(0, 16) + "Z",
          produced,
          processed,
          alerts,
          incidents);
    }
  }

  private final Cluster cluster;
  private final Rules rules;
  private final double rate;
  private final Duration timeout;
  private final BooleanSupplier stopping;
  private final Duration slice;
  private HttpOptions.Endpoint http = HttpOptions.Endpoint.NONE;

  /** Given the outcome while the streams are still up; null: close at once. */
  private Consumer<Outcome> beforeClose;

  /**
   * With a {@code slice} (of event time; null or zero: all at once), the world is produced at most
   * one slice ahead of what the application has processed and committed ({@link Slicer} says why).
   */
  WorldRun(
      Cluster cluster,
      Rules rules,
      double rate,
      Duration timeout,
      BooleanSupplier stopping,
      Duration slice) {
    this.cluster = cluster;
    this.rules = rules;
    this.rate = rate;
    this.timeout = timeout;
    this.stopping = stopping;
    this.slice = slice == null || slice.isZero() ? null : slice;
  }

  /**
   * Serves the running application's metrics, health and, with tokens, the query API on {@code
   * endpoint} (demo).
   */
  WorldRun serving(HttpOptions.Endpoint endpoint) {
    this.http = endpoint;
    return this;
  }

  /**
   * Keeps the streams up for the query API: {@code beforeClose} gets the outcome of a run that was
   * not stopped, and the streams close only when it returns ({@code demo --serve}).
   */
  WorldRun keepingUp(Consumer<Outcome> beforeClose) {
    this.beforeClose = beforeClose;
    return this;
  }

  /**
   * Runs the world. Alerts reach {@code onAlert} as they are read; {@code onStatus} gets progress
   * once a second. When {@code stopping} turns true the streams are closed and the outcome covers
   * what had been produced, with {@link Outcome#stopped()} set.
   */
  Outcome run(
      SimulatedWorld world,
      String appPrefix,
      Consumer<String> progress,
      Consumer<Alert> onAlert,
      Consumer<Status> onStatus)
      throws Exception {
    cluster.ensureTopics(3);
    String appId = appPrefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    Map<TopicPartition, Long> inputFrom;
    Map<TopicPartition, Long> alertsFrom;
    Map<TopicPartition, Long> dlqFrom;
    try (Admin admin = cluster.admin()) {
      inputFrom = StreamsRunner.endOffsets(admin, cluster.topics().inputNames());
      alertsFrom = StreamsRunner.endOffsets(admin, List.of(cluster.topics().alerts().name()));
      dlqFrom = StreamsRunner.endOffsets(admin, List.of(cluster.topics().dlq().name()));
    }
    Path stateDir = Files.createTempDirectory(appPrefix + "-state");
    AtomicLong processed = new AtomicLong();
    AtomicLong alertCount = new AtomicLong();
    Set<String> incidents = ConcurrentHashMap.newKeySet();
    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(daemon(appPrefix + "-progress"));
    try (StreamsRunner runner =
            new StreamsRunner(cluster, rules, appId, stateDir, true, http.streamsSettings());
        AlertTail tail =
            new AlertTail(
                cluster,
                alertsFrom,
                a -> {
                  alertCount.incrementAndGet();
                  incidents.add(a.getAlertId());
                  onAlert.accept(a);
                });
        SimulatedTraffic traffic = new SimulatedTraffic(cluster, rate);
        Admin admin = cluster.admin()) {
      runner.serve(http, QueryApi.routes(runner.streams(), http, rules, cluster), progress);
      runner.start();
      tail.start();
      progress.accept("streams started (application " + appId + "); producing the simulated world");
      ticker.scheduleAtFixedRate(
          () -> {
            try {
              processed.set(processed(admin, appId, inputFrom));
            } catch (Exception e) {
              // progress is best effort; the final wait reports real problems
            }
            SimulatedTraffic.Figures f = traffic.figures();
            onStatus.accept(
                new Status(
                    f.lastEventTime,
                    f.events(),
                    processed.get(),
                    alertCount.get(),
                    incidents.size()));
          },
          1,
          1,
          TimeUnit.SECONDS);

      SliceGate gate = slice == null ? null : SliceGate.following(runner, admin, slice, timeout);
      if (gate != null) {
        gate.flushing(traffic::flush);
      }
      for (Iterator<SimEvent> it = world.events(); it.hasNext() && !stopping.getAsBoolean(); ) {
        SimEvent e = it.next();
        if (gate != null) {
          gate.before(e.time());
        }
        traffic.send(e);
      }
      if (stopping.getAsBoolean()) {
        ticker.shutdownNow();
        runner.streams().close(Duration.ofSeconds(10));
        return new Outcome(
            traffic.figures(),
            traffic.figures().events(),
            processed.get(),
            null,
            tail.alerts(),
            true,
            traffic.figures().lastEventTime);
      }
      traffic.flush();
      long produced = traffic.figures().events();
      boolean caughtUp = awaitProcessed(admin, appId, inputFrom, runner, written(admin, inputFrom));
      if (caughtUp) {
        runner.awaitDrained(admin, timeout);
        runner.awaitQuiet(admin, List.of(cluster.topics().alerts().name()), timeout);
        Map<TopicPartition, Long> alertsTo =
            StreamsRunner.endOffsets(admin, List.of(cluster.topics().alerts().name()));
        if (!tail.awaitPositions(alertsTo, Duration.ofSeconds(60))) {
          throw new UserError("timed out reading the alerts back from " + alertsTo);
        }
      }
      ticker.shutdownNow();
      long deadLetters = 0;
      Map<TopicPartition, Long> dlqTo =
          StreamsRunner.endOffsets(admin, List.of(cluster.topics().dlq().name()));
      for (var e : dlqTo.entrySet()) {
        deadLetters += e.getValue() - dlqFrom.getOrDefault(e.getKey(), 0L);
      }
      Outcome outcome =
          new Outcome(
              traffic.figures(),
              produced,
              processed(admin, appId, inputFrom),
              deadLetters,
              tail.alerts(),
              !caughtUp,
              traffic.figures().lastEventTime);
      if (beforeClose != null && !outcome.stopped()) {
        beforeClose.accept(outcome);
      }
      return outcome;
    } finally {
      ticker.shutdownNow();
      ReplayCommand.deleteRecursively(stateDir);
    }
  }

  /**
   * Waits until the application has processed (committed) {@code total} records since {@code from}
   * (or stop / timeout).
   */
  private boolean awaitProcessed(
      Admin admin, String appId, Map<TopicPartition, Long> from, StreamsRunner runner, long total)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!stopping.getAsBoolean()) {
      runner.checkRunning();
      if (processed(admin, appId, from) >= total) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        throw new UserError(
            "timed out after "
                + timeout
                + " waiting for the topology to process the world (raise --timeout)");
      }
      Thread.sleep(200);
    }
    return false;
  }

  /** Records written to the input topics since {@code from}, by this run or anyone else. */
  private static long written(Admin admin, Map<TopicPartition, Long> from) throws Exception {
    Map<TopicPartition, Long> ends =
        StreamsRunner.endOffsets(
            admin, from.keySet().stream().map(TopicPartition::topic).distinct().toList());
    long total = 0;
    for (var e : ends.entrySet()) {
      total += e.getValue() - from.getOrDefault(e.getKey(), 0L);
    }
    return total;
  }

  /** Records processed since {@code from}: the application's committed input offsets. */
  private static long processed(Admin admin, String appId, Map<TopicPartition, Long> from)
      throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed = StreamsRunner.committed(admin, appId);
    long done = 0;
    for (var e : from.entrySet()) {
      OffsetAndMetadata c = committed.get(e.getKey());
      if (c != null) {
        done += Math.max(0, c.offset() - e.getValue());
      }
    }
    return done;
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}

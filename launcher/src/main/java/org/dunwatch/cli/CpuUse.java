package org.dunwatch.cli;

import java.time.Duration;
import java.util.Optional;

/**
 * CPU the bench's processes used while a phase ran, in cores (CPU seconds per wall second): this
 * JVM (stream threads, producers, the JIT) and the embedded broker. A phase that uses well under
 * the machine's cores is waiting, not computing, and more CPU per record would not show.
 */
final class CpuUse {

  /**
   * What was used from the start to one moment, read once: {@code broker} is empty for an external
   * cluster.
   */
  record Spent(Duration wall, Duration app, Optional<Duration> broker) {

    double appCores() {
      return cores(app);
    }

    /** NaN for an external broker. */
    double brokerCores() {
      return broker.map(this::cores).orElse(Double.NaN);
    }

    private double cores(Duration used) {
      return wall.isZero() ? Double.NaN : used.toNanos() / (double) wall.toNanos();
    }
  }

  private final Optional<ProcessHandle> broker;
  private final long startNanos;
  private final Duration appStart;
  private final Duration brokerStart;

  private CpuUse(Optional<ProcessHandle> broker) {
    this.broker = broker;
    this.startNanos = System.nanoTime();
    this.appStart = cpu(Optional.of(ProcessHandle.current()));
    this.brokerStart = cpu(broker);
  }

  /** Starts measuring now. */
  static CpuUse since(Optional<ProcessHandle> broker) {
    return new CpuUse(broker);
  }

  /** What was used since the start, as of now. */
  Spent spent() {
    return new Spent(
        Duration.ofNanos(System.nanoTime() - startNanos),
        cpu(Optional.of(ProcessHandle.current())).minus(appStart),
        broker.map(b -> cpu(broker).minus(brokerStart)));
  }

  /** Total CPU time of a process, zero when the platform does not report it. */
  static Duration cpu(Optional<ProcessHandle> p) {
    return p.flatMap(h -> h.info().totalCpuDuration()).orElse(Duration.ZERO);
  }
}

package org.dunwatch.cli;

import java.time.Duration;
import java.util.Optional;

/**
 * CPU the bench's processes used while a phase ran, in cores (CPU seconds per wall second): this
 * JVM (stream threads, producers, the JIT) and the embedded broker. A phase that uses well under
 * the machine's cores is waiting, not computing, and more CPU per record would not show.
 */
final class CpuUse {

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

  /** Cores used by this JVM since the start. */
  double appCores() {
    return cores(appUsed());
  }

  /** Cores used by the embedded broker since the start; NaN for an external one. */
  double brokerCores() {
    return broker.isEmpty() ? Double.NaN : cores(brokerUsed());
  }

  Duration appUsed() {
    return cpu(Optional.of(ProcessHandle.current())).minus(appStart);
  }

  Duration brokerUsed() {
    return cpu(broker).minus(brokerStart);
  }

  private double cores(Duration used) {
    long wall = System.nanoTime() - startNanos;
    return wall <= 0 ? Double.NaN : used.toNanos() / (double) wall;
  }

  /** Total CPU time of a process, zero when the platform does not report it. */
  static Duration cpu(Optional<ProcessHandle> p) {
    return p.flatMap(h -> h.info().totalCpuDuration()).orElse(Duration.ZERO);
  }
}

package org.dunwatch.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CpuUseTest {

  /** Burns this thread's CPU until it has used {@code ms} of it. */
  private static long spin(long ms) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long until = threads.getCurrentThreadCpuTime() + ms * 1_000_000;
    long x = 0;
    while (threads.getCurrentThreadCpuTime() < until) {
      x += Long.numberOfTrailingZeros(x + 1);
    }
    return x;
  }

  @Test
  void shouldCountTheCpuThisJvmAndTheWatchedProcessUsedSinceTheStart() {
    CpuUse cpu = CpuUse.since(Optional.of(ProcessHandle.current()));
    spin(300);
    CpuUse.Spent spent = cpu.spent();
    Duration app = spent.app();
    assertTrue(app.toMillis() >= 280, "app used " + app);
    assertTrue(
        spent.broker().orElseThrow().toMillis() >= 280, "watched process used " + spent.broker());
    double cores = spent.appCores();
    assertTrue(
        cores > 0 && cores <= Runtime.getRuntime().availableProcessors() + 0.5, "cores " + cores);
  }

  @Test
  void shouldReportNoBrokerFigureForAnExternalCluster() {
    assertTrue(Double.isNaN(CpuUse.since(Optional.empty()).spent().brokerCores()));
  }
}

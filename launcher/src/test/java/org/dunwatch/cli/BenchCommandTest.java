package org.dunwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The bench's arguments and arithmetic; its figures come from running it (README). */
class BenchCommandTest {

  @Test
  void shouldRefuseALatencyLoadOutsideZeroToTwoBeforeStartingAnything() {
    for (String load : List.of("0", "-0.5", "2.5", "NaN")) {
      Cli.Run run = Cli.run("bench", "--latency-load", load);
      assertEquals(2, run.exit(), load + ": " + run.err());
      assertTrue(run.err().contains("--latency-load must be above 0 and at most 2"), run.err());
    }
  }

  @Test
  void shouldRefuseALatencyRateBelowOneEventASecondBeforeStartingAnything() {
    for (String rate : List.of("0", "-5", "0.5", "NaN", "2e6")) {
      Cli.Run run = Cli.run("bench", "--latency-rate", rate);
      assertEquals(2, run.exit(), rate + ": " + run.err());
      assertTrue(run.err().contains("--latency-rate must be 1 to 1,000,000 events/s"), run.err());
      assertTrue(!run.err().contains("starting embedded"), run.err());
    }
  }

  @Test
  void shouldTakeTheNearestRankPercentile() {
    List<Long> sorted = List.of(10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L, 100L);
    assertEquals(50L, BenchCommand.percentile(sorted, 50));
    assertEquals(100L, BenchCommand.percentile(sorted, 95));
    assertEquals(10L, BenchCommand.percentile(sorted, 1));
    assertEquals(-1L, BenchCommand.percentile(List.of(), 50));
  }
}

package org.dunwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code dunwatch bench} end to end on its own real broker and registry, with a world small enough
 * for CI: every phase runs and reports its figures. The figures themselves are the machine's; what
 * is asserted is that they are there and consistent with each other, not how fast anything was.
 */
class BenchIT {

  @Test
  void shouldMeasureEveryPhaseAndReportRatesCpuThreadTimeLatencyAndState() throws Exception {
    Cli.Run run =
        Cli.run(
            "bench",
            "--subscribers",
            "300",
            "--days",
            "1",
            "--latency-duration",
            "PT5S",
            "--baseline-records",
            "20000",
            "--json");

    assertEquals(0, run.exit(), run.err() + run.out());
    JsonNode f = new ObjectMapper().readTree(run.out());
    assertTrue(f.path("preload_events").asLong() > 1000, run.out());
    // the baselines read the calls, copied whole, at least up to --baseline-records
    long baseline = f.path("baseline_records").asLong();
    long calls = f.path("preload_calls").asLong();
    assertTrue(baseline >= 20000 && baseline % calls == 0, baseline + " of " + calls + " calls");
    for (String rate :
        List.of(
            "consume_records_per_s",
            "count_records_per_s",
            "dunwatch_eos_records_per_s",
            "dunwatch_alos_records_per_s",
            "warm_up_count_records_per_s",
            "warm_up_eos_records_per_s")) {
      assertTrue(f.path(rate).asDouble() > 0, rate + " in " + run.out());
    }
    assertEquals(
        Runtime.version().toString(), f.path("java").asText(), "the JVM the figures are for");
    assertEquals(
        f.path("dunwatch_eos_records_per_s").asDouble() / f.path("count_records_per_s").asDouble(),
        f.path("ratio_eos_to_count").asDouble(),
        0.006);

    for (String phase : List.of("count", "alos", "eos", "latency")) {
      assertTrue(f.path(phase + "_cpu_us_per_record").asDouble() > 0, phase);
      assertTrue(f.path(phase + "_cpu_cores_broker").asDouble() > 0, phase + ": embedded broker");
      double sum = 0;
      for (String what : BenchCommand.THREAD_TIME) {
        double r = f.path(phase + "_thread_" + what + "_ratio").asDouble(-1);
        assertTrue(r >= 0 && r <= 1, phase + " " + what + " ratio " + r);
        sum += r;
      }
      // the four are most of a stream thread's time; the rest is between them
      assertTrue(sum > 0.5 && sum < 1.1, phase + " thread time adds up to " + sum);
    }

    // the full topology writes changelogs and repartitions; the count only its changelog
    assertTrue(f.path("eos_changelog_appends_per_input").asDouble() > 1, run.out());
    assertTrue(f.path("eos_repartition_appends_per_input").asDouble() > 1, run.out());
    assertEquals(0.0, f.path("count_repartition_appends_per_input").asDouble());

    assertTrue(f.path("latency_events").asLong() > 0, run.out());
    assertTrue(
        f.path("latency_history_events").asLong() > 0,
        "the live world's history (loans opened before its start) goes first, unmeasured");
    assertTrue(f.path("latency_alerts").asLong() > 0, "the live world's scenarios raise alerts");
    long p50 = f.path("latency_p50_ms").asLong();
    long p95 = f.path("latency_p95_ms").asLong();
    long p99 = f.path("latency_p99_ms").asLong();
    assertTrue(0 < p50 && p50 <= p95 && p95 <= p99, p50 + " " + p95 + " " + p99);
    assertTrue(f.path("latency_event_time_per_wall_time").asLong() > 1, run.out());
    assertEquals(120_000, f.path("policy_join_window_ms").asLong());
    assertTrue(f.path("state_disk_bytes").asLong() > 0, run.out());

    assertTrue(run.out().isBlank() || run.out().trim().startsWith("{"), "only JSON on stdout");
  }

  @Test
  void shouldPrintTheTableOfTheSubsetOfPhasesThatRan() {
    Cli.Run run =
        Cli.run(
            "bench",
            "--subscribers",
            "300",
            "--days",
            "1",
            "--phases",
            "count",
            "--no-warm-up",
            "--baseline-records",
            "20000");

    assertEquals(0, run.exit(), run.err() + run.out());
    assertTrue(run.out().contains("(2) groupByKey().count() on calls (baseline)"), run.out());
    assertTrue(run.out().contains("Java " + Runtime.version()), run.out());
    assertTrue(run.out().contains("read the calls copied again and again"), run.out());
    assertFalse(run.out().contains("latency at"), "no latency phase ran: " + run.out());
  }
}

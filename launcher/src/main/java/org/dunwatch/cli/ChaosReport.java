package org.dunwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.dunwatch.producers.sim.LabelMatcher;

/** The chaos runs side by side: each fault's alerts against the fault-free run's. */
final class ChaosReport {

  /** One run's line. */
  record Line(ChaosRun.Result run, AlertDiff diff, int found, int injected) {}

  private final ChaosRun.Result baseline;
  private final int baselineFound;
  private final int injected;
  private final List<Line> lines;
  private final double elapsedSeconds;

  private ChaosReport(
      ChaosRun.Result baseline,
      int baselineFound,
      int injected,
      List<Line> lines,
      double elapsedSeconds) {
    this.baseline = baseline;
    this.baselineFound = baselineFound;
    this.injected = injected;
    this.lines = lines;
    this.elapsedSeconds = elapsedSeconds;
  }

  /** {@code results}: the fault-free run first. */
  static ChaosReport of(List<ChaosRun.Result> results, LabelMatcher matcher, double seconds) {
    ChaosRun.Result baseline = results.get(0);
    int[] base = found(baseline, matcher);
    List<Line> lines = new ArrayList<>();
    for (ChaosRun.Result r : results.subList(1, results.size())) {
      int[] f = found(r, matcher);
      lines.add(new Line(r, AlertDiff.of(baseline.alerts(), r.alerts()), f[0], f[1]));
    }
    return new ChaosReport(baseline, base[0], base[1], lines, seconds);
  }

  /** Found and injected scenarios, over every alert type. */
  private static int[] found(ChaosRun.Result r, LabelMatcher matcher) {
    int found = 0;
    int injected = 0;
    for (EvalReport.Row row : EvalReport.of(r.alerts(), matcher).rows().values()) {
      found += row.found();
      injected += row.injected();
    }
    return new int[] {found, injected};
  }

  /** Every fault run lost, duplicated and changed nothing. */
  boolean clean() {
    return lines.stream().allMatch(l -> l.diff().clean());
  }

  List<String> table() {
    List<String> out = new ArrayList<>();
    out.add(
        String.format(
            "%-16s %7s %5s %5s %5s %9s %9s %8s",
            "RUN", "ALERTS", "LOST", "DUP", "DIFF", "FOUND", "RECOVERY", "ELAPSED"));
    out.add(
        String.format(
            "%-16s %7d %5s %5s %5s %9s %9s %7.0fs",
            "no fault",
            baseline.alerts().size(),
            "-",
            "-",
            "-",
            baselineFound + "/" + injected,
            "-",
            baseline.elapsedSeconds()));
    for (Line l : lines) {
      out.add(
          String.format(
              "%-16s %7d %5d %5d %5d %9s %9s %7.0fs",
              l.run().fault(),
              l.run().alerts().size(),
              l.diff().lost(),
              l.diff().duplicated(),
              l.diff().different(),
              l.found() + "/" + l.injected(),
              l.run().recoverySeconds() == null ? "-" : l.run().recoverySeconds() + " s",
              l.run().elapsedSeconds()));
    }
    out.add("");
    out.add(
        "lost/dup/diff: alerts (alert_id, revision) of the fault-free run missing, repeated, or with"
            + " another type, victim, subject or evidence (extra ones count as different);");
    out.add(
        "recovery: from the fault until the instances had committed everything produced before"
            + " it; found: injected scenarios detected.");
    for (Line l : lines) {
      l.run().notes().forEach(n -> out.add(l.run().fault() + ": " + n));
      l.diff().examples().forEach(e -> out.add(l.run().fault() + ": " + e));
    }
    out.add(String.format("elapsed: %.0f s; %s", elapsedSeconds, clean() ? "OK" : "NOT EQUAL"));
    return out;
  }

  ObjectNode toJson(ObjectMapper mapper) {
    ObjectNode root = mapper.createObjectNode();
    ObjectNode b = root.putObject("baseline");
    b.put("alerts", baseline.alerts().size());
    b.put("found", baselineFound);
    b.put("injected", injected);
    b.put("elapsed_seconds", round(baseline.elapsedSeconds()));
    ArrayNode runs = root.putArray("runs");
    for (Line l : lines) {
      ObjectNode r = runs.addObject();
      r.put("fault", l.run().fault());
      r.put("lost", l.diff().lost());
      r.put("duplicated", l.diff().duplicated());
      r.put("different", l.diff().different());
      r.put("extra", l.diff().extra());
      if (l.run().recoverySeconds() == null) {
        r.putNull("recovery_seconds");
      } else {
        r.put("recovery_seconds", l.run().recoverySeconds());
      }
      r.put("found", l.found());
      r.put("injected", l.injected());
      r.put("alerts", l.run().alerts().size());
      r.put("elapsed_seconds", round(l.run().elapsedSeconds()));
      ArrayNode notes = r.putArray("notes");
      l.run().notes().forEach(notes::add);
      ArrayNode examples = r.putArray("examples");
      l.diff().examples().forEach(examples::add);
    }
    root.put("ok", clean());
    root.put("elapsed_seconds", round(elapsedSeconds));
    return root;
  }

  private static double round(double seconds) {
    return Math.round(seconds * 10) / 10.0;
  }
}

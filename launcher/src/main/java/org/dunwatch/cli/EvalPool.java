package org.dunwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dunwatch.avro.alert.AlertType;

/**
 * Several worlds' reports ({@code eval --seeds}): per alert type the figures pooled over every
 * world (counts summed, time to detect over every found scenario) and the worst world of the type.
 */
final class EvalPool {

  /** The world where a type did worst: the lower of its precision and recall is the lowest. */
  record Worst(long seed, double precision, double recall) {
    double score() {
      return Math.min(Double.isNaN(precision) ? 1 : precision, Double.isNaN(recall) ? 1 : recall);
    }
  }

  private final List<Long> seeds;
  private final List<EvalReport> reports;
  private final Map<AlertType, EvalReport.Row> pooled = new LinkedHashMap<>();
  private final Map<AlertType, Worst> worst = new EnumMap<>(AlertType.class);

  EvalPool(List<Long> seeds, List<EvalReport> reports) {
    if (seeds.size() != reports.size() || seeds.isEmpty()) {
      throw new IllegalArgumentException("one report per seed, at least one");
    }
    this.seeds = List.copyOf(seeds);
    this.reports = List.copyOf(reports);
    for (AlertType t : AlertType.values()) {
      int injected = 0;
      int found = 0;
      int incidents = 0;
      int fps = 0;
      boolean any = false;
      List<Duration> ttd = new ArrayList<>();
      for (int i = 0; i < reports.size(); i++) {
        EvalReport.Row r = reports.get(i).rows().get(t);
        if (r == null) {
          continue;
        }
        any = true;
        injected += r.injected();
        found += r.found();
        incidents += r.incidents();
        fps += r.falsePositives();
        ttd.addAll(reports.get(i).timesToDetect().getOrDefault(t, List.of()));
        Worst w = new Worst(seeds.get(i), r.precision(), r.recall());
        Worst before = worst.get(t);
        if (before == null || w.score() < before.score()) {
          worst.put(t, w);
        }
      }
      if (any) {
        pooled.put(
            t,
            new EvalReport.Row(
                t,
                injected,
                found,
                injected - found,
                incidents,
                fps,
                EvalReport.percentile(ttd, 0.5),
                EvalReport.percentile(ttd, 0.95)));
      }
    }
  }

  Map<AlertType, EvalReport.Row> pooled() {
    return pooled;
  }

  Map<AlertType, Worst> worst() {
    return worst;
  }

  /** {@link EvalReport#below} of every world, each line naming its seed. */
  List<String> below(double min) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < reports.size(); i++) {
      for (String b : reports.get(i).below(min)) {
        out.add("seed " + seeds.get(i) + ": " + b);
      }
    }
    return out;
  }

  /** The pooled table with the worst seed of each type appended to its row. */
  List<String> table() {
    List<String> rows = EvalReport.table(pooled.values());
    List<String> out = new ArrayList<>();
    out.add(rows.get(0) + "  WORST SEED (P/R)");
    int i = 1;
    for (AlertType t : pooled.keySet()) {
      Worst w = worst.get(t);
      out.add(
          rows.get(i++)
              + String.format(
                  "  %d (%s/%s)",
                  w.seed(), EvalReport.ratio(w.precision()), EvalReport.ratio(w.recall())));
    }
    return out;
  }

  ObjectNode toJson(ObjectMapper json) {
    ObjectNode root = json.createObjectNode();
    root.putPOJO("seeds", seeds);
    ArrayNode types = root.putArray("types");
    for (EvalReport.Row r : pooled.values()) {
      ObjectNode o = types.addObject();
      EvalReport.putRow(o, r);
      Worst w = worst.get(r.type());
      ObjectNode wn = o.putObject("worst");
      wn.put("seed", w.seed());
      EvalReport.putRatio(wn, "precision", w.precision());
      EvalReport.putRatio(wn, "recall", w.recall());
    }
    return root;
  }

  /**
   * {@code --seeds}: comma-separated seeds and ranges ({@code 1,2,3}, {@code 1-5}, {@code
   * 7,10-12}), in the order given, each once.
   *
   * @throws UserError on anything else
   */
  static List<Long> parseSeeds(String spec) {
    List<Long> out = new ArrayList<>();
    if (spec == null || spec.isBlank()) {
      throw new UserError("--seeds needs seeds, e.g. 1,2,3 or 1-5");
    }
    for (String part : spec.split(",")) {
      String p = part.strip();
      try {
        int dash = p.indexOf('-', 1);
        if (dash > 0) {
          long from = Long.parseLong(p.substring(0, dash).strip());
          long to = Long.parseLong(p.substring(dash + 1).strip());
          if (to < from || to - from >= 1000) {
            throw new UserError("--seeds range " + p + " must run upwards, at most 1000 seeds");
          }
          for (long s = from; s <= to; s++) {
            add(out, s);
          }
        } else {
          add(out, Long.parseLong(p));
        }
      } catch (NumberFormatException e) {
        throw new UserError(
            "--seeds must be seeds and ranges such as 1,2,3 or 1-5, got '" + spec + "'");
      }
    }
    return List.copyOf(out);
  }

  private static void add(List<Long> out, long seed) {
    if (!out.contains(seed)) {
      out.add(seed);
    }
  }
}

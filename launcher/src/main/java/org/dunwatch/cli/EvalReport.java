package org.dunwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.alert.AlertType;
import org.dunwatch.producers.sim.LabelMatcher;

/**
 * Detection quality of one run, per alert type: injected, found, missed, precision, recall and time
 * to detect, with every false positive and what it hit.
 *
 * <p>Counting: <b>recall</b> is found ÷ injected scenarios of the type. <b>Precision</b> is over
 * incidents (one per {@code alert_id}): those that find a scenario of their type, or that a
 * scenario rightly raises besides ({@link LabelMatcher#expectedBy}: a type its label lists in
 * {@code also_expected} on its victims, such as a curfew breach that is a frequency breach too, or
 * an alert whose every evidence event is one of the scenario's injected events), are true; every
 * other incident of the type is a false positive, whether it hit an ordinary actor, another
 * scenario's victim, or nobody labelled. <b>Time to detect</b> is event time from the scenario's
 * first injected event to the {@code triggered_at} of the first alert of an incident that finds it
 * (0 when the first alert's trigger lies before the label's start, within the matcher's slack).
 */
final class EvalReport {

  /** One alert type's row. */
  record Row(
      AlertType type,
      int injected,
      int found,
      int missed,
      int incidents,
      int falsePositives,
      Duration ttdMedian,
      Duration ttdP95) {

    /** Found ÷ injected, or NaN when nothing of the type was injected. */
    double recall() {
      return injected == 0 ? Double.NaN : (double) found / injected;
    }

    /** True incidents ÷ incidents, or NaN when the type raised none. */
    double precision() {
      return incidents == 0 ? Double.NaN : (double) (incidents - falsePositives) / incidents;
    }
  }

  /** A false positive: the incident and what it hit. */
  record FalsePositive(Alert incident, String hit) {}

  private final Map<AlertType, Row> rows;
  private final List<FalsePositive> falsePositives;
  private final LabelMatcher.Result result;
  private final Map<AlertType, List<Duration>> timesToDetect;

  private EvalReport(
      Map<AlertType, Row> rows,
      List<FalsePositive> falsePositives,
      LabelMatcher.Result result,
      Map<AlertType, List<Duration>> timesToDetect) {
    this.rows = rows;
    this.falsePositives = falsePositives;
    this.result = result;
    this.timesToDetect = timesToDetect;
  }

  static EvalReport of(Collection<Alert> alerts, LabelMatcher matcher) {
    LabelMatcher.Result r = matcher.match(alerts);
    Map<String, Instant> firstTrigger = new HashMap<>();
    for (Alert a : alerts) {
      Instant t = a.getTriggeredAt() == null ? a.getWindowEnd() : a.getTriggeredAt();
      firstTrigger.merge(a.getAlertId(), t, (x, y) -> x.isBefore(y) ? x : y);
    }
    Map<AlertType, List<Duration>> ttd = new EnumMap<>(AlertType.class);
    Map<AlertType, int[]> counts = new EnumMap<>(AlertType.class); // injected, found
    for (LabelMatcher.Outcome o : r.scenarios()) {
      AlertType t = o.label().alertType();
      int[] c = counts.computeIfAbsent(t, k -> new int[2]);
      c[0]++;
      if (o.found()) {
        c[1]++;
        Instant first =
            o.incidents().stream()
                .map(a -> firstTrigger.get(a.getAlertId()))
                .min(Instant::compareTo)
                .orElseThrow();
        Duration d = Duration.between(o.label().start(), first);
        ttd.computeIfAbsent(t, k -> new ArrayList<>()).add(d.isNegative() ? Duration.ZERO : d);
      }
    }
    List<FalsePositive> fps = new ArrayList<>();
    Map<AlertType, Integer> incidentsByType = new EnumMap<>(AlertType.class);
    Map<AlertType, Integer> fpByType = new EnumMap<>(AlertType.class);
    for (Alert a : LabelMatcher.incidents(alerts)) {
      incidentsByType.merge(a.getType(), 1, Integer::sum);
    }
    for (LabelMatcher.Explained e : r.onOrdinary()) {
      if (matcher.expectedBy(e.incident()).isEmpty()) {
        fps.add(
            new FalsePositive(
                e.incident(), "ordinary " + e.label().id() + " (" + e.label().role() + ")"));
      }
    }
    for (LabelMatcher.Explained e : r.related()) {
      if (matcher.expectedBy(e.incident()).isEmpty()) {
        fps.add(
            new FalsePositive(
                e.incident(),
                "scenario " + e.label().id() + " (" + e.label().kind() + ") with another type"));
      }
    }
    for (Alert a : r.unexplained()) {
      if (matcher.expectedBy(a).isEmpty()) {
        fps.add(new FalsePositive(a, "nobody labelled"));
      }
    }
    fps.forEach(f -> fpByType.merge(f.incident().getType(), 1, Integer::sum));
    Map<AlertType, Row> rows = new LinkedHashMap<>();
    for (AlertType t : AlertType.values()) {
      int[] c = counts.getOrDefault(t, new int[2]);
      int incidents = incidentsByType.getOrDefault(t, 0);
      if (c[0] == 0 && incidents == 0) {
        continue;
      }
      List<Duration> d = ttd.getOrDefault(t, List.of());
      rows.put(
          t,
          new Row(
              t,
              c[0],
              c[1],
              c[0] - c[1],
              incidents,
              fpByType.getOrDefault(t, 0),
              percentile(d, 0.5),
              percentile(d, 0.95)));
    }
    Map<AlertType, List<Duration>> times = new EnumMap<>(AlertType.class);
    ttd.forEach((t, d) -> times.put(t, List.copyOf(d)));
    return new EvalReport(rows, List.copyOf(fps), r, times);
  }

  /** Every found scenario's time to detect, per type (for pooling several worlds). */
  Map<AlertType, List<Duration>> timesToDetect() {
    return timesToDetect;
  }

  /** Nearest-rank percentile; null for no values. */
  static Duration percentile(List<Duration> values, double p) {
    if (values.isEmpty()) {
      return null;
    }
    List<Duration> sorted = values.stream().sorted().toList();
    int rank = (int) Math.ceil(p * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  Map<AlertType, Row> rows() {
    return rows;
  }

  List<FalsePositive> falsePositives() {
    return falsePositives;
  }

  LabelMatcher.Result matcherResult() {
    return result;
  }

  /**
   * Types whose precision or recall falls below {@code min} (a type with nothing injected is judged
   * only on precision).
   */
  List<String> below(double min) {
    List<String> out = new ArrayList<>();
    for (Row row : rows.values()) {
      if (!Double.isNaN(row.recall()) && row.recall() < min) {
        out.add(String.format("%s recall %.2f < %.2f", row.type(), row.recall(), min));
      }
      if (!Double.isNaN(row.precision()) && row.precision() < min) {
        out.add(String.format("%s precision %.2f < %.2f", row.type(), row.precision(), min));
      }
    }
    return out;
  }

  List<String> table() {
    return table(rows.values());
  }

  static List<String> table(Collection<Row> rows) {
    List<String> out = new ArrayList<>();
    out.add(
        String.format(
            "%-24s %8s %6s %6s %9s %3s %9s %7s %10s %10s",
            "ALERT TYPE",
            "INJECTED",
            "FOUND",
            "MISSED",
            "INCIDENTS",
            "FP",
            "PRECISION",
            "RECALL",
            "TTD p50",
            "TTD p95"));
    for (Row r : rows) {
      out.add(
          String.format(
              "%-24s %8d %6d %6d %9d %3d %9s %7s %10s %10s",
              r.type(),
              r.injected(),
              r.found(),
              r.missed(),
              r.incidents(),
              r.falsePositives(),
              ratio(r.precision()),
              ratio(r.recall()),
              human(r.ttdMedian()),
              human(r.ttdP95())));
    }
    return out;
  }

  ObjectNode toJson(ObjectMapper json) {
    ObjectNode root = json.createObjectNode();
    ArrayNode types = root.putArray("types");
    for (Row r : rows.values()) {
      putRow(types.addObject(), r);
    }
    ArrayNode missed = root.putArray("missed");
    for (LabelMatcher.Outcome o : result.scenarios()) {
      if (!o.found()) {
        ObjectNode m = missed.addObject();
        m.put("label_id", o.label().id());
        m.put("kind", o.label().kindName());
        m.put("alert_type", o.label().alertType().name());
        m.put("victim", o.label().victim());
        m.put("description", o.label().description());
      }
    }
    ArrayNode fps = root.putArray("false_positives");
    for (FalsePositive f : falsePositives) {
      ObjectNode o = fps.addObject();
      o.put("alert_id", f.incident().getAlertId());
      o.put("type", f.incident().getType().name());
      o.put("victim", f.incident().getVictim());
      o.put("subject", f.incident().getSubject().getId());
      o.put("hit", f.hit());
      o.put("explanation", f.incident().getExplanation());
    }
    return root;
  }

  static void putRow(ObjectNode o, Row r) {
    o.put("type", r.type().name());
    o.put("injected", r.injected());
    o.put("found", r.found());
    o.put("missed", r.missed());
    o.put("incidents", r.incidents());
    o.put("false_positives", r.falsePositives());
    putRatio(o, "precision", r.precision());
    putRatio(o, "recall", r.recall());
    putSeconds(o, "ttd_p50_seconds", r.ttdMedian());
    putSeconds(o, "ttd_p95_seconds", r.ttdP95());
  }

  static void putRatio(ObjectNode o, String field, double v) {
    if (Double.isNaN(v)) {
      o.putNull(field);
    } else {
      o.put(field, Math.round(v * 1000) / 1000.0);
    }
  }

  private static void putSeconds(ObjectNode o, String field, Duration d) {
    if (d == null) {
      o.putNull(field);
    } else {
      o.put(field, d.toSeconds());
    }
  }

  static String ratio(double v) {
    return Double.isNaN(v) ? "-" : String.format("%.2f", v);
  }

  /** 0 s, 45 s, 12 min, 3.5 h. */
  static String human(Duration d) {
    if (d == null) {
      return "-";
    }
    long s = d.toSeconds();
    if (s < 120) {
      return s + " s";
    }
    if (s < 2 * 3600) {
      return (s / 60) + " min";
    }
    return String.format("%.1f h", s / 3600.0);
  }
}

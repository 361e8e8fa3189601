package org.dunwatch.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.dunwatch.avro.alert.Alert;

/**
 * One run's alerts against a reference run's, by {@code (alert_id, revision)}: an alert is the same
 * when its type, victim, subject and evidence ids are (not {@code detected_at}, the wall clock of
 * the run).
 */
record AlertDiff(int lost, int duplicated, int different, int extra, List<String> examples) {

  /** How many differing alerts are described in {@link #examples()}. */
  static final int EXAMPLES = 5;

  static AlertDiff of(List<Alert> reference, List<Alert> run) {
    Map<String, String> want = index(reference, new int[1]);
    int[] duplicates = new int[1];
    Map<String, String> got = index(run, duplicates);
    int lost = 0;
    int different = 0;
    int extra = 0;
    List<String> examples = new ArrayList<>();
    for (var e : want.entrySet()) {
      String mine = got.get(e.getKey());
      if (mine == null) {
        lost++;
        example(examples, "lost " + e.getKey() + " " + e.getValue());
      } else if (!mine.equals(e.getValue())) {
        different++;
        example(examples, "different " + e.getKey() + ": " + e.getValue() + " -> " + mine);
      }
    }
    for (var e : got.entrySet()) {
      if (!want.containsKey(e.getKey())) {
        extra++;
        example(examples, "extra " + e.getKey() + " " + e.getValue());
      }
    }
    return new AlertDiff(lost, duplicates[0], different + extra, extra, examples);
  }

  boolean clean() {
    return lost == 0 && duplicated == 0 && different == 0;
  }

  private static void example(List<String> examples, String line) {
    if (examples.size() < EXAMPLES) {
      examples.add(line);
    }
  }

  /** {@code alert_id#revision} to what is compared; {@code duplicates[0]} counts repeats. */
  private static Map<String, String> index(List<Alert> alerts, int[] duplicates) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Alert a : alerts) {
      String key = a.getAlertId() + "#" + a.getRevision();
      if (out.putIfAbsent(key, content(a)) != null) {
        duplicates[0]++;
      }
    }
    return out;
  }

  static String content(Alert a) {
    return a.getType()
        + " victim "
        + a.getVictim()
        + " subject "
        + (a.getSubject() == null ? "-" : a.getSubject().getKind() + ":" + a.getSubject().getId())
        + " evidence "
        + (a.getEvidence() == null ? "-" : Objects.toString(a.getEvidence().getEventIds()));
  }
}

package org.dunwatch.cli;

import java.io.PrintStream;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.schemas.AlertJson;

/** Alerts for people (a table) or for machines (the contract's JSON lines). */
final class AlertPrinter {

  private final PrintStream out;
  private final boolean json;
  private boolean headerDone;

  AlertPrinter(PrintStream out, boolean json) {
    this.out = out;
    this.json = json;
  }

  void print(Alert a) {
    if (json) {
      out.println(AlertJson.toJson(a));
      return;
    }
    if (!headerDone) {
      out.printf(
          "%-20s  %-17s  %-8s  %-3s  %-22s  %-22s  %s%n",
          "TRIGGERED (UTC)", "TYPE", "SEVERITY", "REV", "VICTIM", "SUBJECT", "EXPLANATION");
      headerDone = true;
    }
    out.printf(
        "%-20s  %-17s  %-8s  %-3s  %-22s  %-22s  %s%n",
        when(a),
        a.getType(),
        a.getSeverity(),
        a.getRevision() == null ? "-" : a.getRevision().toString(),
        shorten(a.getVictim()),
        shorten(a.getSubject().getId()),
        a.getExplanation());
  }

  private static String shorten(String id) {
    if (id == null) {
      return "-";
    }
    return id.length() <= 22 ? id : id.substring(0, 21) + "…";
  }

  /** When an alert was triggered (event time), to the second: {@code 2024-07-26T01:15:23Z}. */
  static String when(org.dunwatch.avro.alert.Alert a) {
    java.time.Instant t = a.getTriggeredAt() != null ? a.getTriggeredAt() : a.getWindowEnd();
    return t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }
}

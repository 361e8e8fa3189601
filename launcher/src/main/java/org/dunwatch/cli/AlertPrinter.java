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
    String when =
        a.getTriggeredAt() != null ? a.getTriggeredAt().toString() : a.getWindowEnd().toString();
    out.printf(
        "%-20s  %-17s  %-8s  %-3s  %-22s  %-22s  %s%n",
        when.length() > 20 ? when.substring(0, 20) : when,
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
}

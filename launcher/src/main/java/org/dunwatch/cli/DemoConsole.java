package org.dunwatch.cli;

import java.io.PrintStream;
import org.dunwatch.avro.alert.Alert;

/**
 * The demo's terminal: alert rows on standard output as they arrive, and a progress line on
 * standard error, redrawn in place on a terminal and printed every few seconds otherwise.
 */
final class DemoConsole {

  private static final String ROW = "%-20s  %-22s  %-8s  %-3s  %-15s  %-15s  %-7s  %s%n";

  private final PrintStream out;
  private final PrintStream err;
  private final boolean tty;
  private String status = "";
  private boolean statusShown;
  private boolean headerDone;
  private long lastStatusLine;

  DemoConsole(PrintStream out, PrintStream err, boolean tty) {
    this.out = out;
    this.err = err;
    this.tty = tty;
  }

  synchronized void progress(String message) {
    hideStatus();
    err.println("… " + message);
    err.flush();
    showStatus();
  }

  synchronized void alert(Alert a, String label) {
    hideStatus();
    if (!headerDone) {
      out.printf(
          ROW,
          "TIME (UTC)",
          "TYPE",
          "SEVERITY",
          "REV",
          "VICTIM",
          "SUBJECT",
          "LABEL",
          "EXPLANATION");
      headerDone = true;
    }
    out.printf(
        ROW,
        AlertPrinter.when(a),
        a.getType(),
        a.getSeverity(),
        a.getRevision() == null ? "-" : a.getRevision().toString(),
        shorten(a.getVictim()),
        shorten(a.getSubject().getId()),
        label,
        a.getExplanation());
    out.flush();
    showStatus();
  }

  synchronized void status(String line) {
    status = line;
    if (tty) {
      hideStatus();
      showStatus();
    } else if (System.nanoTime() - lastStatusLine > 5_000_000_000L) {
      err.println("… " + line);
      err.flush();
      lastStatusLine = System.nanoTime();
    }
  }

  /** Leaves the last progress line on screen and moves on. */
  synchronized void endStatus() {
    if (tty && statusShown) {
      err.println();
      err.flush();
      statusShown = false;
    } else if (!tty && !status.isEmpty()) {
      err.println("… " + status);
      err.flush();
    }
    status = "";
  }

  private void hideStatus() {
    if (tty && statusShown) {
      err.print("\r\033[2K");
      err.flush();
      statusShown = false;
    }
  }

  private void showStatus() {
    if (tty && !status.isEmpty()) {
      err.print(status);
      err.flush();
      statusShown = true;
    }
  }

  private static String shorten(String id) {
    if (id == null) {
      return "-";
    }
    return id.length() <= 15 ? id : id.substring(0, 14) + "…";
  }
}

package org.dunwatch.producers.parse;

import java.util.Objects;

/**
 * One input line that could not become a record, with where it is and why.
 *
 * <p>The reason never quotes a phone-number field, so a line error can go to a log or the
 * dead-letter topic without leaking the numbers that pseudonymisation would have hidden. For the
 * same reason the raw line is not carried: a producer that wants it must read it from the file.
 *
 * @param source the name the input was given (usually its file name)
 * @param lineNumber 1-based physical line where the bad row starts
 * @param reason what is wrong, e.g. {@code unknown outcome "HUNGUP" (expected one of ANSWERED,
 *     ...)}
 */
public record LineError(String source, long lineNumber, String reason) {

  public LineError {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(reason, "reason");
    if (lineNumber < 1) {
      throw new IllegalArgumentException("line numbers start at 1, got " + lineNumber);
    }
  }

  /** {@code line 7: <reason>}, without the source. */
  public String message() {
    return "line " + lineNumber + ": " + reason;
  }

  /** {@code calls.csv line 7: <reason>}. */
  @Override
  public String toString() {
    return source + " " + message();
  }
}

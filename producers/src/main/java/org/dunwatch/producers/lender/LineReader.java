package org.dunwatch.producers.lender;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads physical lines (LF, CRLF or lone CR) with their numbers, dropping a UTF-8 byte order mark
 * at the start. A line longer than the limit is skipped up to its end and flagged, so that one
 * runaway line cannot take all memory.
 */
final class LineReader {

  private static final int EOF = -1;

  private final Reader in;
  private final int maxChars;
  private final char[] buffer = new char[8192];
  private int pos;
  private int len;
  private boolean atStart = true;
  private long lineNumber;
  private boolean tooLong;

  LineReader(Reader in, int maxChars) {
    this.in = in;
    this.maxChars = maxChars;
  }

  /** The next line without its line break, or {@code null} at the end of the input. */
  String next() throws IOException {
    int c = read();
    if (c == EOF) {
      return null;
    }
    lineNumber++;
    tooLong = false;
    StringBuilder line = new StringBuilder();
    while (c != EOF && c != '\n' && c != '\r') {
      if (line.length() < maxChars) {
        line.append((char) c);
      } else {
        tooLong = true;
      }
      c = read();
    }
    if (c == '\r') {
      int lf = read();
      if (lf != '\n' && lf != EOF) {
        pos--;
      }
    }
    return tooLong ? "" : line.toString();
  }

  /** 1-based number of the line last returned. */
  long lineNumber() {
    return lineNumber;
  }

  /** Whether the line last returned was longer than the limit (and came back empty). */
  boolean tooLong() {
    return tooLong;
  }

  private int read() throws IOException {
    if (pos == len) {
      int n;
      do {
        n = in.read(buffer, 0, buffer.length);
      } while (n == 0);
      if (n < 0) {
        return EOF;
      }
      pos = 0;
      len = n;
      if (atStart) {
        atStart = false;
        if (buffer[0] == '\uFEFF') {
          pos = 1;
          return read();
        }
      }
    }
    return buffer[pos++];
  }
}

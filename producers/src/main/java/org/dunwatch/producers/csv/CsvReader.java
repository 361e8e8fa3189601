package org.dunwatch.producers.csv;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Streaming RFC 4180 reader with a required header row.
 *
 * <p>Accepts quoted fields holding commas, doubled quotes and line breaks; CRLF, LF and lone CR
 * line endings; a UTF-8 byte order mark at the start (ignored). Blank lines are skipped: they hold
 * no data, and a trailing newline at the end of a file must not become a row.
 *
 * <p>A malformed row does not stop the file: {@link #next()} returns it as a {@link CsvRow} with
 * {@link CsvRow#isMalformed()} set and the 1-based line where it starts, and reading goes on with
 * the next row. A quote that opens by mistake would otherwise swallow the rest of the file into one
 * field, so when a quoting error is found in a row that spans several lines, the lines after the
 * row's first are read again as rows of their own. Only the current row is held in memory, and at
 * most {@code maxRowChars} of it.
 *
 * <p>Not thread-safe; one reader per input.
 */
public final class CsvReader implements Closeable {

  /** Rows longer than this are reported as malformed (most likely an unterminated quote). */
  public static final int DEFAULT_MAX_ROW_CHARS = 1 << 20;

  private static final int EOF = -1;
  private static final int NONE = -2;
  private static final char BOM = '\uFEFF';

  private final Reader in;
  private final String sourceName;
  private final int maxRowChars;

  private final char[] buffer = new char[8192];
  private int bufferPos;
  private int bufferLen;
  private boolean atStreamStart = true;

  /** Text read once already, to be read again after recovering from a quoting error. */
  private String replay = "";

  private int replayPos;
  private int pushedBack = NONE;

  /** Physical line of the next character to be read. */
  private long line = 1;

  /** Everything read for the current row, for recovery. */
  private final StringBuilder raw = new StringBuilder();

  private boolean recording = true;

  private final List<String> header;
  private final Map<String, Integer> columnIndex;

  private CsvReader(Reader in, String sourceName, int maxRowChars) throws IOException {
    this.in = Objects.requireNonNull(in, "in");
    this.sourceName = Objects.requireNonNull(sourceName, "sourceName");
    if (maxRowChars < 1) {
      throw new IllegalArgumentException("maxRowChars must be positive: " + maxRowChars);
    }
    this.maxRowChars = maxRowChars;
    this.header = readHeader();
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      index.put(header.get(i), i);
    }
    this.columnIndex = Collections.unmodifiableMap(index);
  }

  /**
   * Opens a reader and reads the header row.
   *
   * @throws CsvHeaderException when there is no header row or it is malformed, has an empty or a
   *     duplicated column name
   * @throws IOException when {@code in} fails
   */
  public static CsvReader open(Reader in, String sourceName) throws IOException {
    return new CsvReader(in, sourceName, DEFAULT_MAX_ROW_CHARS);
  }

  /** As {@link #open(Reader, String)}, with a limit on the characters of one row. */
  public static CsvReader open(Reader in, String sourceName, int maxRowChars) throws IOException {
    return new CsvReader(in, sourceName, maxRowChars);
  }

  /**
   * Checks that the header has every one of {@code required}. Extra columns are allowed: the
   * contracts let producers of files add optional columns.
   *
   * @throws CsvHeaderException naming every missing column
   */
  public CsvReader requireColumns(Collection<String> required) throws CsvHeaderException {
    Set<String> missing = new LinkedHashSet<>();
    for (String column : required) {
      if (!columnIndex.containsKey(column)) {
        missing.add(column);
      }
    }
    if (!missing.isEmpty()) {
      throw new CsvHeaderException(
          sourceName
              + ": missing required column"
              + (missing.size() == 1 ? "" : "s")
              + " "
              + String.join(", ", missing)
              + " (header has "
              + String.join(", ", header)
              + ")",
          List.copyOf(missing));
    }
    return this;
  }

  public String sourceName() {
    return sourceName;
  }

  /** Column names in file order, trimmed. */
  public List<String> header() {
    return header;
  }

  /**
   * The next row, well formed or not, or {@code null} at the end of the input.
   *
   * @throws IOException only when the underlying reader fails; bad CSV is a malformed row
   */
  public CsvRow next() throws IOException {
    while (true) {
      RawRow row = readRow();
      if (row == null) {
        return null;
      }
      if (row.blank) {
        continue;
      }
      if (row.error != null) {
        return CsvRow.malformed(row.startLine, row.error);
      }
      if (row.fields.size() != header.size()) {
        return CsvRow.malformed(
            row.startLine, "expected " + header.size() + " columns, found " + row.fields.size());
      }
      return CsvRow.of(row.startLine, columnIndex, row.fields);
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  @Override
  public String toString() {
    return "CsvReader[" + sourceName + ", line " + line + "]";
  }

  private List<String> readHeader() throws IOException {
    RawRow row;
    do {
      row = readRow();
      if (row == null) {
        throw new CsvHeaderException(
            sourceName + ": no header row (the input is empty)", List.of());
      }
    } while (row.blank);
    if (row.error != null) {
      throw new CsvHeaderException(
          sourceName + " line " + row.startLine + ": header row is malformed: " + row.error,
          List.of());
    }
    List<String> names = new ArrayList<>(row.fields.size());
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < row.fields.size(); i++) {
      String name = row.fields.get(i).trim();
      if (name.isEmpty()) {
        throw new CsvHeaderException(
            sourceName + " line " + row.startLine + ": header column " + (i + 1) + " has no name",
            List.of());
      }
      if (!seen.add(name)) {
        throw new CsvHeaderException(
            sourceName + " line " + row.startLine + ": header names column " + name + " twice",
            List.of());
      }
      names.add(name);
    }
    return List.copyOf(names);
  }

  /** One row as the tokenizer saw it: fields, or an error, or a blank line. */
  private static final class RawRow {
    final long startLine;
    final List<String> fields;
    final String error;
    final boolean blank;

    RawRow(long startLine, List<String> fields, String error, boolean blank) {
      this.startLine = startLine;
      this.fields = fields;
      this.error = error;
      this.blank = blank;
    }
  }

  private RawRow readRow() throws IOException {
    raw.setLength(0);
    recording = true;
    long startLine = line;
    int c = read();
    if (c == EOF) {
      return null;
    }
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean onlyUnquotedWhitespace = true;
    while (true) {
      field.setLength(0);
      int column = fields.size() + 1;
      if (c == '"') {
        onlyUnquotedWhitespace = false;
        long quoteLine = line;
        while (true) {
          c = read();
          if (c == EOF) {
            return recover(
                startLine,
                "unterminated quoted field in column "
                    + column
                    + " (the quote opens on line "
                    + quoteLine
                    + ")");
          }
          if (raw.length() > maxRowChars) {
            return recover(startLine, tooLong(column));
          }
          if (c == '"') {
            int after = read();
            if (after == '"') {
              field.append('"');
              continue;
            }
            c = after;
            break;
          }
          if (c == '\r' || c == '\n') {
            // Kept as written: an embedded CRLF stays CRLF.
            field.append((char) c);
            if (c == '\r') {
              int lf = read();
              if (lf == '\n') {
                field.append('\n');
              } else {
                unread(lf);
              }
            }
            line++;
            continue;
          }
          field.append((char) c);
        }
        // c is the character after the closing quote.
        fields.add(field.toString());
        if (c == ',') {
          c = read();
          continue;
        }
        if (c == EOF || isLineBreak(c)) {
          consumeLineBreak(c);
          return new RawRow(startLine, fields, null, false);
        }
        return recover(
            startLine,
            "unexpected character '"
                + (char) c
                + "' after the closing quote of column "
                + column
                + " (a quote inside a field must be doubled)");
      }
      while (c != ',' && c != EOF && !isLineBreak(c)) {
        if (c == '"') {
          String reason =
              "quote inside unquoted column " + column + " (quote the field and double the quote)";
          skipRestOfLine();
          return new RawRow(startLine, null, reason, false);
        }
        if (raw.length() > maxRowChars) {
          String reason = tooLong(column);
          skipRestOfLine();
          return new RawRow(startLine, null, reason, false);
        }
        if (!Character.isWhitespace(c)) {
          onlyUnquotedWhitespace = false;
        }
        field.append((char) c);
        c = read();
      }
      fields.add(field.toString());
      if (c == ',') {
        onlyUnquotedWhitespace = false;
        c = read();
        continue;
      }
      consumeLineBreak(c);
      boolean blank = fields.size() == 1 && onlyUnquotedWhitespace;
      return new RawRow(startLine, fields, null, blank);
    }
  }

  private String tooLong(int column) {
    return "row longer than "
        + maxRowChars
        + " characters in column "
        + column
        + " (an unterminated quote?)";
  }

  /**
   * Ends a row with a quoting error. If the row had run over several lines, a quote probably opened
   * by mistake and took the following lines with it: they are read again as rows of their own, so
   * that one stray quote costs one row, not the rest of the file.
   */
  private RawRow recover(long startLine, String reason) throws IOException {
    int firstBreak = -1;
    for (int i = 0; i < raw.length(); i++) {
      char ch = raw.charAt(i);
      if (ch == '\n' || ch == '\r') {
        firstBreak = i;
        break;
      }
    }
    if (firstBreak < 0) {
      skipRestOfLine();
      return new RawRow(startLine, null, reason, false);
    }
    int restStart = firstBreak + 1;
    if (raw.charAt(firstBreak) == '\r'
        && restStart < raw.length()
        && raw.charAt(restStart) == '\n') {
      restStart++;
    }
    StringBuilder again = new StringBuilder(raw.length() - restStart + 16);
    again.append(raw, restStart, raw.length());
    if (pushedBack != NONE) {
      if (pushedBack != EOF) {
        again.append((char) pushedBack);
      }
      pushedBack = NONE;
    }
    again.append(replay, replayPos, replay.length());
    replay = again.toString();
    replayPos = 0;
    line = startLine + 1;
    return new RawRow(startLine, null, reason, false);
  }

  private void skipRestOfLine() throws IOException {
    recording = false;
    int c = read();
    while (c != EOF && !isLineBreak(c)) {
      c = read();
    }
    consumeLineBreak(c);
    recording = true;
  }

  /** Counts a line break just read, taking the LF of a CRLF with it. */
  private void consumeLineBreak(int c) throws IOException {
    if (c == '\r') {
      int lf = read();
      if (lf != '\n') {
        unread(lf);
      }
      line++;
    } else if (c == '\n') {
      line++;
    }
  }

  private static boolean isLineBreak(int c) {
    return c == '\n' || c == '\r';
  }

  private void unread(int c) {
    pushedBack = c;
    if (c != EOF && recording && raw.length() > 0) {
      raw.setLength(raw.length() - 1);
    }
  }

  private int read() throws IOException {
    int c;
    if (pushedBack != NONE) {
      c = pushedBack;
      pushedBack = NONE;
    } else if (replayPos < replay.length()) {
      c = replay.charAt(replayPos++);
      if (replayPos == replay.length()) {
        replay = "";
        replayPos = 0;
      }
    } else {
      c = readFromInput();
    }
    if (c != EOF && recording) {
      raw.append((char) c);
    }
    return c;
  }

  private int readFromInput() throws IOException {
    if (bufferPos == bufferLen) {
      int n;
      do {
        n = in.read(buffer, 0, buffer.length);
      } while (n == 0);
      if (n < 0) {
        return EOF;
      }
      bufferPos = 0;
      bufferLen = n;
      if (atStreamStart) {
        atStreamStart = false;
        if (buffer[0] == BOM) {
          bufferPos = 1;
          return readFromInput();
        }
      }
    }
    return buffer[bufferPos++];
  }
}

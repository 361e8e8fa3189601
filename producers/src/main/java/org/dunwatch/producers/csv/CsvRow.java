package org.dunwatch.producers.csv;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One data row of a CSV input: either its fields, addressed by header name, or, when the row is
 * malformed, the reason. Either way it knows the 1-based physical line where it starts.
 */
public final class CsvRow {

  private final long lineNumber;
  private final Map<String, Integer> columnIndex;
  private final List<String> values;
  private final String error;

  private CsvRow(
      long lineNumber, Map<String, Integer> columnIndex, List<String> values, String error) {
    this.lineNumber = lineNumber;
    this.columnIndex = columnIndex;
    this.values = values;
    this.error = error;
  }

  static CsvRow of(long lineNumber, Map<String, Integer> columnIndex, List<String> values) {
    return new CsvRow(lineNumber, columnIndex, List.copyOf(values), null);
  }

  static CsvRow malformed(long lineNumber, String error) {
    return new CsvRow(lineNumber, Map.of(), List.of(), Objects.requireNonNull(error));
  }

  /** 1-based physical line where the row starts. */
  public long lineNumber() {
    return lineNumber;
  }

  public boolean isMalformed() {
    return error != null;
  }

  /** Why the row could not be read, or {@code null} for a well-formed row. */
  public String error() {
    return error;
  }

  /** Field values in header order; empty for a malformed row. */
  public List<String> values() {
    return values;
  }

  /** Whether the header has this column. */
  public boolean has(String column) {
    return columnIndex.containsKey(column);
  }

  /**
   * The value of a column as written (not trimmed; an empty field is {@code ""}).
   *
   * @throws IllegalStateException for a malformed row
   * @throws IllegalArgumentException when the header has no such column
   */
  public String get(String column) {
    if (error != null) {
      throw new IllegalStateException("line " + lineNumber + " is malformed: " + error);
    }
    Integer i = columnIndex.get(column);
    if (i == null) {
      throw new IllegalArgumentException("no column " + column + " in header");
    }
    return values.get(i);
  }

  /** Column name to value, in header order. */
  public Map<String, String> toMap() {
    Map<String, String> map = new LinkedHashMap<>();
    columnIndex.entrySet().stream()
        .sorted(Map.Entry.comparingByValue())
        .forEach(e -> map.put(e.getKey(), values.get(e.getValue())));
    return Collections.unmodifiableMap(map);
  }

  @Override
  public String toString() {
    return error != null
        ? "CsvRow[line " + lineNumber + ", malformed: " + error + "]"
        : "CsvRow[line " + lineNumber + ", " + values.size() + " fields]";
  }
}

package org.dunwatch.producers.csv;

import java.io.IOException;
import java.io.Reader;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.dunwatch.producers.parse.FieldChecks;
import org.dunwatch.producers.parse.InputLimits;
import org.dunwatch.producers.parse.LineConsumer;
import org.dunwatch.producers.parse.LineError;
import org.dunwatch.producers.parse.ParseSummary;

/**
 * The loop every CSV contract file shares: each row becomes a record or a {@link LineError} with
 * its line number, in file order; nothing is skipped.
 */
public final class CsvRecords {

  private CsvRecords() {}

  /**
   * @param toRecord builds a record from a row, or returns null after adding its problems to the
   *     checks
   * @throws CsvHeaderException when the header is missing or lacks a required column
   */
  public static <T> ParseSummary parse(
      Reader in,
      String sourceName,
      List<String> columns,
      BiFunction<CsvRow, FieldChecks, T> toRecord,
      Consumer<T> records,
      Consumer<LineError> errors)
      throws IOException {
    return parse(
        in,
        sourceName,
        columns,
        InputLimits.DEFAULT,
        toRecord,
        (record, line) -> records.accept(record),
        errors);
  }

  /**
   * As {@link #parse(Reader, String, List, BiFunction, Consumer, Consumer)}, with the limits each
   * row is checked against and each record handed on with its line number.
   */
  public static <T> ParseSummary parse(
      Reader in,
      String sourceName,
      List<String> columns,
      InputLimits limits,
      BiFunction<CsvRow, FieldChecks, T> toRecord,
      LineConsumer<T> records,
      Consumer<LineError> errors)
      throws IOException {
    CsvReader csv = CsvReader.open(in, sourceName).requireColumns(columns);
    long ok = 0;
    long bad = 0;
    for (CsvRow row = csv.next(); row != null; row = csv.next()) {
      if (row.isMalformed()) {
        errors.accept(new LineError(sourceName, row.lineNumber(), row.error()));
        bad++;
        continue;
      }
      FieldChecks checks = new FieldChecks(limits);
      T record = toRecord.apply(row, checks);
      if (record == null) {
        errors.accept(new LineError(sourceName, row.lineNumber(), checks.reason()));
        bad++;
      } else {
        records.accept(record, row.lineNumber());
        ok++;
      }
    }
    return new ParseSummary(sourceName, ok, bad);
  }
}

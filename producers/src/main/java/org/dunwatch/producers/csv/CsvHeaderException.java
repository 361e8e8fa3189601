package org.dunwatch.producers.csv;

import java.io.IOException;
import java.util.List;

/**
 * The header row is missing, malformed or lacks required columns. The whole input is unusable, so
 * unlike a bad data row this stops reading; it is an {@link IOException} so that callers handle it
 * where they handle a file that cannot be read.
 */
public final class CsvHeaderException extends IOException {

  private static final long serialVersionUID = 1L;

  private final List<String> missingColumns;

  public CsvHeaderException(String message, List<String> missingColumns) {
    super(message);
    this.missingColumns = List.copyOf(missingColumns);
  }

  /** Required columns the header lacks; empty when the header is wrong in another way. */
  public List<String> missingColumns() {
    return missingColumns;
  }
}

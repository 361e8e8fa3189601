package org.dunwatch.producers.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** What a parser handed out, for assertions. */
public final class Collected<T> {

  public final List<T> records = new ArrayList<>();
  public final List<LineError> errors = new ArrayList<>();

  /** The errors as {@code line N: reason}, one per line, for readable assertion failures. */
  public String errorMessages() {
    return errors.stream().map(LineError::message).collect(Collectors.joining("\n"));
  }

  public LineError errorAt(long line) {
    return errors.stream()
        .filter(e -> e.lineNumber() == line)
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no error on line " + line + ":\n" + errorMessages()));
  }
}

package org.dunwatch.producers.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One input: a file, or standard input when the command line says {@code -}.
 *
 * <p>Opened as UTF-8 through an {@link InputStreamReader}, which turns bytes that are not UTF-8
 * into U+FFFD: the line is still read (and usually still valid), where a strict decoder would stop
 * the whole file at the first bad byte.
 *
 * @param name the name used in line errors, event ids and summaries: the file name, or {@code
 *     stdin}
 * @param path the file, or {@code null} for standard input
 */
public record IngestInput(String name, Path path, Supplier<InputStream> stream) {

  /** What the command line writes for standard input. */
  public static final String STDIN_ARG = "-";

  public IngestInput {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(stream, "stream");
  }

  /** {@code -} is standard input; anything else a file path. */
  public static IngestInput of(String arg) {
    if (STDIN_ARG.equals(arg)) {
      return new IngestInput("stdin", null, () -> System.in);
    }
    return ofFile(Path.of(arg));
  }

  public static IngestInput ofFile(Path file) {
    Path name = file.getFileName();
    return new IngestInput(
        name == null ? file.toString() : name.toString(),
        file,
        () -> {
          try {
            return Files.newInputStream(file);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  /** An in-memory input, for tests and for callers that already hold the text. */
  public static IngestInput ofText(String name, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return new IngestInput(name, null, () -> new java.io.ByteArrayInputStream(bytes));
  }

  public boolean isStdin() {
    return path == null && name.equals("stdin");
  }

  /** Opens the input as UTF-8. Closing the reader of standard input closes standard input. */
  public Reader open() throws IOException {
    try {
      return new InputStreamReader(stream.get(), StandardCharsets.UTF_8);
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @Override
  public String toString() {
    return path == null ? name : path.toString();
  }
}

package org.dunwatch.deploy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The end of a child's log, for error messages that explain why it did not start. */
final class LogTail {
  static final int DEFAULT_LINES = 30;
  // Kafka dumps its whole configuration at start; 64 KiB is far more than 30 lines need.
  private static final int MAX_BYTES = 64 * 1024;

  private LogTail() {}

  static String of(Path file) {
    return of(file, DEFAULT_LINES);
  }

  static String of(Path file, int lines) {
    if (!Files.isRegularFile(file)) {
      return "(no log at " + file + ")";
    }
    try (SeekableByteChannel channel = Files.newByteChannel(file)) {
      long size = channel.size();
      int length = (int) Math.min(size, MAX_BYTES);
      channel.position(size - length);
      ByteBuffer buffer = ByteBuffer.allocate(length);
      while (buffer.hasRemaining() && channel.read(buffer) >= 0) {}
      String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
      List<String> all = Arrays.asList(text.split("\\R"));
      List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
      if (last.isEmpty() || (last.size() == 1 && last.get(0).isEmpty())) {
        return "(" + file + " is empty)";
      }
      return String.join(System.lineSeparator(), last);
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }

  /** A message followed by the log's last lines, indented so they read as a quote. */
  static String message(String headline, Path file) {
    return headline
        + System.lineSeparator()
        + "--- last "
        + DEFAULT_LINES
        + " lines of "
        + file.getFileName()
        + " ---"
        + System.lineSeparator()
        + of(file);
  }
}

package org.dunwatch.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Output files are checked before a run starts, not found unwritable after it. */
final class OutputPaths {

  private OutputPaths() {}

  /**
   * A user error unless {@code file} can be written: its folder exists or can be made, and the file
   * is not a directory and is writable if it exists. Nothing is created or truncated.
   *
   * @param flag the flag that named it, for the message; {@code file} may be {@code null} (unset)
   */
  static void checkWritable(String flag, Path file) {
    if (file == null) {
      return;
    }
    Path abs = file.toAbsolutePath();
    if (Files.isDirectory(abs)) {
      throw new UserError(flag + " " + file + " is a directory, not a file");
    }
    if (Files.exists(abs)) {
      if (!Files.isWritable(abs)) {
        throw new UserError(flag + " " + file + " is not writable");
      }
      return;
    }
    Path dir = abs.getParent();
    while (dir != null && !Files.exists(dir)) {
      dir = dir.getParent();
    }
    if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
      throw new UserError(flag + " " + file + ": its folder cannot be written");
    }
    try {
      // isWritable says yes to root on a read-only mount; a real probe says no.
      Path probe = Files.createTempFile(dir, ".dunwatch-probe", ".tmp");
      Files.delete(probe);
    } catch (IOException e) {
      throw new UserError(flag + " " + file + ": its folder cannot be written");
    }
  }
}

package org.dunwatch.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.dunwatch.deploy.ServiceJvm;

/**
 * The {@code dunwatch run} instances of one chaos run, each a separate JVM with its own state
 * directory, started, stopped and killed by slot; a slot that dies without being told to is an
 * error, with its log.
 */
final class ChaosInstances implements AutoCloseable {

  private final Path dir;
  private final List<String> runArgs;
  private final Consumer<String> progress;
  private final List<ServiceJvm> slots = new ArrayList<>();

  /** {@code runArgs}: the {@code dunwatch run} arguments every instance shares. */
  ChaosInstances(Path dir, List<String> runArgs, int size, Consumer<String> progress) {
    this.dir = dir;
    this.runArgs = runArgs;
    this.progress = progress;
    for (int i = 0; i < size; i++) {
      slots.add(null);
    }
  }

  int size() {
    return slots.size();
  }

  /** Starts instance {@code i} (again) on its own state directory, kept across restarts. */
  synchronized void start(int i) {
    List<String> args = new ArrayList<>(List.of("run"));
    args.addAll(runArgs);
    args.addAll(List.of("--state-dir", dir.resolve("state-" + i).toString()));
    ServiceJvm jvm =
        ServiceJvm.start(
            "dunwatch instance " + i,
            Dunwatch.class.getName(),
            args,
            "384m",
            dir,
            dir.resolve("instance-" + i + ".log"));
    slots.set(i, jvm);
    progress.accept("instance " + i + " started (pid " + jvm.pid() + ")");
  }

  /** {@code kill -9} of instance {@code i}. */
  synchronized void kill(int i) {
    ServiceJvm jvm = slots.set(i, null);
    if (jvm != null) {
      jvm.kill();
      progress.accept("instance " + i + " killed (pid " + jvm.pid() + ", kill -9)");
    }
  }

  /** SIGTERM to instance {@code i}, waiting for its clean exit. */
  synchronized void stop(int i) {
    ServiceJvm jvm = slots.set(i, null);
    if (jvm != null) {
      long started = System.nanoTime();
      jvm.close();
      progress.accept(
          String.format(
              "instance %d stopped (pid %d, exit %d, %.1f s)%s",
              i,
              jvm.pid(),
              jvm.exitCode(),
              (System.nanoTime() - started) / 1e9,
              closedCleanly(jvm) ? "" : ": NOT closed cleanly (no '" + CLOSED + "' in its log)"));
    }
  }

  /** What {@code dunwatch run} logs once its streams are closed after a stop. */
  static final String CLOSED = "… streams closed";

  private static boolean closedCleanly(ServiceJvm jvm) {
    try {
      String log = Files.readString(jvm.logFile(), StandardCharsets.UTF_8);
      int stop = log.lastIndexOf("… stop requested");
      return stop >= 0 && log.indexOf(CLOSED + "\n", stop) >= 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** Throws when an instance that should run has exited. */
  synchronized void check() {
    for (int i = 0; i < slots.size(); i++) {
      ServiceJvm jvm = slots.get(i);
      if (jvm != null && !jvm.isAlive()) {
        throw new UserError(
            "dunwatch instance "
                + i
                + " exited with code "
                + jvm.exitCode()
                + "; its log: "
                + jvm.logFile());
      }
    }
  }

  @Override
  public synchronized void close() {
    for (int i = 0; i < slots.size(); i++) {
      try {
        stop(i);
      } catch (RuntimeException e) {
        progress.accept("could not stop instance " + i + ": " + e.getMessage());
      }
    }
  }
}

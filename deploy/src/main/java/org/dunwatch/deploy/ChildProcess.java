package org.dunwatch.deploy;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A child process whose output goes to a log file and which is stopped by its PID: on {@link
 * #close()}, from a JVM shutdown hook, and (through {@link ParentWatchdog}) when this JVM dies
 * without running its hooks.
 */
final class ChildProcess implements AutoCloseable {
  /** How long a clean shutdown may take before the child is killed. */
  static final Duration STOP_GRACE = Duration.ofSeconds(15);

  private final String name;
  private final Process process;
  private final Path logFile;
  private final Runnable afterStop;
  private final Thread shutdownHook;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ChildProcess(String name, Process process, Path logFile, Runnable afterStop) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
    this.afterStop = afterStop;
    this.shutdownHook = new Thread(this::close, "dunwatch-stop-" + name + "-" + process.pid());
  }

  /**
   * Starts {@code command} in {@code workDir}, appending stdout and stderr to {@code logFile};
   * {@code afterStop} runs once the process is gone (e.g. deleting its temporary directory).
   */
  static ChildProcess start(
      String name, List<String> command, Path workDir, Path logFile, Runnable afterStop) {
    Process process = launch(command, workDir, logFile);
    ChildProcess child = new ChildProcess(name, process, logFile, afterStop);
    Runtime.getRuntime().addShutdownHook(child.shutdownHook);
    return child;
  }

  /** Runs a short-lived command to completion; returns its exit code. */
  static int run(String name, List<String> command, Path workDir, Path logFile, Duration timeout) {
    Process process = launch(command, workDir, logFile);
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new DeployException(
            LogTail.message(
                name + " did not finish within " + timeout.toSeconds() + " s", logFile));
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new DeployException("interrupted while waiting for " + name, e);
    }
  }

  private static Process launch(List<String> command, Path workDir, Path logFile) {
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectInput(Redirect.PIPE)
              .redirectErrorStream(true)
              .redirectOutput(Redirect.appendTo(logFile.toFile()))
              .start();
      // Nothing is ever typed into a server; closing stdin keeps it from waiting on us.
      process.getOutputStream().close();
      return process;
    } catch (IOException e) {
      throw new DeployException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code, or -1 while the process still runs. */
  int exitCode() {
    return process.isAlive() ? -1 : process.exitValue();
  }

  Path logFile() {
    return logFile;
  }

  String name() {
    return name;
  }

  /**
   * Stops the child (SIGTERM, then SIGKILL after {@link #STOP_GRACE}) and cleans up. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      stop();
    } finally {
      afterStop.run();
      removeShutdownHook();
    }
  }

  /** {@code kill -9}: no clean shutdown, as a crash would; then cleans up. Idempotent. */
  void kill() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      process.toHandle().destroyForcibly();
      if (!awaitExit(Duration.ofSeconds(10))) {
        throw new DeployException(name + " (pid " + pid() + ") survived SIGKILL for 10 s");
      }
    } finally {
      afterStop.run();
      removeShutdownHook();
    }
  }

  private void stop() {
    ProcessHandle handle = process.toHandle();
    if (!handle.isAlive()) {
      return;
    }
    handle.destroy();
    if (awaitExit(STOP_GRACE)) {
      return;
    }
    handle.destroyForcibly();
    if (!awaitExit(Duration.ofSeconds(10))) {
      throw new DeployException(name + " (pid " + pid() + ") survived SIGKILL for 10 s");
    }
  }

  private boolean awaitExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      // Finish stopping the child anyway: leaking it would be worse than a late interrupt.
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  private void removeShutdownHook() {
    if (Thread.currentThread() == shutdownHook) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down; the hook is running or about to and will find us closed.
    }
  }
}

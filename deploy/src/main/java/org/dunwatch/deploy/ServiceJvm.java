package org.dunwatch.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Java service in a child JVM with this JVM's classpath (e.g. one {@code dunwatch run} instance),
 * behind {@link ParentWatchdog}, its output appended to a log file, stopped or killed by its PID.
 */
public final class ServiceJvm implements AutoCloseable {

  private final ChildProcess process;

  private ServiceJvm(ChildProcess process) {
    this.process = process;
  }

  /** Starts {@code mainClass args} with {@code -Xmx maxHeap} in {@code workDir}. */
  public static ServiceJvm start(
      String name,
      String mainClass,
      List<String> args,
      String maxHeap,
      Path workDir,
      Path logFile) {
    List<String> command = new ArrayList<>();
    command.add(ChildJvm.javaBinary().toString());
    command.add("-Xmx" + maxHeap);
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(ChildJvm.join(ChildJvm.currentClasspath()));
    command.add(ParentWatchdog.class.getName());
    command.add(Long.toString(ProcessHandle.current().pid()));
    command.add(mainClass);
    command.addAll(args);
    return new ServiceJvm(
        ChildProcess.start(name, command, Directories.create(workDir), logFile, () -> {}));
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code, or -1 while it runs. */
  public int exitCode() {
    return process.exitCode();
  }

  public Path logFile() {
    return process.logFile();
  }

  /** {@code kill -9}: a crash, nothing closed. */
  public void kill() {
    process.kill();
  }

  /** SIGTERM, then SIGKILL if it has not exited within {@link ChildProcess#STOP_GRACE}. */
  @Override
  public void close() {
    process.close();
  }
}

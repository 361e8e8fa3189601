package org.dunwatch.deploy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of a child JVM that exits when the JVM that started it is gone.
 *
 * <p>Shutdown hooks do not run when the parent is killed with SIGKILL or crashes, and a broker left
 * behind keeps its ports and data. {@code ParentWatchdog <parent pid> <main class> [args...]}
 * starts {@code main class} and calls {@link System#exit} (running the child's own clean shutdown)
 * once the parent PID disappears. It uses only the JDK and no nested classes, so the single class
 * file can be put on a foreign classpath such as Apicurio's.
 */
public final class ParentWatchdog {
  /** Exit status of a child stopped because its parent vanished (128 + SIGTERM, like a kill). */
  static final int PARENT_GONE = 143;

  private ParentWatchdog() {}

  public static void main(String[] args) throws Throwable {
    if (args.length < 2) {
      throw new IllegalArgumentException("usage: ParentWatchdog <parent pid> <main class> [args]");
    }
    long parentPid = Long.parseLong(args[0]);
    ProcessHandle.of(parentPid)
        .ifPresentOrElse(
            parent -> parent.onExit().thenRun(ParentWatchdog::parentGone),
            ParentWatchdog::parentGone);
    Method main = Class.forName(args[1]).getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void parentGone() {
    // Written to the child's log file, which is where anyone looking for the reason will look.
    System.err.println("dunwatch: parent process is gone; shutting down");
    System.exit(PARENT_GONE);
  }
}

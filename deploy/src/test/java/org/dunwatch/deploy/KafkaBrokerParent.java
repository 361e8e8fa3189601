package org.dunwatch.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A JVM that starts a broker and then waits to be killed, for {@link KafkaBrokerIT}: {@code
 * KafkaBrokerParent <data dir> <pid file>} writes the broker's PID to the file once it is ready.
 */
public final class KafkaBrokerParent {
  private KafkaBrokerParent() {}

  public static void main(String[] args) throws Exception {
    KafkaBroker broker = KafkaBroker.builder().dataDir(Path.of(args[0])).start();
    Path pidFile = Path.of(args[1]);
    Path partial = pidFile.resolveSibling(pidFile.getFileName() + ".tmp");
    Files.writeString(partial, Long.toString(broker.pid()));
    Files.move(partial, pidFile);
    Thread.sleep(Long.MAX_VALUE);
  }
}

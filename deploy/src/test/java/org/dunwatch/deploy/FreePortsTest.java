package org.dunwatch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FreePortsTest {

  private static ServerSocket occupy() throws Exception {
    ServerSocket socket = new ServerSocket();
    socket.bind(new InetSocketAddress(FreePorts.loopback(), 0));
    return socket;
  }

  @Test
  void shouldPickDistinctPortsThatAreFree() {
    List<Integer> ports = FreePorts.pick(5);

    assertEquals(5, new HashSet<>(ports).size(), ports.toString());
    ports.forEach(port -> assertTrue(FreePorts.isAvailable(port), "port " + port));
  }

  @Test
  void shouldNeverHandOutAPortTwiceInOneProcessThoughItIsStillUnbound() {
    // one at a time, nothing bound in between: what the registry and the broker do when they start
    // side by side and bind seconds later
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      ports.add(FreePorts.pick());
    }

    assertEquals(ports.size(), new HashSet<>(ports).size(), ports.toString());
  }

  @Test
  void shouldNameTheBusyPortAndAddress() throws Exception {
    try (ServerSocket busy = occupy()) {
      int port = busy.getLocalPort();

      assertFalse(FreePorts.isAvailable(port));
      DeployException e =
          assertThrows(DeployException.class, () -> FreePorts.requireAvailable(port));
      assertEquals("port " + port + " on 127.0.0.1 is already in use", e.getMessage());
    }
  }

  @Test
  void shouldFailFastWithoutStartingABrokerWhenItsPortIsBusy(@TempDir Path dataDir)
      throws Exception {
    try (ServerSocket busy = occupy()) {
      int port = busy.getLocalPort();

      DeployException e =
          assertThrows(
              DeployException.class,
              () -> KafkaBroker.builder().dataDir(dataDir).port(port).start());
      assertEquals("port " + port + " on 127.0.0.1 is already in use", e.getMessage());
      assertFalse(Files.exists(dataDir.resolve(KafkaBroker.LOG_FILE)), "a broker was launched");
    }
  }

  @Test
  void shouldFailFastWithoutDownloadingWhenTheRegistryPortIsBusy(@TempDir Path empty)
      throws Exception {
    try (ServerSocket busy = occupy()) {
      int port = busy.getLocalPort();

      DeployException e =
          assertThrows(
              DeployException.class,
              () ->
                  ApicurioRegistry.builder()
                      .port(port)
                      .localRepository(empty.resolve("m2"))
                      .cacheDir(empty.resolve("cache"))
                      .repositoryUrl("http://127.0.0.1:1/unreachable")
                      .start());
      assertEquals("port " + port + " on 127.0.0.1 is already in use", e.getMessage());
    }
  }
}

package org.dunwatch.deploy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Loopback ports for the local broker and registry.
 *
 * <p>A port picked here is free when this returns; the child process binds it a moment later, so
 * another process may take it in between. That race is rare and surfaces as a start failure with
 * the child's log, which is why callers do not retry blindly.
 */
public final class FreePorts {
  /** Every local service binds here and nowhere else. */
  public static final String LOOPBACK = "127.0.0.1";

  private FreePorts() {}

  /** One free port on {@value #LOOPBACK}. */
  public static int pick() {
    return pick(1).get(0);
  }

  /**
   * Ports this process has handed out. The registry and the broker start side by side and bind
   * their ports seconds later; in between the kernel may offer a just-picked port again (seen in
   * CI: both given 45503, the broker failed to bind). A port is handed out once per process.
   */
  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  /** {@code count} distinct free ports on {@value #LOOPBACK}, none handed out before. */
  public static synchronized List<Integer> pick(int count) {
    // All sockets stay open until every port is chosen, so the kernel cannot hand one out twice.
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      List<Integer> ports = new ArrayList<>();
      while (ports.size() < count) {
        ServerSocket socket = new ServerSocket();
        sockets.add(socket);
        socket.bind(new InetSocketAddress(loopback(), 0));
        if (HANDED_OUT.add(socket.getLocalPort())) {
          ports.add(socket.getLocalPort());
        }
      }
      return List.copyOf(ports);
    } catch (IOException e) {
      throw new DeployException("cannot find a free port on " + LOOPBACK, e);
    } finally {
      sockets.forEach(FreePorts::closeQuietly);
    }
  }

  /** Whether a server could bind {@code port} on {@value #LOOPBACK} now. */
  public static boolean isAvailable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(loopback(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Fails fast, before any process is started, when a fixed port is taken.
   *
   * @throws DeployException "port 9092 on 127.0.0.1 is already in use"
   */
  public static void requireAvailable(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, was " + port);
    }
    if (!isAvailable(port)) {
      throw new DeployException("port " + port + " on " + LOOPBACK + " is already in use");
    }
  }

  /** {@code port} if fixed (after checking it is free), otherwise a freshly picked one. */
  static int fixedOrFree(int port) {
    if (port == 0) {
      return pick();
    }
    requireAvailable(port);
    return port;
  }

  /** Whether something accepts TCP connections on {@code port} of {@value #LOOPBACK}. */
  static boolean isListening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(loopback(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static InetAddress loopback() {
    try {
      return InetAddress.getByAddress(LOOPBACK, new byte[] {127, 0, 0, 1});
    } catch (IOException e) {
      throw new AssertionError("a 4-byte address is always valid", e);
    }
  }

  private static void closeQuietly(ServerSocket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // The port is released either way once the socket object is gone.
    }
  }
}

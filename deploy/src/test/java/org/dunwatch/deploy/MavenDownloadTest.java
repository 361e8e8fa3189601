package org.dunwatch.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MavenDownloadTest {
  private static final String ARTIFACT =
      MavenDownload.path("org.example", "dist", "1.0", "all", "tar.gz");

  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final List<String> progress = new ArrayList<>();
  private HttpServer server;

  @TempDir Path localRepository;

  @BeforeEach
  void serveRepository() throws Exception {
    server = HttpServer.create(new InetSocketAddress(FreePorts.loopback(), 0), 0);
    server.createContext(
        "/maven2/",
        exchange -> {
          requests.incrementAndGet();
          byte[] body =
              files.get(exchange.getRequestURI().getPath().substring("/maven2/".length()));
          if (body == null) {
            exchange.sendResponseHeaders(404, -1);
          } else {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          }
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopRepository() {
    server.stop(0);
  }

  private MavenDownload download() {
    return new MavenDownload(
        "http://127.0.0.1:" + server.getAddress().getPort() + "/maven2/",
        localRepository,
        progress::add);
  }

  private static byte[] randomBytes(int size) {
    byte[] bytes = new byte[size];
    new Random(42).nextBytes(bytes);
    return bytes;
  }

  private static String sha1(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
  }

  @Test
  void shouldLayOutPathsLikeMaven() {
    assertEquals(
        "io/apicurio/apicurio-registry-app/3.0.9/apicurio-registry-app-3.0.9-all.tar.gz",
        ApicurioDistribution.ARTIFACT);
  }

  @Test
  void shouldStoreAVerifiedCopyWhereMavenWouldAndReportProgress() throws Exception {
    byte[] content = randomBytes(3 * 1024 * 1024);
    files.put(ARTIFACT, content);
    files.put(
        ARTIFACT + ".sha1",
        (sha1(content) + "  dist-1.0-all.tar.gz\n").getBytes(StandardCharsets.US_ASCII));

    Path stored = download().fetch(ARTIFACT);

    assertEquals(localRepository.resolve(ARTIFACT), stored);
    assertArrayEquals(content, Files.readAllBytes(stored));
    assertEquals(
        sha1(content), Files.readString(stored.resolveSibling("dist-1.0-all.tar.gz.sha1")));
    assertTrue(progress.contains("download: 100% (3 of 3 MiB)"), progress.toString());
  }

  @Test
  void shouldReuseTheLocalCopyWithoutAskingTheRepository() throws Exception {
    byte[] content = randomBytes(1000);
    files.put(ARTIFACT, content);
    files.put(ARTIFACT + ".sha1", sha1(content).getBytes(StandardCharsets.US_ASCII));
    download().fetch(ARTIFACT);
    int before = requests.get();

    Path again = download().fetch(ARTIFACT);

    assertEquals(before, requests.get());
    assertArrayEquals(content, Files.readAllBytes(again));
  }

  @Test
  void shouldRefuseAFileThatDoesNotMatchItsChecksumAndKeepNothing() throws Exception {
    files.put(ARTIFACT, randomBytes(1000));
    files.put(ARTIFACT + ".sha1", sha1(new byte[] {1}).getBytes(StandardCharsets.US_ASCII));

    DeployException e = assertThrows(DeployException.class, () -> download().fetch(ARTIFACT));

    assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    Path dir = localRepository.resolve(ARTIFACT).getParent();
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(List.of(), left.toList());
    }
  }

  @Test
  void shouldFetchAgainWhenTheLocalCopyIsCorrupt() throws Exception {
    byte[] content = randomBytes(1000);
    files.put(ARTIFACT, content);
    files.put(ARTIFACT + ".sha1", sha1(content).getBytes(StandardCharsets.US_ASCII));
    Path stored = download().fetch(ARTIFACT);
    Files.write(stored, new byte[] {0, 1, 2});

    download().fetch(ARTIFACT);

    assertArrayEquals(content, Files.readAllBytes(stored));
  }

  @Test
  void shouldNameTheUrlWhenTheRepositoryDoesNotHaveTheFile() {
    DeployException e = assertThrows(DeployException.class, () -> download().fetch(ARTIFACT));

    assertTrue(e.getMessage().contains("/maven2/" + ARTIFACT + ".sha1: HTTP 404"), e.getMessage());
    assertFalse(Files.exists(localRepository.resolve(ARTIFACT)));
  }
}

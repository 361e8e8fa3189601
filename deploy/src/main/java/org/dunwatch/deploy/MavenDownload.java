package org.dunwatch.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fetches a file from a Maven repository into the local repository, checked against its {@code
 * .sha1}, for artifacts that Maven itself cannot resolve (Apicurio's distribution has no parent POM
 * on Central). Files land where Maven would put them, so both share one copy.
 */
final class MavenDownload {
  static final String CENTRAL = "https://repo.maven.apache.org/maven2";
  static final String REPOSITORY_ENV = "DUNWATCH_MAVEN_REPO";

  private static final Pattern SHA1 = Pattern.compile("\\b([0-9a-fA-F]{40})\\b");
  private static final int TIMEOUT_MS = 30_000;

  private final String repositoryUrl;
  private final Path localRepository;
  private final Consumer<String> log;

  MavenDownload(String repositoryUrl, Path localRepository, Consumer<String> log) {
    this.repositoryUrl = repositoryUrl.replaceAll("/+$", "");
    this.localRepository = localRepository;
    this.log = log;
  }

  /** {@code $DUNWATCH_MAVEN_REPO}, else Maven Central. */
  static String defaultRepositoryUrl() {
    String fromEnv = System.getenv(REPOSITORY_ENV);
    return fromEnv == null || fromEnv.isBlank() ? CENTRAL : fromEnv.trim();
  }

  /** {@code -Dmaven.repo.local} if set, else {@code ~/.m2/repository}. */
  static Path defaultLocalRepository() {
    String fromProperty = System.getProperty("maven.repo.local");
    if (fromProperty != null && !fromProperty.isBlank()) {
      return Path.of(fromProperty);
    }
    return Path.of(System.getProperty("user.home"), ".m2", "repository");
  }

  /** Repository-relative path, e.g. {@code io/apicurio/x/1.0/x-1.0-all.tar.gz}. */
  static String path(
      String groupId, String artifactId, String version, String classifier, String extension) {
    String file =
        artifactId
            + "-"
            + version
            + (classifier == null || classifier.isEmpty() ? "" : "-" + classifier)
            + "."
            + extension;
    return groupId.replace('.', '/') + "/" + artifactId + "/" + version + "/" + file;
  }

  /**
   * The local copy of {@code relativePath}, downloaded first if missing or if it no longer matches
   * the {@code .sha1} kept beside it.
   */
  Path fetch(String relativePath) {
    Path target = localRepository.resolve(relativePath);
    Path checksumFile = target.resolveSibling(target.getFileName() + ".sha1");
    if (Files.isRegularFile(target)) {
      if (!Files.isRegularFile(checksumFile)) {
        return target;
      }
      String expected = parseSha1(read(checksumFile), checksumFile.toString());
      if (expected.equals(sha1(target))) {
        return target;
      }
      log.accept("download: " + target + " does not match its .sha1; fetching it again");
    }
    String url = repositoryUrl + "/" + relativePath;
    String expected = parseSha1(new String(get(url + ".sha1"), StandardCharsets.US_ASCII), url);
    Directories.create(target.getParent());
    Path part = temporarySibling(target);
    try {
      String actual = download(url, part);
      if (!actual.equals(expected)) {
        throw new DeployException(
            "checksum mismatch for " + url + ": expected sha1 " + expected + ", got " + actual);
      }
      Files.writeString(checksumFile, expected, StandardCharsets.US_ASCII);
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      log.accept("download: verified sha1 and stored " + target);
      return target;
    } catch (IOException e) {
      throw new DeployException("cannot store " + target + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(part);
    }
  }

  private String download(String url, Path part) {
    URLConnection connection = open(url);
    long length = connection.getContentLengthLong();
    log.accept("download: " + url + (length > 0 ? " (" + mib(length) + " MiB)" : ""));
    MessageDigest digest = newSha1();
    try (InputStream in = new DigestInputStream(connection.getInputStream(), digest);
        OutputStream out = Files.newOutputStream(part)) {
      byte[] buffer = new byte[64 * 1024];
      long done = 0;
      int reportedTenths = 0;
      long nextMark = 10L * 1024 * 1024;
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        done += n;
        if (length > 0) {
          int tenths = (int) (done * 10 / length);
          if (tenths > reportedTenths) {
            reportedTenths = tenths;
            log.accept(
                String.format(
                    Locale.ROOT,
                    "download: %d%% (%d of %d MiB)",
                    tenths * 10,
                    mib(done),
                    mib(length)));
          }
        } else if (done >= nextMark) {
          log.accept("download: " + mib(done) + " MiB");
          nextMark += 10L * 1024 * 1024;
        }
      }
      if (length > 0 && done != length) {
        throw new DeployException(
            "download of " + url + " ended after " + done + " of " + length + " bytes");
      }
    } catch (IOException e) {
      throw new DeployException("cannot download " + url + ": " + e.getMessage(), e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static byte[] get(String url) {
    try (InputStream in = open(url).getInputStream()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new DeployException("cannot download " + url + ": " + e.getMessage(), e);
    }
  }

  private static URLConnection open(String url) {
    try {
      URLConnection connection = URI.create(url).toURL().openConnection();
      // Read timeout too: a stalled transfer must fail rather than hang a start-up forever.
      connection.setConnectTimeout(TIMEOUT_MS);
      connection.setReadTimeout(TIMEOUT_MS);
      if (connection instanceof HttpURLConnection) {
        HttpURLConnection http = (HttpURLConnection) connection;
        http.setInstanceFollowRedirects(true);
        int status = http.getResponseCode();
        if (status != HttpURLConnection.HTTP_OK) {
          http.disconnect();
          throw new DeployException("cannot download " + url + ": HTTP " + status);
        }
      }
      return connection;
    } catch (IOException | IllegalArgumentException e) {
      throw new DeployException("cannot download " + url + ": " + e.getMessage(), e);
    }
  }

  static String parseSha1(String text, String source) {
    Matcher matcher = SHA1.matcher(text);
    if (!matcher.find()) {
      throw new DeployException("no sha1 checksum in " + source);
    }
    return matcher.group(1).toLowerCase(Locale.ROOT);
  }

  static String sha1(Path file) {
    MessageDigest digest = newSha1();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new DeployException("cannot read " + file, e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest newSha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has SHA-1", e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new DeployException("cannot read " + file, e);
    }
  }

  private static Path temporarySibling(Path target) {
    try {
      // In the target's directory, so the final move is a rename and never a partial copy.
      return Files.createTempFile(target.getParent(), target.getFileName() + ".", ".part");
    } catch (IOException e) {
      throw new DeployException("cannot write to " + target.getParent(), e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A leftover .part file is harmless; the next download writes a new one.
    }
  }

  private static long mib(long bytes) {
    return bytes / (1024 * 1024);
  }
}

package org.dunwatch.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

/** The Apicurio Registry server distribution, downloaded once and unpacked into a cache. */
final class ApicurioDistribution {
  static final String VERSION = "3.0.9";
  static final String RUNNER_JAR = "apicurio-registry-app-" + VERSION + "-runner.jar";
  static final String ARTIFACT =
      MavenDownload.path("io.apicurio", "apicurio-registry-app", VERSION, "all", "tar.gz");

  private ApicurioDistribution() {}

  /** {@code $XDG_CACHE_HOME/dunwatch}, else {@code ~/.cache/dunwatch}. */
  static Path defaultCacheDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg == null || xdg.isBlank()
            ? Path.of(System.getProperty("user.home"), ".cache")
            : Path.of(xdg);
    return base.resolve("dunwatch");
  }

  /** The unpacked distribution (holding {@link #RUNNER_JAR} and {@code lib/}), made if missing. */
  static Path install(MavenDownload download, Path cacheDir, Consumer<String> log) {
    Path home = cacheDir.resolve("apicurio-registry-" + VERSION);
    if (Files.isRegularFile(home.resolve(RUNNER_JAR))) {
      return home;
    }
    Path archive = download.fetch(ARTIFACT);
    Directories.create(cacheDir);
    // A directory without the runner jar is not one of ours finished; only complete ones are
    // renamed into place, so it can go.
    Directories.deleteRecursively(home);
    Path staging = createStaging(cacheDir, home);
    try {
      log.accept("apicurio: unpacking " + archive.getFileName() + " into " + home);
      untar(archive, staging);
      if (!Files.isRegularFile(staging.resolve(RUNNER_JAR))) {
        throw new DeployException(archive + " has no " + RUNNER_JAR + " at its top level");
      }
      try {
        Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
        // Another process unpacked the same archive first; its copy is as good as ours.
      } catch (IOException e) {
        throw new DeployException("cannot move " + staging + " to " + home, e);
      }
      return home;
    } finally {
      Directories.deleteRecursively(staging);
    }
  }

  /** {@code Main-Class} of the runner jar, so the watchdog can start it from a plain classpath. */
  static String mainClass(Path runnerJar) {
    try (JarFile jar = new JarFile(runnerJar.toFile())) {
      String main = jar.getManifest().getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
      if (main == null) {
        throw new DeployException(runnerJar + " has no Main-Class");
      }
      return main;
    } catch (IOException e) {
      throw new DeployException("cannot read " + runnerJar, e);
    }
  }

  private static Path createStaging(Path cacheDir, Path home) {
    try {
      return Files.createTempDirectory(cacheDir, home.getFileName() + ".unpacking-");
    } catch (IOException e) {
      throw new DeployException("cannot create a directory in " + cacheDir, e);
    }
  }

  private static void untar(Path archive, Path into) {
    // tar ships with Linux, macOS and Windows 10+, and handles every tar dialect for us.
    Path output = into.resolve(".tar-output");
    List<String> command = List.of("tar", "-xzf", archive.toString(), "-C", into.toString());
    int exit;
    try {
      exit = ChildProcess.run("tar", command, into, output, Duration.ofMinutes(5));
    } catch (DeployException e) {
      throw new DeployException("cannot unpack " + archive + " with tar: " + e.getMessage(), e);
    }
    if (exit != 0) {
      throw new DeployException(
          "tar -xzf " + archive + " failed with exit code " + exit + ": " + read(output));
    }
    try {
      Files.deleteIfExists(output);
    } catch (IOException e) {
      throw new DeployException("cannot delete " + output, e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "(no output)";
    }
  }
}

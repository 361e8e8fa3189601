package org.dunwatch.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A real Apicurio Registry {@value ApicurioDistribution#VERSION} server in a child JVM on loopback,
 * for the Confluent-compatible schema registry API at {@link #ccompatUrl()}.
 *
 * <p>The distribution ({@code io.apicurio:apicurio-registry-app:3.0.9:tar.gz:all}, 108 MB) is
 * fetched from Maven Central into the local Maven repository on first use and unpacked into {@code
 * ~/.cache/dunwatch}; later starts need no network. Schemas live in the registry's in-memory
 * database and are gone when it stops.
 *
 * <pre>{@code
 * try (ApicurioRegistry registry = ApicurioRegistry.builder().log(System.err::println).start()) {
 *   ... registry.ccompatUrl() ...   // http://127.0.0.1:<port>/apis/ccompat/v7
 * }
 * }</pre>
 */
public final class ApicurioRegistry implements AutoCloseable {
  public static final String VERSION = ApicurioDistribution.VERSION;
  static final String LOG_FILE = "registry.log";
  static final String CCOMPAT_PATH = "/apis/ccompat/v7";

  private final ChildProcess process;
  private final Path workDir;
  private final int port;
  private final Consumer<String> log;

  private ApicurioRegistry(ChildProcess process, Path workDir, int port, Consumer<String> log) {
    this.process = process;
    this.workDir = workDir;
    this.port = port;
    this.log = log;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String url() {
    return "http://" + FreePorts.LOOPBACK + ":" + port;
  }

  /** {@code http://127.0.0.1:<port>/apis/ccompat/v7}, the Confluent Schema Registry API. */
  public String ccompatUrl() {
    return url() + CCOMPAT_PATH;
  }

  public int port() {
    return port;
  }

  /** PID of the registry's JVM. */
  public long pid() {
    return process.pid();
  }

  public Path workDir() {
    return workDir;
  }

  public Path logFile() {
    return process.logFile();
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  /**
   * Stops the registry by its PID (SIGTERM, SIGKILL after 15 s) and deletes a temporary work
   * directory. Idempotent.
   */
  @Override
  public void close() {
    process.close();
    log.accept("apicurio: stopped (pid " + process.pid() + ")");
  }

  /** Options for {@link ApicurioRegistry}; every one has a default. */
  public static final class Builder {
    private int port;
    private Path workDir;
    private Path cacheDir = ApicurioDistribution.defaultCacheDir();
    private Path localRepository = MavenDownload.defaultLocalRepository();
    private String repositoryUrl = MavenDownload.defaultRepositoryUrl();
    private String maxHeap = "512m";
    private final List<String> jvmOptions = new ArrayList<>();
    private Duration startupTimeout = Duration.ofSeconds(240);
    private Consumer<String> log = line -> {};

    private Builder() {}

    /** HTTP port on 127.0.0.1; 0 (default) picks a free one. A busy fixed port fails fast. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /** Where the log and temporary files go; kept on close. Default: a temporary directory. */
    public Builder workDir(Path workDir) {
      this.workDir = Objects.requireNonNull(workDir, "workDir");
      return this;
    }

    /** Where the distribution is unpacked. Default: {@code ~/.cache/dunwatch}. */
    public Builder cacheDir(Path cacheDir) {
      this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
      return this;
    }

    /**
     * The Maven local repository. Default: {@code -Dmaven.repo.local} or {@code ~/.m2/repository}.
     */
    public Builder localRepository(Path localRepository) {
      this.localRepository = Objects.requireNonNull(localRepository, "localRepository");
      return this;
    }

    /** Maven repository to download from. Default: {@code $DUNWATCH_MAVEN_REPO} or Central. */
    public Builder repositoryUrl(String repositoryUrl) {
      this.repositoryUrl = Objects.requireNonNull(repositoryUrl, "repositoryUrl");
      return this;
    }

    /** The child's {@code -Xmx}; default {@code "512m"}. */
    public Builder maxHeap(String maxHeap) {
      this.maxHeap = Objects.requireNonNull(maxHeap, "maxHeap");
      return this;
    }

    /**
     * An extra option for the registry JVM, e.g. {@code -Dapicurio.ccompat.max-subjects=5000}
     * (Quarkus reads its configuration from system properties).
     */
    public Builder jvmOption(String option) {
      jvmOptions.add(Objects.requireNonNull(option, "option"));
      return this;
    }

    /** How long to wait for the registry to answer (default 90 s; excludes the download). */
    public Builder startupTimeout(Duration startupTimeout) {
      this.startupTimeout = Objects.requireNonNull(startupTimeout, "startupTimeout");
      return this;
    }

    /** Receives one-line progress messages (download progress, started, stopped). */
    public Builder log(Consumer<String> log) {
      this.log = Objects.requireNonNull(log, "log");
      return this;
    }

    /**
     * Installs the distribution if needed, starts the registry and returns once {@code GET
     * /apis/ccompat/v7/subjects} answers 200.
     *
     * @throws DeployException if the download fails its checksum, a fixed port is busy, or the
     *     registry exits or does not answer in time; start-up failures end with the log's tail
     */
    public ApicurioRegistry start() {
      int httpPort = FreePorts.fixedOrFree(port);
      MavenDownload download = new MavenDownload(repositoryUrl, localRepository, log);
      Path home = ApicurioDistribution.install(download, cacheDir, log);
      boolean temporary = workDir == null;
      Path dir =
          temporary ? Directories.createTemp("dunwatch-apicurio-") : Directories.create(workDir);
      try {
        return start(home, dir, temporary, httpPort);
      } catch (RuntimeException e) {
        if (temporary) {
          Directories.deleteRecursively(dir);
        }
        throw e;
      }
    }

    private ApicurioRegistry start(Path home, Path dir, boolean temporary, int httpPort) {
      long started = System.nanoTime();
      Path runnerJar = home.resolve(ApicurioDistribution.RUNNER_JAR);
      Path tmp = Directories.create(dir.resolve("tmp"));
      Path watchdog = installWatchdog(dir.resolve("watchdog"));

      List<String> command = new ArrayList<>();
      command.add(ChildJvm.javaBinary().toString());
      command.add("-Xmx" + maxHeap);
      command.add("-Djava.io.tmpdir=" + tmp);
      command.add("-Dquarkus.http.host=" + FreePorts.LOOPBACK);
      command.add("-Dquarkus.http.port=" + httpPort);
      // Both default to /tmp; keep everything the registry writes inside its work directory.
      command.add("-Dapicurio.import.work-dir=" + tmp);
      command.add("-Dapicurio.storage.snapshot.location=" + tmp);
      command.addAll(jvmOptions);
      // "-cp runner.jar" instead of "-jar": the jar's manifest Class-Path still pulls in lib/,
      // and the watchdog class can sit in front of Quarkus' own main.
      command.add("-cp");
      command.add(ChildJvm.join(List.of(runnerJar, watchdog)));
      command.add(ParentWatchdog.class.getName());
      command.add(Long.toString(ProcessHandle.current().pid()));
      command.add(ApicurioDistribution.mainClass(runnerJar));

      log.accept(
          "apicurio: starting registry " + VERSION + " on " + FreePorts.LOOPBACK + ":" + httpPort);
      ChildProcess child =
          ChildProcess.start(
              "apicurio registry",
              command,
              dir,
              dir.resolve(LOG_FILE),
              temporary ? () -> Directories.deleteRecursively(dir) : () -> {});
      ApicurioRegistry registry = new ApicurioRegistry(child, dir, httpPort, log);
      try {
        registry.awaitReady(started, startupTimeout);
      } catch (RuntimeException e) {
        child.close();
        throw e;
      }
      log.accept(
          String.format(
              "apicurio: registry ready at %s in %.1f s (pid %d, log %s)",
              registry.ccompatUrl(),
              (System.nanoTime() - started) / 1e9,
              child.pid(),
              child.logFile()));
      return registry;
    }

    /**
     * Copies the single {@link ParentWatchdog} class file, so Apicurio gets nothing else of ours.
     */
    private static Path installWatchdog(Path root) {
      String resource = ParentWatchdog.class.getName().replace('.', '/') + ".class";
      Path target = root.resolve(resource);
      Directories.create(target.getParent());
      try (InputStream in = ParentWatchdog.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new DeployException("cannot find " + resource + " on the classpath");
        }
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        return root;
      } catch (IOException e) {
        throw new DeployException("cannot write " + target, e);
      }
    }
  }

  private void awaitReady(long startedNanos, Duration timeout) {
    long deadline = startedNanos + timeout.toNanos();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(ccompatUrl() + "/subjects"))
            .timeout(Duration.ofSeconds(5))
            .GET()
            .build();
    String last = "no answer yet";
    while (true) {
      if (!process.isAlive()) {
        throw new DeployException(
            LogTail.message(
                "apicurio registry exited during start-up with code " + process.exitCode(),
                logFile()));
      }
      if (System.nanoTime() > deadline) {
        throw new DeployException(
            LogTail.message(
                "apicurio registry did not answer on "
                    + ccompatUrl()
                    + "/subjects within "
                    + timeout.toSeconds()
                    + " s (last: "
                    + last
                    + ")",
                logFile()));
      }
      if (FreePorts.isListening(port)) {
        try {
          HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() == 200) {
            return;
          }
          last = "HTTP " + response.statusCode() + " " + response.body();
        } catch (IOException e) {
          last = e.toString();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new DeployException("interrupted while waiting for the registry", e);
        }
      }
      try {
        TimeUnit.MILLISECONDS.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DeployException("interrupted while waiting for the registry", e);
      }
    }
  }
}

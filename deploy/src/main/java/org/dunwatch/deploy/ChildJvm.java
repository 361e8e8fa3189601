package org.dunwatch.deploy;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/** How a child JVM is launched: the same {@code java} and, for Kafka, the same classpath. */
final class ChildJvm {
  private ChildJvm() {}

  /** The {@code java} of the running JVM, so the child gets the same version and vendor. */
  static Path javaBinary() {
    Path bin = Path.of(System.getProperty("java.home"), "bin");
    Path java = bin.resolve(isWindows() ? "java.exe" : "java");
    if (!Files.isExecutable(java)) {
      throw new DeployException("no java executable at " + java);
    }
    return java;
  }

  /**
   * The running JVM's classpath, with manifest {@code Class-Path} entries spelled out.
   *
   * <p>Surefire and Failsafe start tests with a single "manifest-only" booter jar that lists the
   * real classpath in its manifest and is deleted when the fork ends; handing that jar to a child
   * that outlives a test would break it, so the entries it points at are passed instead.
   */
  static List<Path> currentClasspath() {
    return expand(System.getProperty("java.class.path", ""));
  }

  static List<Path> expand(String classpath) {
    Set<Path> entries = new LinkedHashSet<>();
    for (String entry : classpath.split(File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      Path path = Path.of(entry).toAbsolutePath().normalize();
      List<Path> referenced = manifestClassPath(path);
      // A jar that only carries a manifest adds nothing itself; keep it out of the child's path.
      if (referenced.isEmpty() || hasClasses(path)) {
        entries.add(path);
      }
      entries.addAll(referenced);
    }
    return List.copyOf(entries);
  }

  static String join(List<Path> classpath) {
    List<String> parts = new ArrayList<>();
    classpath.forEach(p -> parts.add(p.toString()));
    return String.join(File.pathSeparator, parts);
  }

  private static List<Path> manifestClassPath(Path jar) {
    if (!Files.isRegularFile(jar) || !jar.toString().endsWith(".jar")) {
      return List.of();
    }
    try (JarFile file = new JarFile(jar.toFile())) {
      Manifest manifest = file.getManifest();
      String value =
          manifest == null
              ? null
              : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
      if (value == null || value.isBlank()) {
        return List.of();
      }
      URI base = jar.toUri();
      List<Path> paths = new ArrayList<>();
      for (String reference : value.trim().split("\\s+")) {
        URI resolved = base.resolve(reference);
        if ("file".equals(resolved.getScheme())) {
          paths.add(Path.of(resolved).normalize());
        }
      }
      return paths;
    } catch (IOException | IllegalArgumentException e) {
      // An unreadable jar is passed through unchanged; the child JVM reports it if it matters.
      return List.of();
    }
  }

  private static boolean hasClasses(Path jar) {
    try (JarFile file = new JarFile(jar.toFile())) {
      return file.stream().anyMatch(e -> e.getName().endsWith(".class"));
    } catch (IOException e) {
      return true;
    }
  }

  static boolean isWindows() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("win");
  }
}

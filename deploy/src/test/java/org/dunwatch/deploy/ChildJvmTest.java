package org.dunwatch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildJvmTest {

  @Test
  void shouldReplaceAManifestOnlyBooterJarByTheEntriesItLists(@TempDir Path dir) throws Exception {
    Path classes = Files.createDirectories(dir.resolve("target classes"));
    Path lib = Files.createFile(dir.resolve("kafka-clients.jar"));
    Path booter = dir.resolve("surefirebooter.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    // Surefire writes absolute file: URLs with percent-encoded spaces.
    manifest
        .getMainAttributes()
        .put(Attributes.Name.CLASS_PATH, classes.toUri() + " " + lib.toUri());
    try (OutputStream out = Files.newOutputStream(booter);
        JarOutputStream jar = new JarOutputStream(out, manifest)) {
      jar.flush();
    }

    List<Path> expanded = ChildJvm.expand(booter.toString());

    assertEquals(List.of(classes, lib), expanded);
  }

  @Test
  void shouldKeepAnOrdinaryClasspathAsItIs(@TempDir Path dir) {
    String classpath =
        dir.resolve("a").toString() + File.pathSeparator + dir.resolve("b.jar").toString();

    assertEquals(List.of(dir.resolve("a"), dir.resolve("b.jar")), ChildJvm.expand(classpath));
  }

  @Test
  void shouldUseTheRunningJava() {
    Path java = ChildJvm.javaBinary();

    assertTrue(java.startsWith(Path.of(System.getProperty("java.home"))), java.toString());
    assertTrue(Files.isExecutable(java));
  }
}

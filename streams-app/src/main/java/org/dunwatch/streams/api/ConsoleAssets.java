package org.dunwatch.streams.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/**
 * The console's files, bundled in the jar: its own under {@code org/dunwatch/console/}, the chart
 * library from its webjar. Only these two folders are reachable, and only by a plain relative name,
 * so a request cannot climb out of them to other classpath resources.
 */
public final class ConsoleAssets {

  static final String OWN = "org/dunwatch/console/";
  static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png");

  /** A file to send: its bytes and content type. */
  public record Asset(byte[] body, String contentType) {}

  private final ClassLoader loader;

  public ConsoleAssets() {
    this(ConsoleAssets.class.getClassLoader());
  }

  ConsoleAssets(ClassLoader loader) {
    this.loader = loader;
  }

  /** The page itself, for {@code /}. */
  public Asset index() {
    return find("index.html").orElseThrow(() -> new IllegalStateException("console not bundled"));
  }

  /**
   * The file for a path under {@code /console/}: {@code app.js}, {@code lib/uplot/uPlot.esm.js};
   * empty for anything else.
   */
  public Optional<Asset> find(String path) {
    if (path == null || !path.matches("[A-Za-z0-9_./-]+") || path.contains("..")) {
      return Optional.empty();
    }
    String resource;
    if (path.startsWith("lib/uplot/")) {
      resource = UPLOT + path.substring("lib/uplot/".length());
    } else if (path.contains("/")) {
      return Optional.empty();
    } else {
      resource = OWN + path;
    }
    String ext = path.substring(path.lastIndexOf('.') + 1);
    String type = TYPES.get(ext);
    if (type == null) {
      return Optional.empty();
    }
    try (InputStream in = loader.getResourceAsStream(resource)) {
      return in == null ? Optional.empty() : Optional.of(new Asset(in.readAllBytes(), type));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}

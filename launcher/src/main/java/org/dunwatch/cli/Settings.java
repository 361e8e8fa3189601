package org.dunwatch.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Layered configuration: defaults in code, then a properties file, then {@code DUNWATCH_*} and
 * {@code KAFKA_*} environment variables, then command-line flags; each layer overrides the one
 * before.
 *
 * <p>{@code DUNWATCH_SCHEMA_REGISTRY_URL} becomes {@code schema.registry.url}; {@code
 * KAFKA_SECURITY_PROTOCOL} becomes the Kafka client property {@code kafka.security.protocol}
 * (passed to every client with the {@code kafka.} prefix removed).
 */
public final class Settings {

  public static final String BOOTSTRAP = "bootstrap.servers";
  public static final String REGISTRY = "schema.registry.url";
  public static final String KAFKA_PREFIX = "kafka.";

  private final Map<String, String> values;

  private Settings(Map<String, String> values) {
    this.values = values;
  }

  public static Settings resolve(
      Map<String, String> defaults,
      Path configFile,
      Map<String, String> env,
      Map<String, String> flags) {
    Map<String, String> merged = new TreeMap<>(defaults);
    if (configFile != null) {
      merged.putAll(readProperties(configFile));
    }
    env.forEach(
        (name, value) -> {
          if (name.startsWith("DUNWATCH_") && name.length() > "DUNWATCH_".length()) {
            merged.put(envToKey(name.substring("DUNWATCH_".length())), value);
          } else if (name.startsWith("KAFKA_") && name.length() > "KAFKA_".length()) {
            merged.put(KAFKA_PREFIX + envToKey(name.substring("KAFKA_".length())), value);
          }
        });
    flags.forEach(
        (k, v) -> {
          if (v != null) {
            merged.put(k, v);
          }
        });
    return new Settings(merged);
  }

  static String envToKey(String suffix) {
    return suffix.toLowerCase(Locale.ROOT).replace('_', '.');
  }

  private static Map<String, String> readProperties(Path file) {
    if (!Files.isReadable(file)) {
      throw new UserError("config file " + file + " does not exist or cannot be read");
    }
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IOException | IllegalArgumentException e) {
      throw new UserError("cannot read config file " + file + ": " + e.getMessage());
    }
    Map<String, String> out = new TreeMap<>();
    p.stringPropertyNames().forEach(n -> out.put(n, p.getProperty(n).trim()));
    return out;
  }

  public String get(String key) {
    String v = values.get(key);
    return v == null || v.isBlank() ? null : v;
  }

  public Map<String, String> all() {
    return values;
  }

  /** Kafka client properties, from {@code kafka.*} keys. */
  public Map<String, String> kafkaClientProperties() {
    Map<String, String> out = new TreeMap<>();
    values.forEach(
        (k, v) -> {
          if (k.startsWith(KAFKA_PREFIX)) {
            out.put(k.substring(KAFKA_PREFIX.length()), v);
          }
        });
    return out;
  }
}

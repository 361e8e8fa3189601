package org.dunwatch.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * An in-memory registry for unit tests ({@code mock://scope}). It enforces BACKWARD compatibility
 * per subject like a default Confluent registry, so tests see the same refusals. Never use it for
 * anything a user runs: schemas vanish with the process.
 */
public final class MockSchemaRegistry implements SchemaRegistryClient {

  public static final String SCHEME = "mock://";

  private static final Map<String, MockSchemaRegistry> SCOPES = new ConcurrentHashMap<>();

  private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
  private final Map<Schema, Integer> idBySchema = new ConcurrentHashMap<>();
  private final Map<String, List<Schema>> versions = new ConcurrentHashMap<>();
  private final Map<String, String> compatibility = new ConcurrentHashMap<>();

  /** The registry of this scope; the same instance for the same scope in one JVM. */
  public static MockSchemaRegistry scope(String scope) {
    return SCOPES.computeIfAbsent(scope, s -> new MockSchemaRegistry());
  }

  /** Forgets a scope, so the next test starts empty. */
  public static void drop(String scope) {
    SCOPES.remove(scope);
  }

  @Override
  public synchronized int register(String subject, Schema schema) {
    List<Schema> subjectVersions = versions.computeIfAbsent(subject, s -> new ArrayList<>());
    if (!subjectVersions.contains(schema)) {
      if (!isCompatible(subject, schema)) {
        throw new SchemaRegistryException(
            "cannot register schema under subject "
                + subject
                + ": the registry refused the schema as incompatible",
            409,
            409,
            null);
      }
      subjectVersions.add(schema);
    }
    return idBySchema.computeIfAbsent(
        schema,
        s -> {
          int id = byId.size() + 1;
          byId.put(id, s);
          return id;
        });
  }

  @Override
  public Schema getById(int id) {
    Schema schema = byId.get(id);
    if (schema == null) {
      throw new SchemaRegistryException("schema id " + id + " not found", 404, 40403, null);
    }
    return schema;
  }

  @Override
  public synchronized boolean isCompatible(String subject, Schema schema) {
    List<Schema> subjectVersions = versions.getOrDefault(subject, List.of());
    if (subjectVersions.isEmpty()) {
      return true;
    }
    String level = compatibility.getOrDefault(subject, "BACKWARD");
    Schema latest = subjectVersions.get(subjectVersions.size() - 1);
    return switch (level) {
      case "NONE" -> true;
      case "BACKWARD" -> canRead(schema, latest);
      case "FORWARD" -> canRead(latest, schema);
      case "FULL" -> canRead(schema, latest) && canRead(latest, schema);
      case "BACKWARD_TRANSITIVE" -> subjectVersions.stream().allMatch(old -> canRead(schema, old));
      default -> throw new IllegalArgumentException("unknown compatibility level " + level);
    };
  }

  @Override
  public void setCompatibility(String subject, String level) {
    compatibility.put(subject, level);
  }

  private static boolean canRead(Schema reader, Schema writer) {
    return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
        == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
  }
}

package org.dunwatch.registry;

import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry REST API that dunwatch needs. Works against Confluent
 * Schema Registry, Apicurio (ccompat API), Karapace and Redpanda.
 */
public interface SchemaRegistryClient extends AutoCloseable {

  /** Registers the schema under the subject (or finds it there) and returns its global id. */
  int register(String subject, Schema schema);

  /** The schema with this global id. */
  Schema getById(int id);

  /** Whether the schema may be registered as the next version of the subject. */
  boolean isCompatible(String subject, Schema schema);

  /** Sets the subject's compatibility level (BACKWARD, FORWARD, FULL, NONE, ...). */
  void setCompatibility(String subject, String level);

  @Override
  default void close() {}

  /**
   * A client for the configured URL: {@code http(s)://...} talks REST, {@code mock://scope} is an
   * in-memory registry for unit tests.
   */
  static SchemaRegistryClient create(RegistryConfig config) {
    if (config.url().startsWith(MockSchemaRegistry.SCHEME)) {
      return MockSchemaRegistry.scope(config.url().substring(MockSchemaRegistry.SCHEME.length()));
    }
    return new HttpSchemaRegistryClient(config);
  }
}

package org.dunwatch.streams.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde for a detector's internal state: Avro binary without a schema registry, for RocksDB and its
 * changelog topic only.
 *
 * <p>Values use Avro's single-object encoding: a 2-byte marker and the 8-byte CRC-64 fingerprint of
 * the writer schema, then plain Avro binary. Ten bytes a value buy a loud failure, instead of
 * silently misread state, when an upgraded application meets state written with another schema;
 * {@link #withOlderSchema} lets a new version read the old one.
 */
public final class AvroStateSerde<T extends SpecificRecord>
    implements Serde<T>, Serializer<T>, Deserializer<T> {

  private final Class<T> type;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;

  private AvroStateSerde(Class<T> type) {
    this.type = type;
    SpecificData data = SpecificData.getForClass(type);
    Schema schema = data.getSchema(type);
    this.encoder = new BinaryMessageEncoder<>(data, schema);
    this.decoder = new BinaryMessageDecoder<>(data, schema);
  }

  public static <T extends SpecificRecord> AvroStateSerde<T> of(Class<T> type) {
    return new AvroStateSerde<>(Objects.requireNonNull(type, "type"));
  }

  /** Also reads values written with {@code writerSchema}, resolved to the current schema. */
  public AvroStateSerde<T> withOlderSchema(Schema writerSchema) {
    decoder.addSchema(writerSchema);
    return this;
  }

  @Override
  public byte[] serialize(String topic, T value) {
    if (value == null) {
      return null;
    }
    try {
      ByteBuffer buffer = encoder.encode(value);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot write state " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public T deserialize(String topic, byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    try {
      return decoder.decode(bytes);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot read state " + type.getSimpleName() + " (" + bytes.length + " bytes)", e);
    }
  }

  @Override
  public Serializer<T> serializer() {
    return this;
  }

  @Override
  public Deserializer<T> deserializer() {
    return this;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    // nothing to configure: no registry, the schema comes from the generated class
  }

  @Override
  public void close() {
    // nothing to release; Serde, Serializer and Deserializer each declare close()
  }
}

package org.dunwatch.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro in the Confluent wire format: magic byte 0, the 4-byte big-endian schema id, then Avro
 * binary. Subjects follow {@code TopicNameStrategy} ({@code <topic>-value}, {@code <topic>-key}).
 *
 * <p>The writer schema comes from the registry by id and the reader schema from the generated
 * class, so records written with an older or newer compatible schema still decode.
 */
public final class RegistryAvroSerde<T extends SpecificRecord>
    implements Serde<T>, Serializer<T>, Deserializer<T> {

  static final byte MAGIC = 0;
  private static final int HEADER = 5;

  private final SchemaRegistryClient registry;
  private final Class<T> type;
  private final Schema readerSchema;
  private final boolean isKey;
  private final SpecificData data;
  private final SpecificDatumWriter<T> writer;
  private final Map<String, Integer> idByTopic = new ConcurrentHashMap<>();
  private final Map<Integer, SpecificDatumReader<T>> readersById = new ConcurrentHashMap<>();

  private RegistryAvroSerde(SchemaRegistryClient registry, Class<T> type, boolean isKey) {
    this.registry = registry;
    this.type = type;
    this.isKey = isKey;
    // the generated class's own model knows its logical-type conversions (Instant in unions)
    this.data = SpecificData.getForClass(type);
    this.readerSchema = data.getSchema(type);
    this.writer = new SpecificDatumWriter<>(readerSchema, data);
  }

  public static <T extends SpecificRecord> RegistryAvroSerde<T> forValue(
      SchemaRegistryClient registry, Class<T> type) {
    return new RegistryAvroSerde<>(registry, type, false);
  }

  public static <T extends SpecificRecord> RegistryAvroSerde<T> forKey(
      SchemaRegistryClient registry, Class<T> type) {
    return new RegistryAvroSerde<>(registry, type, true);
  }

  /** {@code TopicNameStrategy}. */
  public static String subject(String topic, boolean isKey) {
    return topic + (isKey ? "-key" : "-value");
  }

  @Override
  public byte[] serialize(String topic, T record) {
    if (record == null) {
      return null;
    }
    int id =
        idByTopic.computeIfAbsent(topic, t -> registry.register(subject(t, isKey), readerSchema));
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.write(MAGIC);
    out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      writer.write(record, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot write " + type.getSimpleName() + " for topic " + topic + ": " + e.getMessage(),
          e);
    }
    return out.toByteArray();
  }

  @Override
  public T deserialize(String topic, byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    if (bytes.length < HEADER) {
      throw new SerializationException(
          "record of " + bytes.length + " bytes is too short for the registry wire format");
    }
    if (bytes[0] != MAGIC) {
      throw new SerializationException(
          "unknown magic byte " + bytes[0] + ": not written in the schema registry wire format");
    }
    int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
    SpecificDatumReader<T> reader;
    try {
      reader =
          readersById.computeIfAbsent(
              id, i -> new SpecificDatumReader<>(registry.getById(i), readerSchema, data));
    } catch (SchemaRegistryException e) {
      throw new SerializationException(
          "cannot fetch writer schema id " + id + ": " + e.getMessage(), e);
    }
    BinaryDecoder decoder =
        DecoderFactory.get().binaryDecoder(bytes, HEADER, bytes.length - HEADER, null);
    try {
      T value = reader.read(null, decoder);
      if (!decoder.isEnd()) {
        throw new SerializationException(
            "trailing bytes after a " + type.getSimpleName() + " (schema id " + id + ")");
      }
      return value;
    } catch (IOException | RuntimeException e) {
      if (e instanceof SerializationException se) {
        throw se;
      }
      throw new SerializationException(
          "cannot read a "
              + type.getSimpleName()
              + " with writer schema id "
              + id
              + ": "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    // configured at construction: the registry client is passed in, never looked up globally
  }

  @Override
  public void close() {}

  @Override
  public Serializer<T> serializer() {
    return this;
  }

  @Override
  public Deserializer<T> deserializer() {
    return this;
  }
}

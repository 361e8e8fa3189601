package org.dunwatch.streams.state;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
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

  private static final int HEADER = 10;

  private final Class<T> type;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;

  /** The single-object header of the current schema: marker and fingerprint. */
  private final byte[] header;

  private final SpecificDatumReader<T> reader;

  /**
   * Per thread: Avro's own single-object decoder reads through an InputStream one byte at a time,
   * which was most of the cost of reading state; values written with the current schema are read
   * straight from the array instead (the same bytes, the same result).
   */
  private final ThreadLocal<BinaryDecoder> decoders = new ThreadLocal<>();

  private final ThreadLocal<ByteArrayOutputStream> buffers =
      ThreadLocal.withInitial(() -> new ByteArrayOutputStream(256));

  private AvroStateSerde(Class<T> type) {
    this.type = type;
    SpecificData data = SpecificData.getForClass(type);
    Schema schema = data.getSchema(type);
    this.encoder = new BinaryMessageEncoder<>(data, schema);
    this.decoder = new BinaryMessageDecoder<>(data, schema);
    this.reader = new SpecificDatumReader<>(schema, schema, data);
    this.header = new byte[HEADER];
    header[0] = (byte) 0xC3;
    header[1] = (byte) 0x01;
    long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
    for (int i = 0; i < 8; i++) {
      header[2 + i] = (byte) (fingerprint >>> (8 * i)); // little-endian, as the spec says
    }
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
      ByteArrayOutputStream out = buffers.get();
      out.reset();
      encoder.encode(value, out);
      return out.toByteArray();
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
      if (bytes.length >= HEADER && Arrays.equals(bytes, 0, HEADER, header, 0, HEADER)) {
        BinaryDecoder in =
            DecoderFactory.get()
                .binaryDecoder(bytes, HEADER, bytes.length - HEADER, decoders.get());
        decoders.set(in);
        return reader.read(null, in);
      }
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

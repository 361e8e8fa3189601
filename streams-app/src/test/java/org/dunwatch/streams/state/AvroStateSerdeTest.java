package org.dunwatch.streams.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.dunwatch.avro.telecom.CallRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * State is read and written with Avro's single-object encoding, but not through Avro's own decoder
 * (AvroStateSerde reads the current schema straight from the array): the bytes and the values must
 * be exactly what Avro's own coding makes and reads, for every state record, since RocksDB and the
 * changelogs hold state written by earlier versions.
 */
class AvroStateSerdeTest {

  @ParameterizedTest
  @ValueSource(
      classes = {
        CallFloodState.class,
        CircleCall.class,
        CircleState.class,
        CollectorRegs.class,
        ContentState.class,
        FanOutReach.class,
        FanOutReaches.class,
        FanOutState.class,
        LoanState.class,
        NumberFact.class,
        NumberLoans.class,
        PolicyContact.class,
        PolicyState.class,
        SmsFloodState.class,
        WrongPartyState.class,
        CallRecord.class
      })
  <T extends SpecificRecord> void shouldWriteAndReadTheBytesAvrosOwnSingleObjectCodingDoes(
      Class<T> type) throws Exception {
    SpecificData model = SpecificData.getForClass(type);
    Schema schema = model.getSchema(type);
    BinaryMessageEncoder<T> plainEncoder = new BinaryMessageEncoder<>(model, schema);
    BinaryMessageDecoder<T> plainDecoder = new BinaryMessageDecoder<>(model, schema);
    AvroStateSerde<T> serde = AvroStateSerde.of(type);
    Random random = new Random(type.getName().hashCode());
    for (int i = 0; i < 200; i++) {
      @SuppressWarnings("unchecked")
      T value = (T) model.deepCopy(schema, randomValue(schema, random, 0));
      ByteArrayOutputStream plain = new ByteArrayOutputStream();
      plainEncoder.encode(value, plain);
      byte[] bytes = serde.serialize("t", value);
      assertArrayEquals(plain.toByteArray(), bytes, type.getSimpleName() + " " + value);
      assertEquals(value, serde.deserialize("t", bytes));
      assertEquals(value, plainDecoder.decode(bytes));
    }
  }

  /** A random value of any schema the state records use, nulls and empty lists included. */
  private static Object randomValue(Schema s, Random r, int depth) {
    switch (s.getType()) {
      case RECORD:
        GenericRecord rec = new GenericData.Record(s);
        for (Schema.Field f : s.getFields()) {
          rec.put(f.pos(), randomValue(f.schema(), r, depth + 1));
        }
        return rec;
      case ARRAY:
        List<Object> list = new ArrayList<>();
        int n = depth > 3 ? 0 : r.nextInt(5);
        for (int i = 0; i < n; i++) {
          list.add(randomValue(s.getElementType(), r, depth + 1));
        }
        return list;
      case MAP:
        Map<String, Object> map = new HashMap<>();
        int m = depth > 3 ? 0 : r.nextInt(4);
        for (int i = 0; i < m; i++) {
          map.put("k" + r.nextInt(1000), randomValue(s.getValueType(), r, depth + 1));
        }
        return map;
      case UNION:
        return randomValue(s.getTypes().get(r.nextInt(s.getTypes().size())), r, depth);
      case ENUM:
        List<String> symbols = s.getEnumSymbols();
        return new GenericData.EnumSymbol(s, symbols.get(r.nextInt(symbols.size())));
      case STRING:
        return r.nextInt(4) == 0 ? "" : "+86 號碼 " + r.nextInt(1_000_000);
      case BYTES:
        byte[] b = new byte[r.nextInt(6)];
        r.nextBytes(b);
        return ByteBuffer.wrap(b);
      case INT:
        return r.nextInt(4) == 0 ? Integer.MIN_VALUE + r.nextInt(3) : r.nextInt();
      case LONG:
        if (s.getLogicalType() != null) { // timestamps of wire records: milliseconds of 2024-2026
          return java.time.Instant.ofEpochMilli(1_700_000_000_000L + (r.nextLong() >>> 25));
        }
        return r.nextInt(4) == 0 ? Long.MAX_VALUE - r.nextInt(3) : r.nextLong();
      case FLOAT:
        return r.nextFloat();
      case DOUBLE:
        return r.nextDouble();
      case BOOLEAN:
        return r.nextBoolean();
      case NULL:
        return null;
      default:
        throw new IllegalArgumentException("no generator for " + s);
    }
  }
}

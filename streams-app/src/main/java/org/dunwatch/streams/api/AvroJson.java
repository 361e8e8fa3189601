package org.dunwatch.streams.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.IndexedRecord;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.schemas.AlertJson;

/**
 * Avro records as plain JSON values: field names as in the schema, unions as their value,
 * timestamps (and the epoch-millisecond times of internal state) as ISO-8601 strings.
 */
final class AvroJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private AvroJson() {}

  /** An alert exactly as {@code dunwatch alerts --json} writes it (contracts). */
  static JsonNode alert(Alert a) {
    try {
      return JSON.readTree(AlertJson.toJson(a));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("AlertJson wrote invalid JSON", e);
    }
  }

  static Map<String, Object> of(IndexedRecord r) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Schema.Field f : r.getSchema().getFields()) {
      out.put(f.name(), value(f.name(), r.get(f.pos())));
    }
    return out;
  }

  private static Object value(String field, Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof IndexedRecord r) {
      return of(r);
    }
    if (v instanceof Instant i) {
      return i.toString();
    }
    if (v instanceof Long l && isTime(field)) {
      return Instant.ofEpochMilli(l).toString();
    }
    if (v instanceof CharSequence || v instanceof GenericEnumSymbol<?> || v instanceof Enum<?>) {
      return v.toString();
    }
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(x -> out.add(value(field, x)));
      return out;
    }
    if (v instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, x) -> out.put(k.toString(), value(field, x)));
      return out;
    }
    if (v instanceof ByteBuffer) {
      return null; // internal encodings are not for API users
    }
    return v;
  }

  /** Internal state keeps event times as epoch ms in fields named so. */
  private static boolean isTime(String field) {
    return field.equals("at")
        || field.equals("time")
        || field.endsWith("_at")
        || field.endsWith("_time")
        || field.startsWith("valid_")
        || field.equals("start")
        || field.equals("end");
  }
}

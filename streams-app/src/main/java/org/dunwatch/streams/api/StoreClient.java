package org.dunwatch.streams.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.dunwatch.streams.state.AvroStateSerde;

/**
 * Reads the app's stores wherever they are: a key from the instance that holds it (this one, or
 * another asked over HTTP), a range from every instance. Values travel between instances in their
 * store encoding, base64 in JSON, behind the instances' own token ({@link ApiTokens}).
 */
final class StoreClient {

  static final String INTERNAL = "/api/v1/internal/stores/";

  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final InstanceStores stores;
  private final Map<String, Class<? extends SpecificRecord>> types;
  private final String internalToken;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();

  StoreClient(
      InstanceStores stores,
      Map<String, Class<? extends SpecificRecord>> types,
      String internalToken) {
    this.stores = stores;
    this.types = types;
    this.internalToken = internalToken;
  }

  /** The value of {@code key}, from whichever instance holds it. */
  <V extends SpecificRecord> Optional<V> get(
      String store, String key, StreamPartitioner<String, ?> partitioner) {
    Optional<HostInfo> owner = stores.ownerOf(store, key, partitioner);
    if (owner.isEmpty()) {
      return Optional.ofNullable(this.<V>local(store).get(key));
    }
    JsonNode body = ask(owner.get(), store, "key=" + encode(key));
    JsonNode values = body.path("values");
    return values.isEmpty() ? Optional.empty() : Optional.of(decode(store, values.get(0)));
  }

  /** The entries in {@code [from, to]} of the instance that holds {@code key}. */
  <V extends SpecificRecord> List<KeyValue<String, V>> rangeAt(
      String store, String key, StreamPartitioner<String, ?> partitioner, String from, String to) {
    Optional<HostInfo> owner = stores.ownerOf(store, key, partitioner);
    if (owner.isEmpty()) {
      return localRange(store, from, to);
    }
    List<KeyValue<String, V>> out = new ArrayList<>();
    JsonNode body = ask(owner.get(), store, "from=" + encode(from) + "&to=" + encode(to));
    for (JsonNode v : body.path("values")) {
      out.add(KeyValue.pair(v.path("key").asText(), decode(store, v)));
    }
    return out;
  }

  /** Every entry with a key in {@code [from, to]}, from every instance, in no particular order. */
  <V extends SpecificRecord> List<KeyValue<String, V>> range(String store, String from, String to) {
    List<KeyValue<String, V>> out = new ArrayList<>(localRange(store, from, to));
    for (HostInfo other : stores.others(store)) {
      JsonNode body = ask(other, store, "from=" + encode(from) + "&to=" + encode(to));
      for (JsonNode v : body.path("values")) {
        out.add(KeyValue.pair(v.path("key").asText(), decode(store, v)));
      }
    }
    return out;
  }

  /** Every entry of {@code store}, from every instance. */
  <V extends SpecificRecord> List<KeyValue<String, V>> all(String store) {
    return range(store, "", "\uffff");
  }

  <V> ReadOnlyKeyValueStore<String, V> local(String store) {
    return stores.local(store);
  }

  <V extends SpecificRecord> List<KeyValue<String, V>> localRange(
      String store, String from, String to) {
    List<KeyValue<String, V>> out = new ArrayList<>();
    try (KeyValueIterator<String, V> it = this.<V>local(store).range(from, to)) {
      it.forEachRemaining(out::add);
    }
    return out;
  }

  /** The internal endpoint's answer: {@code {"values": [{"key", "value"}]}} from this instance. */
  Map<String, Object> answerInternal(String store, String key, String from, String to) {
    if (!types.containsKey(store)) {
      throw ApiError.notFound("no such store");
    }
    List<Map<String, String>> values = new ArrayList<>();
    if (key != null) {
      SpecificRecord v = this.<SpecificRecord>local(store).get(key);
      if (v != null) {
        values.add(encoded(store, key, v));
      }
    } else {
      for (KeyValue<String, SpecificRecord> e :
          this.<SpecificRecord>localRange(
              store, from == null ? "" : from, to == null ? "\uffff" : to)) {
        values.add(encoded(store, e.key, e.value));
      }
    }
    return Map.of("values", values);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Map<String, String> encoded(String store, String key, SpecificRecord v) {
    AvroStateSerde serde = AvroStateSerde.of(types.get(store));
    return Map.of(
        "key", key, "value", Base64.getEncoder().encodeToString(serde.serialize(store, v)));
  }

  @SuppressWarnings("unchecked")
  private <V extends SpecificRecord> V decode(String store, JsonNode entry) {
    byte[] bytes = Base64.getDecoder().decode(entry.path("value").asText());
    return (V) AvroStateSerde.of(types.get(store)).deserialize(store, bytes);
  }

  private JsonNode ask(HostInfo host, String store, String query) {
    URI uri =
        URI.create(
            "http://" + host.host() + ":" + host.port() + INTERNAL + encode(store) + "?" + query);
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(TIMEOUT)
            .header("Authorization", "Bearer " + internalToken)
            .GET()
            .build();
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw ApiError.unavailable(
            "the instance holding this data answered " + r.statusCode() + "; try again");
      }
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw ApiError.unavailable("the instance holding this data did not answer; try again");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiError.unavailable("interrupted");
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}

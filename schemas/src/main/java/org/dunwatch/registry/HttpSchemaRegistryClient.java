package org.dunwatch.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confluent Schema Registry REST client, written against the documented API. Ids and schemas are
 * cached: a schema id never changes meaning, so each is fetched once per process.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

  private static final Logger LOG = LoggerFactory.getLogger(HttpSchemaRegistryClient.class);
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistryConfig config;
  private final URI base;
  private final HttpClient http;
  private final String authorization;
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();

  public HttpSchemaRegistryClient(RegistryConfig config) {
    this.config = config;
    URI uri = URI.create(config.url().endsWith("/") ? config.url() : config.url() + "/");
    String userInfo = config.basicAuthUserInfo();
    if (uri.getUserInfo() != null) {
      // credentials in the URL work as Confluent's URL credentials source does
      if (userInfo == null) {
        userInfo = uri.getUserInfo();
      }
      uri = URI.create(config.url().replace(uri.getRawUserInfo() + "@", ""));
      if (!uri.toString().endsWith("/")) {
        uri = URI.create(uri + "/");
      }
    }
    this.base = uri;
    this.authorization =
        userInfo == null
            ? null
            : "Basic "
                + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(config.requestTimeout())
            .version(HttpClient.Version.HTTP_1_1);
    if (config.trustStore() != null) {
      builder.sslContext(sslContext(config));
    }
    this.http = builder.build();
  }

  @Override
  public int register(String subject, Schema schema) {
    Map<Schema, Integer> known =
        idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
    Integer cached = known.get(schema);
    if (cached != null) {
      return cached;
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("schema", schema.toString());
    body.put("schemaType", "AVRO");
    String path = "subjects/" + encode(subject) + "/versions";
    JsonNode reply =
        config.autoRegister()
            ? send("POST", path, body, "register schema under subject " + subject)
            : send("POST", "subjects/" + encode(subject), body, "look up schema in " + subject);
    int id = reply.path("id").asInt(-1);
    if (id < 0) {
      throw new SchemaRegistryException(
          "registry answered without an id for subject " + subject + ": " + reply, null);
    }
    known.put(schema, id);
    schemasById.putIfAbsent(id, schema);
    return id;
  }

  @Override
  public Schema getById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    JsonNode reply = send("GET", "schemas/ids/" + id, null, "fetch schema id " + id);
    String text = reply.path("schema").asText(null);
    if (text == null) {
      throw new SchemaRegistryException("registry returned no schema for id " + id, null);
    }
    Schema schema = new Schema.Parser().parse(text);
    schemasById.putIfAbsent(id, schema);
    return schema;
  }

  @Override
  public boolean isCompatible(String subject, Schema schema) {
    ObjectNode body = JSON.createObjectNode();
    body.put("schema", schema.toString());
    body.put("schemaType", "AVRO");
    try {
      JsonNode reply =
          send(
              "POST",
              "compatibility/subjects/" + encode(subject) + "/versions/latest",
              body,
              "check compatibility in " + subject);
      return reply.path("is_compatible").asBoolean(false);
    } catch (SchemaRegistryException e) {
      if (e.httpStatus() == 404) {
        return true; // no version yet: anything is compatible
      }
      throw e;
    }
  }

  @Override
  public void setCompatibility(String subject, String level) {
    ObjectNode body = JSON.createObjectNode();
    body.put("compatibility", level);
    send("PUT", "config/" + encode(subject), body, "set compatibility of " + subject);
  }

  private JsonNode send(String method, String path, JsonNode body, String what) {
    URI uri = base.resolve(path);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(config.requestTimeout())
            .header("Accept", CONTENT_TYPE + ", application/json");
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (body != null) {
      request.header("Content-Type", CONTENT_TYPE);
      request.method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpRequest built = request.build();
    Duration backoff = config.initialBackoff();
    for (int attempt = 0; ; attempt++) {
      HttpResponse<String> response;
      try {
        response = http.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        if (attempt < config.maxRetries()) {
          LOG.warn(
              "schema registry at {} unreachable ({}), retry {}/{} in {} ms",
              RegistryConfig.redactUrl(config.url()),
              e.toString(),
              attempt + 1,
              config.maxRetries(),
              backoff.toMillis());
          sleep(backoff);
          backoff = backoff.multipliedBy(2);
          continue;
        }
        throw new SchemaRegistryException(
            "cannot "
                + what
                + ": schema registry at "
                + RegistryConfig.redactUrl(config.url())
                + " is unreachable after "
                + (attempt + 1)
                + " attempts ("
                + e
                + ")",
            e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SchemaRegistryException("interrupted while trying to " + what, e);
      }
      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        try {
          String text = response.body();
          return text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (IOException e) {
          throw new SchemaRegistryException(
              "cannot " + what + ": registry answered with invalid JSON", status, -1, e);
        }
      }
      boolean transientFailure = status >= 500 || status == 429;
      if (transientFailure && attempt < config.maxRetries()) {
        LOG.warn(
            "schema registry answered {} to {} {}, retry {}/{} in {} ms",
            status,
            method,
            path,
            attempt + 1,
            config.maxRetries(),
            backoff.toMillis());
        sleep(backoff);
        backoff = backoff.multipliedBy(2);
        continue;
      }
      int errorCode = -1;
      String message = response.body();
      try {
        JsonNode error = JSON.readTree(response.body());
        errorCode = error.path("error_code").asInt(-1);
        message = error.path("message").asText(message);
      } catch (IOException | RuntimeException ignored) {
        // not JSON: keep the raw body as the message
      }
      String reason =
          status == 409 || errorCode == 409
              ? "the registry refused the schema as incompatible"
              : status == 401 || status == 403
                  ? "the registry refused the credentials (HTTP " + status + ")"
                  : "the registry answered HTTP " + status;
      throw new SchemaRegistryException(
          "cannot " + what + ": " + reason + ": " + message, status, errorCode, null);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException("interrupted while waiting to retry", e);
    }
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static SSLContext sslContext(RegistryConfig config) {
    try (InputStream in = Files.newInputStream(config.trustStore())) {
      KeyStore store = KeyStore.getInstance(config.trustStoreType());
      char[] password =
          config.trustStorePassword() == null ? null : config.trustStorePassword().toCharArray();
      store.load(in, password);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot load the schema registry trust store "
              + config.trustStore()
              + ": "
              + e.getMessage(),
          e);
    }
  }
}

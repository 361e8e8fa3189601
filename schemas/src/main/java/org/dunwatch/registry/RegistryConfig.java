package org.dunwatch.registry;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach the schema registry. Property names follow Confluent's serializer settings so that
 * existing configuration files carry over.
 */
public record RegistryConfig(
    String url,
    String basicAuthUserInfo,
    Path trustStore,
    String trustStorePassword,
    String trustStoreType,
    Duration requestTimeout,
    int maxRetries,
    Duration initialBackoff,
    boolean autoRegister) {

  public static final String URL = "schema.registry.url";
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
  public static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
  public static final String TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
  public static final String TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
  public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
  public static final String MAX_RETRIES = "schema.registry.max.retries";
  public static final String RETRY_BACKOFF_MS = "schema.registry.retry.backoff.ms";
  public static final String AUTO_REGISTER = "auto.register.schemas";

  public RegistryConfig {
    Objects.requireNonNull(url, "url");
    if (!url.startsWith(MockSchemaRegistry.SCHEME)) {
      URI uri = URI.create(url);
      if (uri.getScheme() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
        throw new IllegalArgumentException(
            "schema registry URL must be http://, https:// or mock://, got: " + url);
      }
    }
    if (maxRetries < 0) {
      throw new IllegalArgumentException("schema.registry.max.retries must be >= 0");
    }
  }

  public static RegistryConfig of(String url) {
    return new RegistryConfig(
        url, null, null, null, null, Duration.ofSeconds(10), 5, Duration.ofMillis(200), true);
  }

  public static RegistryConfig from(Map<String, String> props) {
    String url = props.get(URL);
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException(URL + " is not set");
    }
    String trust = props.get(TRUSTSTORE_LOCATION);
    return new RegistryConfig(
        url.trim(),
        props.get(BASIC_AUTH_USER_INFO),
        trust == null ? null : Path.of(trust),
        props.get(TRUSTSTORE_PASSWORD),
        props.getOrDefault(TRUSTSTORE_TYPE, "PKCS12"),
        Duration.ofMillis(parseLong(props, REQUEST_TIMEOUT_MS, 10_000)),
        (int) parseLong(props, MAX_RETRIES, 5),
        Duration.ofMillis(parseLong(props, RETRY_BACKOFF_MS, 200)),
        Boolean.parseBoolean(props.getOrDefault(AUTO_REGISTER, "true")));
  }

  private static long parseLong(Map<String, String> props, String key, long def) {
    String v = props.get(key);
    if (v == null || v.isBlank()) {
      return def;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, got: " + v, e);
    }
  }

  public RegistryConfig withBasicAuth(String userInfo) {
    return new RegistryConfig(
        url,
        userInfo,
        trustStore,
        trustStorePassword,
        trustStoreType,
        requestTimeout,
        maxRetries,
        initialBackoff,
        autoRegister);
  }

  public RegistryConfig withRetries(int retries, Duration backoff) {
    return new RegistryConfig(
        url,
        basicAuthUserInfo,
        trustStore,
        trustStorePassword,
        trustStoreType,
        requestTimeout,
        retries,
        backoff,
        autoRegister);
  }

  /** Never prints credentials or passwords. */
  @Override
  public String toString() {
    return "RegistryConfig[url="
        + redactUrl(url)
        + ", basicAuth="
        + (basicAuthUserInfo == null ? "off" : "on")
        + ", trustStore="
        + trustStore
        + ", requestTimeout="
        + requestTimeout
        + ", maxRetries="
        + maxRetries
        + ", autoRegister="
        + autoRegister
        + "]";
  }

  static String redactUrl(String url) {
    int at = url.indexOf('@');
    int scheme = url.indexOf("://");
    if (at > 0 && scheme > 0 && at > scheme) {
      return url.substring(0, scheme + 3) + "***@" + url.substring(at + 1);
    }
    return url;
  }
}

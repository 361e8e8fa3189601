package org.dunwatch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class ApicurioRegistryIT {
  private static final Logger LOG = LoggerFactory.getLogger(ApicurioRegistryIT.class);
  private static final String SCHEMA_JSON = "application/vnd.schemaregistry.v1+json";

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void shouldServeTheConfluentApiAndRegisterASchema() throws Exception {
    ApicurioRegistry registry = ApicurioRegistry.builder().log(LOG::info).start();
    ProcessHandle child = ProcessHandle.of(registry.pid()).orElseThrow();
    Path workDir = registry.workDir();
    try {
      assertTrue(registry.ccompatUrl().startsWith("http://127.0.0.1:"), registry.ccompatUrl());
      assertTrue(registry.ccompatUrl().endsWith("/apis/ccompat/v7"), registry.ccompatUrl());

      HttpResponse<String> subjects = get(registry.ccompatUrl() + "/subjects");
      assertEquals(200, subjects.statusCode());
      assertEquals("[]", subjects.body().strip());

      String schema =
          "{\"type\":\"record\",\"name\":\"Call\",\"namespace\":\"org.dunwatch.it\","
              + "\"fields\":[{\"name\":\"callee\",\"type\":\"string\"}]}";
      String body = "{\"schema\":\"" + schema.replace("\"", "\\\"") + "\"}";
      HttpResponse<String> registered =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(registry.ccompatUrl() + "/subjects/t-value/versions"))
                  .header("Content-Type", SCHEMA_JSON)
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, registered.statusCode(), registered.body());
      assertTrue(registered.body().matches("\\{\\s*\"id\"\\s*:\\s*\\d+\\s*}"), registered.body());

      assertEquals("[\"t-value\"]", get(registry.ccompatUrl() + "/subjects").body().strip());
    } finally {
      registry.close();
    }

    assertFalse(child.isAlive(), "registry JVM " + child.pid() + " still runs after close");
    assertFalse(Files.exists(workDir), "temporary work dir left behind: " + workDir);
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).header("Accept", SCHEMA_JSON).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}

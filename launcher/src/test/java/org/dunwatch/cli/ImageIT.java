package org.dunwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The image {@code ./mvnw -Pimage package} builds (runs only with that profile): its config says
 * how the container starts, as whom, on which port and where state goes.
 */
class ImageIT {

  static final Path TARBALL = Path.of("target/jib-image.tar");

  @Test
  void shouldStartDunwatchRunAsNonRootWithItsPortAndStateVolume() throws IOException {
    Map<String, byte[]> files = untar(TARBALL);
    ObjectMapper json = new ObjectMapper();
    JsonNode config = json.readTree(files.get(configPath(files, json))).path("config");

    List<String> entrypoint = strings(config.path("Entrypoint"));
    assertEquals("java", entrypoint.get(0), entrypoint.toString());
    assertTrue(entrypoint.contains("-XX:MaxRAMPercentage=50"), entrypoint.toString());
    assertEquals("org.dunwatch.cli.Dunwatch", entrypoint.get(entrypoint.size() - 1));
    assertEquals(List.of("run"), strings(config.path("Cmd")));
    assertEquals("65532:65532", config.path("User").asText());
    assertTrue(config.path("ExposedPorts").has("9464/tcp"), config.toString());
    assertTrue(config.path("Volumes").has("/var/lib/dunwatch"), config.toString());
    List<String> env = strings(config.path("Env"));
    assertTrue(env.contains("DUNWATCH_STATE_DIR=/var/lib/dunwatch"), env.toString());
    assertTrue(env.contains("DUNWATCH_HTTP_PORT=9464"), env.toString());
    assertTrue(env.contains("DUNWATCH_HTTP_BIND=0.0.0.0"), env.toString());
    assertTrue(
        config.path("Labels").path("org.dunwatch.image.carries").asText().contains("demo"),
        config.path("Labels").toString());
  }

  /** The config blob: through index.json and the manifest (OCI layout) or manifest.json. */
  private static String configPath(Map<String, byte[]> files, ObjectMapper json)
      throws IOException {
    if (files.containsKey("index.json")) {
      JsonNode index = json.readTree(files.get("index.json"));
      JsonNode manifest = json.readTree(files.get(blob(index.at("/manifests/0/digest").asText())));
      return blob(manifest.at("/config/digest").asText());
    }
    return json.readTree(files.get("manifest.json")).at("/0/Config").asText();
  }

  private static String blob(String digest) {
    return "blobs/" + digest.replace(':', '/');
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** The small files of a tar (ustar) archive by name; layers are skipped. */
  static Map<String, byte[]> untar(Path tar) throws IOException {
    Map<String, byte[]> files = new HashMap<>();
    try (InputStream in = Files.newInputStream(tar)) {
      byte[] header = new byte[512];
      while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
        String name = field(header, 0, 100);
        String prefix = field(header, 345, 155);
        if (!prefix.isEmpty()) {
          name = prefix + "/" + name;
        }
        long size = Long.parseLong(field(header, 124, 12).trim(), 8);
        long padded = (size + 511) / 512 * 512;
        if (size < 1 << 20) {
          ByteArrayOutputStream content = new ByteArrayOutputStream();
          content.write(in.readNBytes((int) size));
          in.skipNBytes(padded - size);
          files.put(name.startsWith("./") ? name.substring(2) : name, content.toByteArray());
        } else {
          in.skipNBytes(padded);
        }
      }
    }
    return files;
  }

  private static String field(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
  }
}

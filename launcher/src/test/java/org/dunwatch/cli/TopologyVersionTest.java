package org.dunwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dunwatch.registry.MockSchemaRegistry;
import org.dunwatch.registry.RegistryConfig;
import org.dunwatch.registry.SchemaRegistryClient;
import org.dunwatch.schemas.TopicNames;
import org.dunwatch.schemas.Topics;
import org.dunwatch.streams.rules.Rules;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TopologyVersionTest {

  private static final String SCOPE = "topology-version-test";

  private final Topics topics =
      Topics.create(
          TopicNames.defaults(), SchemaRegistryClient.create(RegistryConfig.of("mock://" + SCOPE)));

  @AfterEach
  void tearDown() {
    MockSchemaRegistry.drop(SCOPE);
  }

  @Test
  void shouldGiveTheSameFingerprintWhateverOrderTheRuleSectionsAreHeldIn() {
    Rules rules = Rules.defaults();
    List<String> names = new ArrayList<>(rules.sections().keySet());
    Collections.reverse(names);
    Map<String, JsonNode> reversed = new LinkedHashMap<>();
    names.forEach(n -> reversed.put(n, rules.sections().get(n)));
    Rules same =
        new Rules(rules.pack(), rules.packVersion(), rules.grace(), rules.callFlood(), reversed);

    assertEquals(TopologyVersion.of(rules, topics), TopologyVersion.of(same, topics));
  }

  @Test
  void shouldGiveAnotherFingerprintForAnotherRulePack() throws IOException {
    String json;
    try (InputStream in = Rules.class.getResourceAsStream(Rules.DEFAULT_RESOURCE)) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Rules changed =
        Rules.parse(json.replace("\"short_calls_1h\": 15", "\"short_calls_1h\": 16"), "changed");

    assertNotEquals(
        TopologyVersion.of(Rules.defaults(), topics), TopologyVersion.of(changed, topics));
  }

  @Test
  void shouldReadTheFingerprintBackFromAStreamThreadsClientId() {
    String clientId = TopologyVersion.clientId("dunwatch", "0123456789ab");

    assertEquals("0123456789ab", TopologyVersion.ofClientId(clientId + "-StreamThread-1-consumer"));
    assertNull(TopologyVersion.ofClientId("dunwatch-StreamThread-1-consumer"));
  }
}

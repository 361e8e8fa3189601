package org.dunwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.dunwatch.avro.alert.AlertType;
import org.dunwatch.producers.sim.ScenarioKind;
import org.junit.jupiter.api.Test;

/**
 * The CI gate on detection quality: a small simulated world with three instances of every abuse
 * pattern, through the real pipeline on its own real broker and registry; every alert type must
 * keep precision and recall at 0.95 or better.
 */
class EvalIT {

  static final double GATE = 0.95;

  @Test
  void shouldFindEveryInjectedScenarioWithPrecisionAndRecallAtLeastTheGate() throws Exception {
    Cli.Run run =
        Cli.run(
            "eval",
            "--seed",
            "1",
            "--subscribers",
            "300",
            "--days",
            "2",
            "--scenarios",
            "all=3",
            "--min",
            Double.toString(GATE),
            "--json");

    assertEquals(0, run.exit(), run.err() + run.out());
    JsonNode root = new ObjectMapper().readTree(run.out());
    assertEquals(3 * ScenarioKind.values().length, root.path("world").path("scenarios").asInt());
    assertEquals(0, root.path("dead_letters").asInt(), run.out());
    assertEquals(root.path("events").asLong(), root.path("processed").asLong());
    Set<AlertType> seen = EnumSet.noneOf(AlertType.class);
    for (JsonNode t : root.path("report").path("types")) {
      AlertType type = AlertType.valueOf(t.path("type").asText());
      seen.add(type);
      long kinds =
          Arrays.stream(ScenarioKind.values()).filter(k -> k.expectedAlert() == type).count();
      assertEquals(3 * kinds, t.path("injected").asInt(), type + " " + t);
      assertTrue(t.path("recall").asDouble() >= GATE, type + " recall " + t);
      assertTrue(t.path("precision").asDouble() >= GATE, type + " precision " + t);
    }
    assertEquals(EnumSet.allOf(AlertType.class), seen, "every alert type is injected and scored");
    assertEquals(0, root.path("below_min").size(), root.path("below_min").toString());
  }
}

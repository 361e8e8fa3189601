package org.dunwatch.streams.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RulesTest {

  @Test
  void shouldShipTheIssueDefaults() {
    Rules rules = Rules.defaults();
    assertEquals("default", rules.pack());
    assertEquals(Duration.ofHours(1), rules.grace());
    assertEquals(CallFloodRule.defaults(), rules.callFlood());
    assertEquals(15, rules.callFlood().shortCallsPerHour());
    assertEquals(40, rules.callFlood().shortCallsPerDay());
    assertEquals(10, rules.callFlood().pairCallsPerHour());
  }

  @Test
  void shouldTakeDefaultsForWhatAPackLeavesOut() {
    Rules rules =
        Rules.parse(
            "{\"detectors\":{\"call_flood\":{\"rules\":{\"flood.calls.victim\":{\"version\":2,\"short_calls_1h\":20}}}}}",
            "test");
    assertEquals(20, rules.callFlood().shortCallsPerHour());
    assertEquals(2, rules.callFlood().victimRuleVersion());
    assertEquals(40, rules.callFlood().shortCallsPerDay());
    assertEquals(Duration.ofHours(1), rules.grace());
  }

  @Test
  void shouldRefuseAnUnknownKeyRatherThanIgnoreATypo() {
    RuleException e =
        assertThrows(
            RuleException.class,
            () ->
                Rules.parse(
                    "{\"detectors\":{\"call_flood\":{\"short_call_1h\":20}}}", "my-pack.json"));
    assertTrue(e.getMessage().contains("my-pack.json"), e.getMessage());
    assertTrue(e.getMessage().contains("detectors.call_flood.short_call_1h"), e.getMessage());
  }

  @Test
  void shouldExplainBadValues() {
    assertTrue(
        assertThrows(RuleException.class, () -> Rules.parse("{\"grace\":\"one hour\"}", "p"))
            .getMessage()
            .contains("ISO-8601 duration"));
    assertTrue(
        assertThrows(
                RuleException.class,
                () ->
                    Rules.parse("{\"detectors\":{\"call_flood\":{\"max_tracked_calls\":10}}}", "p"))
            .getMessage()
            .contains("max_tracked_calls"));
    assertTrue(
        assertThrows(RuleException.class, () -> Rules.parse("{not json", "p"))
            .getMessage()
            .contains("not valid JSON"));
  }
}

package org.dunwatch.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.alert.AlertType;
import org.dunwatch.avro.alert.Evidence;
import org.dunwatch.avro.alert.Severity;
import org.dunwatch.avro.alert.Subject;
import org.dunwatch.avro.alert.SubjectKind;
import org.junit.jupiter.api.Test;

class AlertJsonTest {

  static Alert contractExample() {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("calls", 57.0);
    metrics.put("distinct_callers", 12.0);
    metrics.put("short_call_ratio", 0.93);
    return Alert.newBuilder()
        .setAlertId("a-1")
        .setType(AlertType.CALL_FLOOD)
        .setRuleId("flood.calls.victim")
        .setRuleVersion(1)
        .setSeverity(Severity.HIGH)
        .setJurisdiction("CN")
        .setSubject(new Subject(SubjectKind.NUMBER, "+8617000000001"))
        .setVictim("+8618812345678")
        .setWindowStart(Instant.parse("2024-07-26T00:00:00Z"))
        .setWindowEnd(Instant.parse("2024-07-27T00:00:00Z"))
        .setDetectedAt(Instant.parse("2024-07-26T03:00:00Z"))
        .setMetrics(metrics)
        .setEvidence(new Evidence(List.of("c-1", "c-2"), 57L))
        .setExplanation("57 calls from 12 numbers in 24 h; 93% ended while ringing or within 5 s")
        .build();
  }

  @Test
  void shouldWriteEveryContractFieldWithIntegersAsIntegers() throws Exception {
    JsonNode json = new ObjectMapper().readTree(AlertJson.toJson(contractExample()));

    for (String field :
        List.of(
            "alert_id",
            "type",
            "rule_id",
            "rule_version",
            "severity",
            "jurisdiction",
            "subject",
            "victim",
            "lender_id",
            "agency_id",
            "loan_id",
            "window_start",
            "window_end",
            "detected_at",
            "metrics",
            "evidence",
            "explanation")) {
      assertTrue(json.has(field), "missing " + field);
    }
    assertTrue(json.get("lender_id").isNull());
    assertTrue(json.get("metrics").get("calls").isIntegralNumber());
    assertEquals(0.93, json.get("metrics").get("short_call_ratio").asDouble());
    assertEquals("NUMBER", json.get("subject").get("kind").asText());
    assertEquals(57, json.get("evidence").get("total").asInt());
    assertEquals("2024-07-26T00:00:00Z", json.get("window_start").asText());
  }

  @Test
  void shouldReadBackWhatItWrote() {
    Alert alert = contractExample();
    assertEquals(alert, AlertJson.fromJson(AlertJson.toJson(alert)));
  }
}

package org.dunwatch.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.alert.AlertType;
import org.dunwatch.avro.alert.Evidence;
import org.dunwatch.avro.alert.Severity;
import org.dunwatch.avro.alert.Subject;
import org.dunwatch.avro.alert.SubjectKind;

/**
 * The alert as one line of JSON, exactly the format of contracts.md ({@code --alerts-out}, {@code
 * dunwatch alerts --json}). Whole-number metrics are written as integers.
 */
public final class AlertJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private AlertJson() {}

  public static String toJson(Alert a) {
    ObjectNode o = JSON.createObjectNode();
    o.put("alert_id", a.getAlertId());
    o.put("type", a.getType().name());
    o.put("rule_id", a.getRuleId());
    o.put("rule_version", a.getRuleVersion());
    o.put("severity", a.getSeverity().name());
    o.put("jurisdiction", a.getJurisdiction());
    ObjectNode subject = o.putObject("subject");
    subject.put("kind", a.getSubject().getKind().name());
    subject.put("id", a.getSubject().getId());
    o.put("victim", a.getVictim());
    o.put("lender_id", a.getLenderId());
    o.put("agency_id", a.getAgencyId());
    o.put("loan_id", a.getLoanId());
    o.put("window_start", a.getWindowStart().toString());
    o.put("window_end", a.getWindowEnd().toString());
    o.put("detected_at", a.getDetectedAt().toString());
    ObjectNode metrics = o.putObject("metrics");
    a.getMetrics()
        .forEach(
            (k, v) -> {
              if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                metrics.put(k, v.longValue());
              } else {
                metrics.put(k, v);
              }
            });
    ObjectNode evidence = o.putObject("evidence");
    ArrayNode ids = evidence.putArray("event_ids");
    a.getEvidence().getEventIds().forEach(ids::add);
    evidence.put("total", a.getEvidence().getTotal());
    o.put("explanation", a.getExplanation());
    if (a.getRevision() != null) {
      o.put("revision", a.getRevision());
    }
    if (a.getTriggeredAt() != null) {
      o.put("triggered_at", a.getTriggeredAt().toString());
    }
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write alert as JSON", e);
    }
  }

  public static Alert fromJson(String line) {
    try {
      JsonNode o = JSON.readTree(line);
      Map<String, Double> metrics = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = o.path("metrics").fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        metrics.put(e.getKey(), e.getValue().asDouble());
      }
      List<String> ids = new ArrayList<>();
      o.path("evidence").path("event_ids").forEach(n -> ids.add(n.asText()));
      return Alert.newBuilder()
          .setAlertId(o.path("alert_id").asText())
          .setType(AlertType.valueOf(o.path("type").asText()))
          .setRuleId(o.path("rule_id").asText())
          .setRuleVersion(o.path("rule_version").asInt())
          .setSeverity(Severity.valueOf(o.path("severity").asText()))
          .setJurisdiction(text(o, "jurisdiction"))
          .setSubject(
              new Subject(
                  SubjectKind.valueOf(o.path("subject").path("kind").asText()),
                  o.path("subject").path("id").asText()))
          .setVictim(text(o, "victim"))
          .setLenderId(text(o, "lender_id"))
          .setAgencyId(text(o, "agency_id"))
          .setLoanId(text(o, "loan_id"))
          .setWindowStart(Instant.parse(o.path("window_start").asText()))
          .setWindowEnd(Instant.parse(o.path("window_end").asText()))
          .setDetectedAt(Instant.parse(o.path("detected_at").asText()))
          .setMetrics(metrics)
          .setEvidence(new Evidence(ids, o.path("evidence").path("total").asLong()))
          .setExplanation(o.path("explanation").asText())
          .setRevision(o.hasNonNull("revision") ? o.get("revision").asInt() : null)
          .setTriggeredAt(
              o.hasNonNull("triggered_at") ? Instant.parse(o.get("triggered_at").asText()) : null)
          .build();
    } catch (JsonProcessingException | RuntimeException e) {
      throw new IllegalArgumentException(
          "not an alert in the contract's JSON: " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode o, String field) {
    JsonNode n = o.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }
}

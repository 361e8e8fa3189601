package org.dunwatch.streams.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.alert.AlertType;
import org.dunwatch.avro.alert.Evidence;
import org.dunwatch.avro.alert.Severity;
import org.dunwatch.avro.alert.Subject;
import org.dunwatch.avro.alert.SubjectKind;
import org.junit.jupiter.api.Test;

class AlertFeedTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private final AlertFeed feed = new AlertFeed(3);

  @Test
  void shouldHandANewSubscriberTheLatestRevisionOfEachIncidentThenEveryNewRevision() {
    feed.accept(batch(alert("a1", 1, Severity.MEDIUM), alert("a1", 2, Severity.HIGH)));
    List<String> seen = new ArrayList<>();
    feed.subscribe(a -> seen.add(a.getAlertId() + "@" + a.getRevision()));

    feed.accept(batch(alert("a2", 1, Severity.LOW), alert("a1", 3, Severity.CRITICAL)));

    assertEquals(List.of("a1@2", "a2@1", "a1@3"), seen);
  }

  @Test
  void shouldIgnoreAnOlderRevisionReadAfterANewerOne() {
    feed.accept(batch(alert("a1", 2, Severity.HIGH), alert("a1", 1, Severity.MEDIUM)));
    List<Alert> seen = new ArrayList<>();
    feed.subscribe(seen::add);

    assertEquals(1, seen.size());
    assertEquals(2, seen.get(0).getRevision());
  }

  @Test
  void shouldForgetTheLeastRecentlyRevisedIncidentPastItsCapacity() {
    feed.accept(batch(alert("a1", 1, Severity.LOW), alert("a2", 1, Severity.LOW)));
    feed.accept(batch(alert("a3", 1, Severity.LOW), alert("a1", 2, Severity.LOW)));
    feed.accept(batch(alert("a4", 1, Severity.LOW)));
    List<String> held = new ArrayList<>();
    feed.subscribe(a -> held.add(a.getAlertId()));

    assertEquals(List.of("a3", "a1", "a4"), held);
  }

  @Test
  void shouldKeepFeedingOthersWhenOneSubscriberFails() {
    List<String> seen = new ArrayList<>();
    feed.subscribe(
        a -> {
          throw new IllegalStateException("browser went away");
        });
    feed.subscribe(a -> seen.add(a.getAlertId()));

    feed.accept(batch(alert("a1", 1, Severity.LOW), alert("a2", 1, Severity.LOW)));

    assertEquals(List.of("a1", "a2"), seen);
  }

  private static ConsumerRecords<String, Alert> batch(Alert... alerts) {
    TopicPartition tp = new TopicPartition("alerts", 0);
    List<ConsumerRecord<String, Alert>> records = new ArrayList<>();
    long offset = 0;
    for (Alert a : alerts) {
      records.add(new ConsumerRecord<>("alerts", 0, offset++, a.getVictim(), a));
    }
    return new ConsumerRecords<>(Map.of(tp, records), Map.of());
  }

  static Alert alert(String id, int revision, Severity severity) {
    return Alert.newBuilder()
        .setAlertId(id)
        .setType(AlertType.CALL_FLOOD)
        .setRuleId("flood.calls.victim")
        .setRuleVersion(1)
        .setSeverity(severity)
        .setJurisdiction("CN")
        .setSubject(new Subject(SubjectKind.NUMBER, "pn_caller"))
        .setVictim("pn_victim")
        .setWindowStart(T0)
        .setWindowEnd(T0.plusSeconds(3600))
        .setDetectedAt(T0.plusSeconds(3600))
        .setMetrics(Map.of("calls", 40.0))
        .setEvidence(new Evidence(List.of("c1"), 40L))
        .setExplanation("40 calls")
        .setRevision(revision)
        .build();
  }
}

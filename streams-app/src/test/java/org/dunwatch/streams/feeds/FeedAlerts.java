package org.dunwatch.streams.feeds;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.alert.AlertType;
import org.dunwatch.avro.alert.Evidence;
import org.dunwatch.avro.alert.Severity;
import org.dunwatch.avro.alert.Subject;
import org.dunwatch.avro.alert.SubjectKind;

/** Readable alerts for the feed tests: {@code alert(CALL_FLOOD, "a1").subject(n).victim(v)...}. */
public final class FeedAlerts {

  private final Alert.Builder b;

  private FeedAlerts(AlertType type, String id) {
    b =
        Alert.newBuilder()
            .setAlertId(id)
            .setType(type)
            .setRuleId("test." + type.name().toLowerCase())
            .setRuleVersion(1)
            .setSeverity(Severity.MEDIUM)
            .setJurisdiction("CN")
            .setSubject(new Subject(SubjectKind.NUMBER, "+8617000000000"))
            .setVictim(null)
            .setWindowStart(Instant.EPOCH)
            .setWindowEnd(Instant.EPOCH)
            .setDetectedAt(Instant.EPOCH)
            .setMetrics(Map.of())
            .setEvidence(new Evidence(List.of("e1"), 1L))
            .setExplanation("test")
            .setRevision(1);
  }

  public static FeedAlerts alert(AlertType type, String id) {
    return new FeedAlerts(type, id);
  }

  public FeedAlerts subject(String number) {
    b.setSubject(new Subject(SubjectKind.NUMBER, number));
    return this;
  }

  public FeedAlerts subject(SubjectKind kind, String id) {
    b.setSubject(new Subject(kind, id));
    return this;
  }

  public FeedAlerts victim(String number) {
    b.setVictim(number);
    return this;
  }

  public FeedAlerts lender(String lender, String agency) {
    b.setLenderId(lender).setAgencyId(agency);
    return this;
  }

  public FeedAlerts rule(String ruleId) {
    b.setRuleId(ruleId);
    return this;
  }

  public FeedAlerts severity(Severity s) {
    b.setSeverity(s);
    return this;
  }

  public FeedAlerts revision(int r) {
    b.setRevision(r);
    return this;
  }

  public FeedAlerts evidence(long total) {
    b.setEvidence(new Evidence(List.of("e1"), total));
    return this;
  }

  /** The alert as raised or grown at {@code t} (window and triggered_at). */
  public Alert at(Instant t) {
    return b.setWindowStart(t.minusSeconds(3600))
        .setWindowEnd(t)
        .setDetectedAt(t)
        .setTriggeredAt(t)
        .build();
  }
}

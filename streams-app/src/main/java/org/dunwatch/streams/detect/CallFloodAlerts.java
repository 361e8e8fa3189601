package org.dunwatch.streams.detect;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.alert.AlertType;
import org.dunwatch.avro.alert.Evidence;
import org.dunwatch.avro.alert.Severity;
import org.dunwatch.avro.alert.Subject;
import org.dunwatch.avro.alert.SubjectKind;
import org.dunwatch.streams.rules.CallFloodRule;
import org.dunwatch.streams.state.FloodIncident;
import org.dunwatch.streams.state.FloodRuleKind;
import org.dunwatch.streams.state.TrackedCall;

/** Turns a measured window and its incident into the contract's alert. */
final class CallFloodAlerts {

  static final String CALLS = "calls";
  static final String DISTINCT_CALLERS = "distinct_callers";
  static final String SHORT_CALL_RATIO = "short_call_ratio";
  static final String CALLS_FROM_SUBJECT = "calls_from_subject";

  private CallFloodAlerts() {}

  /**
   * @param calls the victim's tracked calls, sorted by time
   * @param incident the incident as it stands after this alert (id, revision)
   */
  static Alert build(
      CallFloodRule rule,
      String victim,
      String jurisdiction,
      CallFloodWindow window,
      Severity severity,
      FloodIncident incident,
      List<TrackedCall> calls,
      long detectedAtMs,
      long triggeredAtMs) {
    List<TrackedCall> inWindow = calls.stream().filter(c -> window.contains(c.getTime())).toList();
    List<TrackedCall> shortCalls = inWindow.stream().filter(TrackedCall::getShortCall).toList();
    Set<String> callers = new HashSet<>();
    shortCalls.forEach(c -> callers.add(c.getCaller()));
    boolean pair = window.kind() == FloodRuleKind.PAIR_1H;
    boolean early = window.kind() == FloodRuleKind.VICTIM_EARLY;
    String subject = pair ? window.caller() : mostActive(shortCalls);
    List<TrackedCall> behind =
        pair ? shortCalls.stream().filter(c -> subject.equals(c.getCaller())).toList() : shortCalls;
    double ratio = inWindow.isEmpty() ? 0.0 : shortCalls.size() / (double) inWindow.size();

    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put(CALLS, (double) shortCalls.size());
    metrics.put(DISTINCT_CALLERS, (double) callers.size());
    metrics.put(SHORT_CALL_RATIO, Math.round(ratio * 100) / 100.0);
    if (pair) {
      metrics.put(CALLS_FROM_SUBJECT, (double) behind.size());
    }
    List<String> eventIds =
        behind.subList(Math.max(0, behind.size() - rule.evidenceCap()), behind.size()).stream()
            .map(TrackedCall::getCallId)
            .toList();

    return Alert.newBuilder()
        .setAlertId(incident.getAlertId())
        .setType(AlertType.CALL_FLOOD)
        .setRuleId(pair ? rule.pairRuleId() : early ? rule.earlyRuleId() : rule.victimRuleId())
        .setRuleVersion(
            pair
                ? rule.pairRuleVersion()
                : early ? rule.earlyRuleVersion() : rule.victimRuleVersion())
        .setSeverity(severity)
        .setJurisdiction(jurisdiction)
        .setSubject(new Subject(SubjectKind.NUMBER, subject))
        .setVictim(victim)
        .setLenderId(null)
        .setAgencyId(null)
        .setLoanId(null)
        .setWindowStart(Instant.ofEpochMilli(window.start()))
        .setWindowEnd(Instant.ofEpochMilli(window.end()))
        .setDetectedAt(Instant.ofEpochMilli(detectedAtMs))
        .setMetrics(metrics)
        .setEvidence(new Evidence(eventIds, (long) behind.size()))
        .setExplanation(explanation(rule, window, pair, behind.size(), callers.size(), ratio))
        .setRevision(incident.getRevision())
        .setTriggeredAt(Instant.ofEpochMilli(triggeredAtMs))
        .build();
  }

  /** "57 calls from 12 numbers in 24 h; 93% ended while ringing or within 5 s". */
  static String explanation(
      CallFloodRule rule,
      CallFloodWindow window,
      boolean pair,
      int calls,
      int distinctCallers,
      double ratio) {
    String from = pair || distinctCallers == 1 ? "one number" : distinctCallers + " numbers";
    String span =
        switch (window.kind()) {
          case VICTIM_24H -> "24 h";
          case VICTIM_EARLY -> rule.earlyWindow().toMinutes() + " min";
          default -> "1 h";
        };
    return calls
        + (calls == 1 ? " call" : " calls")
        + " from "
        + from
        + " in "
        + span
        + "; "
        + Math.round(ratio * 100)
        + "% ended while ringing or within "
        + rule.shortTalkSeconds()
        + " s";
  }

  /** The caller with the most calls; on a tie the one who called last. */
  private static String mostActive(List<TrackedCall> shortCalls) {
    Map<String, Integer> counts = new HashMap<>();
    String best = null;
    int bestCount = 0;
    // calls are in time order, so >= lets a later caller win a tie
    for (TrackedCall c : shortCalls) {
      int n = counts.merge(c.getCaller(), 1, Integer::sum);
      if (n >= bestCount) {
        best = c.getCaller();
        bestCount = n;
      }
    }
    return best;
  }
}

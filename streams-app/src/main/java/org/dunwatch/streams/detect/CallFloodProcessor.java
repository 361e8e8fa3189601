package org.dunwatch.streams.detect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.alert.AlertType;
import org.dunwatch.avro.alert.Severity;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.streams.rules.CallFloodRule;
import org.dunwatch.streams.state.CallFloodState;
import org.dunwatch.streams.state.FloodIncident;
import org.dunwatch.streams.state.FloodRuleKind;
import org.dunwatch.streams.state.StorePurge;
import org.dunwatch.streams.state.TrackedCall;

/**
 * CALL_FLOOD per victim: keeps the victim's recent calls in time order, measures the sliding
 * windows around each new short call and runs the victim's incident (open, grow, end).
 */
final class CallFloodProcessor implements Processor<String, CallRecord, String, Alert> {

  static final long HOUR_MS = Duration.ofHours(1).toMillis();
  static final long DAY_MS = Duration.ofDays(1).toMillis();

  private final CallFloodRule rule;
  private final long quietMs;
  private final long retentionMs;
  private final long idleMs;

  private ProcessorContext<String, Alert> context;
  private KeyValueStore<String, CallFloodState> store;

  CallFloodProcessor(CallFloodRule rule, Duration grace) {
    this.rule = rule;
    this.quietMs = rule.quietPeriod().toMillis();
    // A record may be up to `grace` behind the newest one, and its 24 h window reaches a day
    // further back: nothing older can ever be counted again.
    this.retentionMs = DAY_MS + grace.toMillis();
    // Past this, every tracked call is out of reach and the incident has ended.
    this.idleMs = DAY_MS + Math.max(quietMs, grace.toMillis());
  }

  @Override
  public void init(ProcessorContext<String, Alert> context) {
    this.context = context;
    this.store = context.getStateStore(CallFloodDetector.STORE);
    context.schedule(
        CallFloodDetector.PURGE_INTERVAL, PunctuationType.STREAM_TIME, this::purgeIdleVictims);
  }

  @Override
  public void process(Record<String, CallRecord> record) {
    CallRecord call = record.value();
    if (call == null || call.getCaller() == null || call.getCallee() == null) {
      return;
    }
    String victim = record.key() != null ? record.key() : call.getCallee().getId();
    long time = record.timestamp();
    boolean isShort = CallFloodDetector.isShort(call, rule.shortTalkSeconds());

    CallFloodState state = store.get(victim);
    List<TrackedCall> calls = state == null ? new ArrayList<>() : new ArrayList<>(state.getCalls());
    Long countingFrom = state == null ? null : state.getCountingFrom();
    FloodIncident incident = state == null ? null : state.getIncident();

    if (countingFrom != null && time < countingFrom) {
      // a late call from an incident that has ended and was alerted already
      return;
    }
    if (calls.stream().anyMatch(c -> c.getCallId().equals(call.getCallId()))) {
      // redelivered (at-least-once producer): count it once
      return;
    }
    if (incident != null && isShort && time > incident.getLastTime() + quietMs) {
      // The quiet period passed: the old incident is over. Its calls stop counting, or a day of
      // it plus a handful of new calls would open a new 24 h incident at once.
      countingFrom = incident.getLastTime() + 1;
      incident = null;
      long from = countingFrom;
      calls.removeIf(c -> c.getTime() < from);
    }

    long newest = calls.isEmpty() ? time : Math.max(time, calls.get(calls.size() - 1).getTime());
    if (time < newest - retentionMs) {
      return;
    }
    TrackedCall tracked =
        new TrackedCall(
            time,
            call.getCaller().getId(),
            isShort,
            call.getCallId(),
            CallFloodDetector.isHungUp(call, rule.shortTalkSeconds()));
    insertInTimeOrder(calls, tracked);
    boolean kept = trim(calls, newest - retentionMs, tracked);

    if (isShort && kept) {
      if (incident != null) {
        incident.setLastTime(Math.max(incident.getLastTime(), time));
      }
      incident = judge(victim, call, tracked, calls, incident);
    }
    store.put(
        victim,
        CallFloodState.newBuilder()
            .setCalls(calls)
            .setCountingFrom(countingFrom)
            .setIncident(incident)
            .build());
  }

  /**
   * Measures the windows around a new short call; opens the incident when a rule is first crossed
   * and re-issues it when it grows. Returns the incident as it stands afterwards.
   */
  private FloodIncident judge(
      String victim,
      CallRecord call,
      TrackedCall tracked,
      List<TrackedCall> calls,
      FloodIncident incident) {
    long t = tracked.getTime();
    CallFloodWindow strongest =
        Stream.of(
                CallFloodWindow.busiest(FloodRuleKind.VICTIM_1H, calls, t, HOUR_MS, null),
                CallFloodWindow.busiest(FloodRuleKind.VICTIM_24H, calls, t, DAY_MS, null),
                CallFloodWindow.busiest(
                    FloodRuleKind.PAIR_1H, calls, t, HOUR_MS, tracked.getCaller()),
                CallFloodWindow.early(
                    calls, t, rule.earlyWindow().toMillis(), rule.earlyDistinctCallers()))
            .filter(w -> w != null && CallFloodSeverity.of(rule, w.kind(), w.count()) != null)
            .min(CallFloodSeverity.strongestFirst(rule))
            .orElse(null);
    if (strongest == null) {
      return incident;
    }
    Severity severity = CallFloodSeverity.of(rule, strongest.kind(), strongest.count());
    long latestShort =
        calls.stream()
            .filter(TrackedCall::getShortCall)
            .mapToLong(TrackedCall::getTime)
            .max()
            .orElse(t);
    FloodIncident next;
    if (incident == null) {
      long start = strongest.firstCounted();
      next =
          FloodIncident.newBuilder()
              .setAlertId(IncidentIds.alertId(AlertType.CALL_FLOOD, victim, start))
              .setFirstTime(start)
              .setLastTime(latestShort)
              .setRevision(1)
              .setAlertedRule(strongest.kind())
              .setAlertedCalls(strongest.count())
              .setAlertedSeverity(severity.name())
              .build();
    } else if (grew(incident, strongest, severity)) {
      next =
          FloodIncident.newBuilder(incident)
              .setRevision(incident.getRevision() + 1)
              .setAlertedRule(strongest.kind())
              .setAlertedCalls(strongest.count())
              .setAlertedSeverity(severity.name())
              .build();
    } else {
      return incident;
    }
    Alert alert =
        CallFloodAlerts.build(
            rule,
            victim,
            call.getCallee().getRegion(),
            strongest,
            severity,
            next,
            calls,
            context.currentSystemTimeMs(),
            t);
    context.forward(new Record<>(victim, alert, t));
    return next;
  }

  /**
   * Severity rose above the last alert's, or the count reached {@code regrowthFactor} times the
   * last alert's. Counts of different rules compare as multiples of their thresholds.
   */
  private boolean grew(FloodIncident incident, CallFloodWindow now, Severity severity) {
    if (now.kind() == FloodRuleKind.VICTIM_EARLY) {
      return false; // a first signal: the incident grows on the 1 h and 24 h rules
    }
    Severity last = Severity.valueOf(incident.getAlertedSeverity());
    if (severity.compareTo(last) > 0) {
      return true;
    }
    double lastScore =
        CallFloodSeverity.score(rule, incident.getAlertedRule(), incident.getAlertedCalls());
    return CallFloodSeverity.score(rule, now.kind(), now.count())
        >= rule.regrowthFactor() * lastScore;
  }

  /**
   * Deletes victims with no call within a day plus the quiet period (or grace) of stream time:
   * every tracked call is then too old to count and the incident has ended.
   *
   * <p>Cost: a full scan of the store, reading and deserialising every victim's state (up to {@code
   * maxTrackedCalls} calls each), once per {@link CallFloodDetector#PURGE_INTERVAL} of stream time.
   * Fine for millions of victims every 30 min; a store keyed by last-seen time would make it
   * proportional to what expires, at the price of a second write per call.
   */
  private void purgeIdleVictims(long streamTime) {
    long cutoff = streamTime - idleMs;
    StorePurge.deleteWhere(store, s -> newest(s) < cutoff);
  }

  private static long newest(CallFloodState state) {
    List<TrackedCall> calls = state.getCalls();
    long newest = calls.isEmpty() ? Long.MIN_VALUE : calls.get(calls.size() - 1).getTime();
    FloodIncident incident = state.getIncident();
    return incident == null ? newest : Math.max(newest, incident.getLastTime());
  }

  /** Binary search for the slot after every call at or before its time (arrival order on ties). */
  private static void insertInTimeOrder(List<TrackedCall> calls, TrackedCall call) {
    int lo = 0;
    int hi = calls.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (calls.get(mid).getTime() <= call.getTime()) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    calls.add(lo, call);
  }

  /**
   * Drops calls older than {@code oldest}, then the oldest ones beyond {@code maxTrackedCalls}.
   * Returns whether {@code added} survived (a very late call can be the oldest of a full list).
   */
  private boolean trim(List<TrackedCall> calls, long oldest, TrackedCall added) {
    int drop = 0;
    while (drop < calls.size() && calls.get(drop).getTime() < oldest) {
      drop++;
    }
    drop = Math.max(drop, calls.size() - rule.maxTrackedCalls());
    boolean kept = true;
    for (int i = 0; i < drop; i++) {
      if (calls.get(i) == added) {
        kept = false;
      }
    }
    calls.subList(0, drop).clear();
    return kept;
  }
}

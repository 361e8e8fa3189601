package org.dunwatch.streams.behaviour;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.alert.AlertType;
import org.dunwatch.avro.alert.Evidence;
import org.dunwatch.avro.alert.Severity;
import org.dunwatch.avro.alert.Subject;
import org.dunwatch.avro.alert.SubjectKind;
import org.dunwatch.avro.telecom.SmsRecord;
import org.dunwatch.streams.content.ContentClassifier;
import org.dunwatch.streams.detect.IncidentIds;
import org.dunwatch.streams.state.SmsFloodIncident;
import org.dunwatch.streams.state.SmsFloodRuleKind;
import org.dunwatch.streams.state.SmsFloodState;
import org.dunwatch.streams.state.StorePurge;
import org.dunwatch.streams.state.TrackedSms;

/** SMS_FLOOD per recipient: recent messages in time order, sliding windows, the incident. */
final class SmsFloodProcessor implements Processor<String, SmsRecord, String, Alert> {

  static final long HOUR_MS = Duration.ofHours(1).toMillis();

  private final SmsFloodRule rule;
  private final ContentClassifier classifier;
  private final long quietMs;
  private final long retentionMs;
  private final long idleMs;

  private ProcessorContext<String, Alert> context;
  private KeyValueStore<String, SmsFloodState> store;

  SmsFloodProcessor(SmsFloodRule rule, ContentClassifier classifier, Duration grace) {
    this.rule = rule;
    this.classifier = classifier;
    this.quietMs = rule.quietPeriod().toMillis();
    // a message up to `grace` late still has its hour measured whole
    this.retentionMs = HOUR_MS + grace.toMillis();
    this.idleMs = HOUR_MS + Math.max(quietMs, grace.toMillis());
  }

  @Override
  public void init(ProcessorContext<String, Alert> context) {
    this.context = context;
    this.store = context.getStateStore(SmsFloodDetector.STORE);
    context.schedule(SmsFloodDetector.PURGE_INTERVAL, PunctuationType.STREAM_TIME, this::purgeIdle);
  }

  /** One measured window of one rule: {@code [end - length, end]}. */
  record Window(SmsFloodRuleKind kind, long start, long end, int count, long firstCounted) {
    boolean contains(long t) {
      return t >= start && t <= end;
    }
  }

  @Override
  public void process(Record<String, SmsRecord> record) {
    SmsRecord sms = record.value();
    if (sms == null || sms.getSender() == null || sms.getRecipient() == null) {
      return;
    }
    String victim = record.key() != null ? record.key() : sms.getRecipient().getId();
    long time = record.timestamp();

    SmsFloodState state = store.get(victim);
    List<TrackedSms> messages =
        state == null ? new ArrayList<>() : new ArrayList<>(state.getMessages());
    Long countingFrom = state == null ? null : state.getCountingFrom();
    SmsFloodIncident incident = state == null ? null : state.getIncident();

    if (countingFrom != null && time < countingFrom) {
      return;
    }
    if (messages.stream().anyMatch(m -> m.getMessageId().equals(sms.getMessageId()))) {
      return;
    }
    if (incident != null && time > incident.getLastTime() + quietMs) {
      // the quiet period passed: the old incident's messages no longer count toward a new one
      countingFrom = incident.getLastTime() + 1;
      incident = null;
      long from = countingFrom;
      messages.removeIf(m -> m.getTime() < from);
    }
    long newest =
        messages.isEmpty() ? time : Math.max(time, messages.get(messages.size() - 1).getTime());
    if (time < newest - retentionMs) {
      return;
    }
    TrackedSms tracked =
        new TrackedSms(
            time,
            sms.getSender().getId(),
            SmsFloodDetector.isOtp(sms, classifier),
            sms.getMessageId());
    insertInTimeOrder(messages, tracked);
    boolean kept = trim(messages, newest - retentionMs, tracked);
    if (kept) {
      if (incident != null) {
        incident.setLastTime(Math.max(incident.getLastTime(), time));
      }
      incident = judge(victim, sms, time, messages, incident);
    }
    store.put(
        victim,
        SmsFloodState.newBuilder()
            .setMessages(messages)
            .setCountingFrom(countingFrom)
            .setIncident(incident)
            .build());
  }

  private SmsFloodIncident judge(
      String victim, SmsRecord sms, long t, List<TrackedSms> messages, SmsFloodIncident incident) {
    Window strongest =
        Stream.of(
                busiest(SmsFloodRuleKind.OTP_SENDERS, messages, t),
                busiest(SmsFloodRuleKind.OTP_MESSAGES, messages, t),
                busiest(SmsFloodRuleKind.ALL_MESSAGES, messages, t))
            .filter(w -> w != null && severity(w.kind(), w.count()) != null)
            .max(
                Comparator.comparing((Window w) -> severity(w.kind(), w.count()))
                    .thenComparingDouble(w -> score(w.kind(), w.count())))
            .orElse(null);
    if (strongest == null) {
      return incident;
    }
    Severity severity = severity(strongest.kind(), strongest.count());
    SmsFloodIncident next;
    if (incident == null) {
      long start = strongest.firstCounted();
      next =
          SmsFloodIncident.newBuilder()
              .setAlertId(IncidentIds.alertId(AlertType.SMS_FLOOD, victim, start))
              .setFirstTime(start)
              .setLastTime(messages.get(messages.size() - 1).getTime())
              .setRevision(1)
              .setAlertedRule(strongest.kind())
              .setAlertedCount(strongest.count())
              .setAlertedSeverity(severity.name())
              .build();
    } else if (severity.compareTo(Severity.valueOf(incident.getAlertedSeverity())) > 0
        || score(strongest.kind(), strongest.count())
            >= rule.regrowthFactor()
                * score(incident.getAlertedRule(), incident.getAlertedCount())) {
      next =
          SmsFloodIncident.newBuilder(incident)
              .setRevision(incident.getRevision() + 1)
              .setAlertedRule(strongest.kind())
              .setAlertedCount(strongest.count())
              .setAlertedSeverity(severity.name())
              .build();
    } else {
      return incident;
    }
    context.forward(
        new Record<>(victim, alert(victim, sms, strongest, severity, next, messages, t), t));
    return next;
  }

  /**
   * The busiest window of {@code kind} containing {@code t}; candidates end at a counted message in
   * {@code [t, t + length]} (only {@code t} itself when records arrive in order).
   */
  Window busiest(SmsFloodRuleKind kind, List<TrackedSms> messages, long t) {
    long length = length(kind);
    boolean otpOnly = kind != SmsFloodRuleKind.ALL_MESSAGES;
    List<TrackedSms> counted =
        otpOnly ? messages.stream().filter(TrackedSms::getOtp).toList() : messages;
    Window best = null;
    for (TrackedSms end : counted) {
      long e = end.getTime();
      if (e < t || e > t + length) {
        continue;
      }
      List<TrackedSms> in =
          counted.stream().filter(m -> m.getTime() >= e - length && m.getTime() <= e).toList();
      if (in.stream().noneMatch(m -> m.getTime() <= t)) {
        continue;
      }
      int count =
          kind == SmsFloodRuleKind.OTP_SENDERS
              ? (int) in.stream().map(TrackedSms::getSender).distinct().count()
              : in.size();
      if (best == null || count >= best.count()) {
        best = new Window(kind, e - length, e, count, in.get(0).getTime());
      }
    }
    return best;
  }

  private long length(SmsFloodRuleKind kind) {
    return kind == SmsFloodRuleKind.OTP_SENDERS ? rule.otpSendersWindow().toMillis() : HOUR_MS;
  }

  private int threshold(SmsFloodRuleKind kind) {
    return switch (kind) {
      case OTP_SENDERS -> rule.otpSenders();
      case OTP_MESSAGES -> rule.otpMessagesPerHour();
      case ALL_MESSAGES -> rule.messagesPerHour();
    };
  }

  private double score(SmsFloodRuleKind kind, int count) {
    return count / (double) threshold(kind);
  }

  /** MEDIUM at the threshold, HIGH at 2x, CRITICAL at 4x; null below. */
  Severity severity(SmsFloodRuleKind kind, int count) {
    return Escalation.severity(count, threshold(kind));
  }

  private Alert alert(
      String victim,
      SmsRecord sms,
      Window window,
      Severity severity,
      SmsFloodIncident incident,
      List<TrackedSms> messages,
      long t) {
    List<TrackedSms> inWindow =
        messages.stream().filter(m -> window.contains(m.getTime())).toList();
    List<TrackedSms> codes = inWindow.stream().filter(TrackedSms::getOtp).toList();
    boolean otpRule = window.kind() != SmsFloodRuleKind.ALL_MESSAGES;
    List<TrackedSms> behind = otpRule ? codes : inWindow;
    Set<String> senders = new HashSet<>();
    behind.forEach(m -> senders.add(m.getSender()));
    List<Map.Entry<String, Integer>> top = topSenders(behind);

    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("messages", (double) inWindow.size());
    metrics.put("otp_messages", (double) codes.size());
    metrics.put("distinct_senders", (double) senders.size());
    metrics.put("top_sender_messages", (double) top.get(0).getValue());
    List<String> ids =
        behind.subList(Math.max(0, behind.size() - rule.evidenceCap()), behind.size()).stream()
            .map(TrackedSms::getMessageId)
            .toList();
    return Alert.newBuilder()
        .setAlertId(incident.getAlertId())
        .setType(AlertType.SMS_FLOOD)
        .setRuleId(rule.ruleId())
        .setRuleVersion(rule.ruleVersion())
        .setSeverity(severity)
        .setJurisdiction(sms.getRecipient().getRegion())
        .setSubject(new Subject(SubjectKind.NUMBER, top.get(0).getKey()))
        .setVictim(victim)
        .setLenderId(null)
        .setAgencyId(null)
        .setLoanId(null)
        .setWindowStart(Instant.ofEpochMilli(window.start()))
        .setWindowEnd(Instant.ofEpochMilli(window.end()))
        .setDetectedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
        .setMetrics(metrics)
        .setEvidence(new Evidence(ids, (long) behind.size()))
        .setExplanation(explanation(window, behind.size(), senders.size(), top))
        .setRevision(incident.getRevision())
        .setTriggeredAt(Instant.ofEpochMilli(t))
        .build();
  }

  /** "9 verification codes from 9 senders in 10 min; top senders: 10690001 2, JD 1, Meituan 1". */
  private String explanation(
      Window window, int count, int senders, List<Map.Entry<String, Integer>> top) {
    boolean otp = window.kind() != SmsFloodRuleKind.ALL_MESSAGES;
    long minutes = (window.end() - window.start()) / 60_000;
    String span = minutes % 60 == 0 ? (minutes / 60) + " h" : minutes + " min";
    String what =
        otp
            ? (count == 1 ? " verification code" : " verification codes")
            : (count == 1 ? " message" : " messages");
    String tops =
        top.stream()
            .limit(3)
            .map(e -> e.getKey() + " " + e.getValue())
            .collect(Collectors.joining(", "));
    return count
        + what
        + " from "
        + senders
        + (senders == 1 ? " sender" : " senders")
        + " in "
        + span
        + "; top senders: "
        + tops;
  }

  /** Senders by message count, most first; on a tie the one that sent last first. */
  private static List<Map.Entry<String, Integer>> topSenders(List<TrackedSms> messages) {
    Map<String, Integer> counts = new HashMap<>();
    Map<String, Integer> lastIndex = new HashMap<>();
    for (int i = 0; i < messages.size(); i++) {
      counts.merge(messages.get(i).getSender(), 1, Integer::sum);
      lastIndex.put(messages.get(i).getSender(), i);
    }
    List<Map.Entry<String, Integer>> list = new ArrayList<>(counts.entrySet());
    list.sort(
        Comparator.comparing((Map.Entry<String, Integer> e) -> e.getValue())
            .thenComparing(e -> lastIndex.get(e.getKey()))
            .reversed());
    return list;
  }

  /** Deletes recipients whose every message is out of reach and whose incident has ended. */
  private void purgeIdle(long streamTime) {
    long cutoff = streamTime - idleMs;
    StorePurge.deleteWhere(
        store,
        s -> {
          List<TrackedSms> m = s.getMessages();
          long newest = m.isEmpty() ? Long.MIN_VALUE : m.get(m.size() - 1).getTime();
          SmsFloodIncident incident = s.getIncident();
          if (incident != null) {
            newest = Math.max(newest, incident.getLastTime());
          }
          return newest < cutoff;
        });
  }

  private static void insertInTimeOrder(List<TrackedSms> messages, TrackedSms m) {
    int lo = 0;
    int hi = messages.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (messages.get(mid).getTime() <= m.getTime()) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    messages.add(lo, m);
  }

  /** Drops messages older than {@code oldest}, then the oldest beyond the cap; was added kept? */
  private boolean trim(List<TrackedSms> messages, long oldest, TrackedSms added) {
    int drop = 0;
    while (drop < messages.size() && messages.get(drop).getTime() < oldest) {
      drop++;
    }
    drop = Math.max(drop, messages.size() - rule.maxTrackedMessages());
    boolean kept = true;
    for (int i = 0; i < drop; i++) {
      if (messages.get(i) == added) {
        kept = false;
      }
    }
    messages.subList(0, drop).clear();
    return kept;
  }
}

package org.dunwatch.streams.behaviour;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
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
import org.dunwatch.streams.content.ContentClassifier;
import org.dunwatch.streams.content.ContentVerdict;
import org.dunwatch.streams.detect.IncidentIds;
import org.dunwatch.streams.lender.LenderView;
import org.dunwatch.streams.state.CollectorReg;
import org.dunwatch.streams.state.ContentIncident;
import org.dunwatch.streams.state.ContentState;
import org.dunwatch.streams.state.StorePurge;

/** Judges each message body and runs the content incidents stored under the record's key. */
final class ContentProcessor<V> implements Processor<String, V, String, Alert> {

  /** How often, in stream time, ended incidents are purged. */
  static final Duration PURGE_INTERVAL = Duration.ofHours(1);

  private final ContentRule rule;
  private final ContentClassifier classifier;
  private final String storeName;
  private final Function<V, ContentMessage> extract;
  private final long quietMs;
  private final boolean attributeSenders;

  private ProcessorContext<String, Alert> context;
  private KeyValueStore<String, ContentState> store;

  /** Collector registrations, when {@code attributeSenders}; else null. */
  private LenderView lenders;

  ContentProcessor(
      ContentRule rule,
      ContentClassifier classifier,
      String storeName,
      Function<V, ContentMessage> extract,
      boolean attributeSenders) {
    this.attributeSenders = attributeSenders;
    this.rule = rule;
    this.classifier = classifier;
    this.storeName = storeName;
    this.extract = extract;
    this.quietMs = rule.quietPeriod().toMillis();
  }

  @Override
  public void init(ProcessorContext<String, Alert> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
    this.lenders = attributeSenders ? LenderView.connect(context) : null;
    context.schedule(PURGE_INTERVAL, PunctuationType.STREAM_TIME, this::purgeEnded);
  }

  @Override
  public void process(Record<String, V> record) {
    if (record.value() == null || record.key() == null) {
      return;
    }
    ContentMessage m = extract.apply(record.value());
    if (m == null) {
      return;
    }
    ContentVerdict v = classifier.classify(m.body(), m.reader(), m.collection());
    if (v.clean()) {
      return;
    }
    long t = record.timestamp();
    m = attributed(m, t);
    ContentState state = store.get(record.key());
    List<ContentIncident> incidents =
        state == null ? new ArrayList<>() : new ArrayList<>(state.getIncidents());
    incidents.removeIf(i -> t > i.getLastTime() + quietMs);
    boolean changed = false;
    if (v.disclosure()) {
      changed |=
          judge(
              incidents,
              m,
              t,
              AlertType.THIRD_PARTY_DISCLOSURE,
              v.disclosurePhrases(),
              v.amountRevealed(),
              false);
    }
    if (v.abuse()) {
      changed |=
          judge(incidents, m, t, AlertType.THREAT_OR_ABUSE, v.abusePhrases(), false, v.threat());
    }
    if (changed) {
      if (incidents.size() > rule.maxOpenIncidents()) {
        incidents.sort(Comparator.comparingLong(ContentIncident::getLastTime).reversed());
        incidents.subList(rule.maxOpenIncidents(), incidents.size()).clear();
      }
      store.put(record.key(), new ContentState(incidents));
    }
  }

  /**
   * The message with the lender and agency of its sender's registration at {@code t}, if the sender
   * is registered (a number or an SMS sender id alike: report 000's lender texted from a 106
   * service number).
   */
  private ContentMessage attributed(ContentMessage m, long t) {
    if (lenders == null || m.lenderId() != null) {
      return m;
    }
    Optional<CollectorReg> reg = lenders.collectorAt(m.subject(), t);
    if (reg.isEmpty()) {
      return m;
    }
    return new ContentMessage(
        m.victim(),
        m.subjectKind(),
        m.subject(),
        reg.get().getLenderId(),
        reg.get().getAgencyId(),
        m.loanId(),
        m.jurisdiction(),
        m.eventId(),
        m.body(),
        m.reader(),
        m.collection());
  }

  /** Adds the message to its incident (opening one if needed); alerts on open and on growth. */
  private boolean judge(
      List<ContentIncident> incidents,
      ContentMessage m,
      long t,
      AlertType type,
      List<String> phrases,
      boolean amount,
      boolean threat) {
    ContentIncident incident =
        incidents.stream()
            .filter(
                i ->
                    i.getType().equals(type.name())
                        && i.getVictim().equals(m.victim())
                        && i.getSubject().equals(m.subject()))
            .findFirst()
            .orElse(null);
    if (incident != null && incident.getEventIds().contains(m.eventId())) {
      return false; // redelivered
    }
    if (incident == null) {
      incident =
          ContentIncident.newBuilder()
              .setAlertId(IncidentIds.alertId(type, m.victim() + "|" + m.subject(), t))
              .setType(type.name())
              .setVictim(m.victim())
              .setSubject(m.subject())
              .setFirstTime(t)
              .setLastTime(t)
              .setRevision(0)
              .setMessages(0)
              .setAlertedMessages(0)
              .setAlertedSeverity(Severity.LOW.name())
              .setEventIds(new ArrayList<>())
              .setPhrases(new ArrayList<>())
              .setAmountRevealed(false)
              .build();
      incidents.add(incident);
    }
    incident.setFirstTime(Math.min(incident.getFirstTime(), t));
    incident.setLastTime(Math.max(incident.getLastTime(), t));
    incident.setMessages(incident.getMessages() + 1);
    incident.setAmountRevealed(incident.getAmountRevealed() || amount);
    List<String> ids = new ArrayList<>(incident.getEventIds());
    ids.add(m.eventId());
    if (ids.size() > rule.evidenceCap()) {
      ids.subList(0, ids.size() - rule.evidenceCap()).clear();
    }
    incident.setEventIds(ids);
    List<String> quoted = new ArrayList<>(incident.getPhrases());
    for (String p : phrases) {
      String q =
          p.length() > ContentRule.MAX_PHRASE_CHARS
              ? p.substring(0, ContentRule.MAX_PHRASE_CHARS) + "…"
              : p;
      if (quoted.size() < rule.maxQuotedPhrases() && !quoted.contains(q)) {
        quoted.add(q);
      }
    }
    incident.setPhrases(quoted);

    Severity severity = severity(type, incident, threat);
    boolean first = incident.getRevision() == 0;
    boolean grew =
        severity.compareTo(Severity.valueOf(incident.getAlertedSeverity())) > 0
            || incident.getMessages() >= rule.regrowthFactor() * incident.getAlertedMessages();
    if (first || grew) {
      incident.setRevision(incident.getRevision() + 1);
      incident.setAlertedMessages(incident.getMessages());
      incident.setAlertedSeverity(severity.name());
      context.forward(new Record<>(m.victim(), alert(type, incident, m, severity, threat, t), t));
    }
    return true;
  }

  /**
   * Disclosure: MEDIUM, HIGH once an amount was named. Abuse: MEDIUM for insults, HIGH for a
   * threat, CRITICAL once a threatening incident reaches {@code criticalMessages}. Never lower than
   * what the incident was last alerted with.
   */
  private Severity severity(AlertType type, ContentIncident incident, boolean threat) {
    Severity s;
    if (type == AlertType.THIRD_PARTY_DISCLOSURE) {
      s = incident.getAmountRevealed() ? Severity.HIGH : Severity.MEDIUM;
    } else if (threat || Severity.valueOf(incident.getAlertedSeverity()) == Severity.HIGH) {
      s = incident.getMessages() >= rule.criticalMessages() ? Severity.CRITICAL : Severity.HIGH;
    } else {
      s = Severity.MEDIUM;
    }
    Severity last = Severity.valueOf(incident.getAlertedSeverity());
    return s.compareTo(last) >= 0 ? s : last;
  }

  private Alert alert(
      AlertType type,
      ContentIncident incident,
      ContentMessage m,
      Severity severity,
      boolean threat,
      long t) {
    boolean disclosure = type == AlertType.THIRD_PARTY_DISCLOSURE;
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("messages", (double) incident.getMessages());
    metrics.put("quoted_phrases", (double) incident.getPhrases().size());
    if (disclosure) {
      metrics.put("amount_revealed", incident.getAmountRevealed() ? 1.0 : 0.0);
    } else {
      metrics.put("threat", threat || severity.compareTo(Severity.HIGH) >= 0 ? 1.0 : 0.0);
    }
    return Alert.newBuilder()
        .setAlertId(incident.getAlertId())
        .setType(type)
        .setRuleId(disclosure ? rule.disclosureRuleId() : rule.abuseRuleId())
        .setRuleVersion(disclosure ? rule.disclosureVersion() : rule.abuseVersion())
        .setSeverity(severity)
        .setJurisdiction(m.jurisdiction())
        .setSubject(new Subject(m.subjectKind(), m.subject()))
        .setVictim(m.victim())
        .setLenderId(m.lenderId())
        .setAgencyId(m.agencyId())
        .setLoanId(m.loanId())
        .setWindowStart(Instant.ofEpochMilli(incident.getFirstTime()))
        .setWindowEnd(Instant.ofEpochMilli(incident.getLastTime()))
        .setDetectedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
        .setMetrics(metrics)
        .setEvidence(
            new Evidence(List.copyOf(incident.getEventIds()), (long) incident.getMessages()))
        .setExplanation(explanation(disclosure, incident))
        .setRevision(incident.getRevision())
        .setTriggeredAt(Instant.ofEpochMilli(t))
        .build();
  }

  /** "1 message to someone other than the debtor names a debt: “您的亲友”, “逾期2187.00元”". */
  static String explanation(boolean disclosure, ContentIncident incident) {
    int n = incident.getMessages();
    String quotes =
        incident.getPhrases().stream().map(p -> "“" + p + "”").collect(Collectors.joining(", "));
    String what =
        disclosure
            ? (n == 1 ? " message" : " messages")
                + " to someone other than the debtor "
                + (n == 1 ? "names" : "name")
                + " a debt: "
            : (n == 1
                ? " collection message threatens or insults: "
                : " collection messages" + " threaten or insult: ");
    return n + what + quotes;
  }

  private void purgeEnded(long streamTime) {
    StorePurge.keepItems(
        store,
        ContentState::getIncidents,
        i -> streamTime <= i.getLastTime() + quietMs,
        ContentState::new);
  }
}

package org.dunwatch.streams.datatrade;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
import org.dunwatch.streams.detect.IncidentIds;
import org.dunwatch.streams.state.DataTradeBuyer;
import org.dunwatch.streams.state.DataTradeContact;
import org.dunwatch.streams.state.DataTradeCounts;
import org.dunwatch.streams.state.DataTradeHit;
import org.dunwatch.streams.state.DataTradePair;
import org.dunwatch.streams.state.StorePurge;

/**
 * The buyer's side of DATA_TRADE, on first contacts keyed by the party responsible: per source, how
 * many of its applicants the buyer reached first within {@code max_days_after} of applying, against
 * all the buyer's first contacts, and the one incident per (source, buyer).
 *
 * <p>The buyer's first contacts in the window are its first contacts to recent applicants (every
 * one is seen) plus {@code panel_sample} for each first contact to a panel number that had not
 * applied (the panel is a hash sample of all numbers). The share is the source's applicants among
 * them; the lift, that share over the source's share of all numbers ({@code base_share}: the
 * source's applications in the window over {@code panel_sample} times the panel numbers, as the
 * applicants' partitions counted them).
 */
final class BuyerProcessor implements Processor<String, DataTradeContact, String, Alert> {

  static final String APPLICANTS = "applicants";
  static final String FIRST_CONTACTS = "first_contacts";
  static final String SHARE = "share";
  static final String LIFT = "lift";
  static final String BASE_SHARE = "base_share";
  static final String MEDIAN_DAYS = "median_days_after_application";
  static final String DAYS_AFTER_MAX = "max_days_after";

  /** How often, in stream time, buyers with nothing left in the window are deleted. */
  static final Duration PURGE_INTERVAL = Duration.ofHours(6);

  private final DataTradeRule rule;
  private final long windowMs;

  private ProcessorContext<String, Alert> context;
  private KeyValueStore<String, DataTradeBuyer> store;

  BuyerProcessor(DataTradeRule rule) {
    this.rule = rule;
    this.windowMs = rule.window().toMillis();
  }

  @Override
  public void init(ProcessorContext<String, Alert> context) {
    this.context = context;
    this.store = context.getStateStore(DataTradeDetector.BUYER_STORE);
    context.schedule(PURGE_INTERVAL, PunctuationType.STREAM_TIME, this::purge);
  }

  @Override
  public void process(Record<String, DataTradeContact> record) {
    DataTradeContact c = record.value();
    if (record.key() == null || c == null) {
      return;
    }
    long t = c.getTime();
    DataTradeBuyer b = store.get(record.key());
    if (b == null) {
      b = new DataTradeBuyer(empty(), empty(), new ArrayList<>());
    }
    if (c.getPanelOther()) {
      b.setPanelDays(DayCounts.add(b.getPanelDays(), t, 1, windowMs));
    }
    List<DataTradePair> touched = new ArrayList<>();
    if (!c.getHits().isEmpty()) {
      b.setApplicantDays(DayCounts.add(b.getApplicantDays(), t, 1, windowMs));
      List<DataTradePair> pairs = new ArrayList<>(b.getPairs());
      for (DataTradeHit h : c.getHits()) {
        DataTradePair pair =
            pairs.stream()
                .filter(p -> p.getSource().equals(h.getSource()))
                .findFirst()
                .orElse(null);
        if (pair == null) {
          pair = new DataTradePair(h.getSource(), new ArrayList<>(), null, 0, null);
          pairs.add(pair);
        }
        List<DataTradeContact> contacts = new ArrayList<>(pair.getContacts());
        contacts.removeIf(x -> x.getTime() < t - windowMs);
        if (contacts.stream().noneMatch(x -> x.getTo().equals(c.getTo()))) {
          DataTradeContact one = DataTradeContact.newBuilder(c).setHits(List.of(h)).build();
          contacts.add(one);
          contacts.sort(Comparator.comparingLong(DataTradeContact::getTime));
          if (contacts.size() > rule.maxContactsPerPair()) {
            contacts.subList(0, contacts.size() - rule.maxContactsPerPair()).clear();
          }
        }
        pair.setContacts(contacts);
        touched.add(pair);
      }
      if (pairs.size() > rule.maxSourcesPerBuyer()) {
        pairs.sort(Comparator.comparingLong(BuyerProcessor::latest).reversed());
        pairs.subList(rule.maxSourcesPerBuyer(), pairs.size()).clear();
      }
      b.setPairs(pairs);
    }
    for (DataTradePair pair : touched) {
      if (b.getPairs().contains(pair)) {
        judge(record.key(), b, pair, t);
      }
    }
    store.put(record.key(), b);
  }

  private static long latest(DataTradePair p) {
    return p.getContacts().isEmpty()
        ? Long.MIN_VALUE
        : p.getContacts().get(p.getContacts().size() - 1).getTime();
  }

  private static DataTradeCounts empty() {
    return new DataTradeCounts(new ArrayList<>());
  }

  /** Raises or grows the pair's incident when the rule holds at {@code t}. */
  private void judge(String key, DataTradeBuyer b, DataTradePair pair, long t) {
    long from = t - windowMs;
    List<DataTradeContact> contacts =
        pair.getContacts().stream().filter(x -> x.getTime() >= from).toList();
    int reached = contacts.size();
    if (reached < rule.minApplicants()) {
      return;
    }
    long firstContacts =
        Math.max(
            reached,
            DayCounts.sumSince(b.getApplicantDays(), from)
                + (long) rule.panelSample() * DayCounts.sumSince(b.getPanelDays(), from));
    double share = (double) reached / firstContacts;
    // a ratio of sums over the contacts, not a mean of per-partition ratios: a partition with
    // few panel numbers would otherwise weigh as much as one with many
    long sourceApplicants = 0;
    long panelNumbers = 0;
    for (DataTradeContact x : contacts) {
      sourceApplicants += x.getHits().get(0).getSourceApplicants();
      panelNumbers += x.getHits().get(0).getPanelNumbers();
    }
    if (panelNumbers == 0) {
      // no panel on any applicant's partition yet: the share of all numbers is not known
      return;
    }
    double baseShare = (double) sourceApplicants / ((double) panelNumbers * rule.panelSample());
    double lift = baseShare <= 0 ? Double.POSITIVE_INFINITY : share / baseShare;
    if (share < rule.minShare() || lift < rule.minLift()) {
      return;
    }
    Severity severity = severity(reached);
    Severity before = pair.getSeverity() == null ? null : Severity.valueOf(pair.getSeverity());
    if (before != null && severity.compareTo(before) <= 0) {
      return;
    }
    DataTradeContact first = contacts.get(0);
    DataTradeContact c = first;
    if (pair.getAlertId() == null) {
      pair.setAlertId(
          IncidentIds.alertId(
              AlertType.DATA_TRADE, pair.getSource() + "->" + key, first.getTime()));
    }
    pair.setRevision(pair.getRevision() + 1);
    pair.setSeverity(severity.name());
    double medianDays = medianDays(contacts);
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put(APPLICANTS, (double) reached);
    metrics.put(FIRST_CONTACTS, (double) firstContacts);
    metrics.put(SHARE, round(share));
    metrics.put(BASE_SHARE, round(baseShare));
    metrics.put(LIFT, Double.isInfinite(lift) ? Double.MAX_VALUE : round(lift));
    metrics.put(MEDIAN_DAYS, round(medianDays));
    metrics.put(DAYS_AFTER_MAX, (double) rule.maxDaysAfter().toDays());
    List<String> ids = new ArrayList<>();
    for (DataTradeContact x : contacts) {
      if (ids.size() + 2 > 2 * rule.evidenceCap()) {
        break;
      }
      ids.add(x.getEventId());
      ids.add(x.getHits().get(0).getApplicationEventId());
    }
    SubjectKind kind = SubjectKind.valueOf(c.getBuyerKind());
    Alert alert =
        Alert.newBuilder()
            .setAlertId(pair.getAlertId())
            .setType(AlertType.DATA_TRADE)
            .setRuleId(rule.ruleId())
            .setRuleVersion(rule.ruleVersion())
            .setSeverity(severity)
            .setJurisdiction(majorityRegion(contacts))
            .setSubject(new Subject(kind, c.getBuyer()))
            .setVictim(null)
            .setLenderId(pair.getSource())
            .setWindowStart(Instant.ofEpochMilli(first.getTime()))
            .setWindowEnd(Instant.ofEpochMilli(contacts.get(contacts.size() - 1).getTime()))
            .setDetectedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
            .setMetrics(metrics)
            .setEvidence(new Evidence(ids, (long) reached))
            .setExplanation(
                explanation(
                    kind,
                    c.getBuyer(),
                    pair.getSource(),
                    contacts,
                    firstContacts,
                    share,
                    lift,
                    medianDays))
            .setRevision(pair.getRevision())
            .setTriggeredAt(Instant.ofEpochMilli(t))
            .build();
    context.forward(new Record<>(c.getBuyer(), alert, t));
  }

  /** MEDIUM at min_applicants, HIGH at twice, CRITICAL at four times, as the other detectors. */
  private Severity severity(int reached) {
    if (reached >= 4L * rule.minApplicants()) {
      return Severity.CRITICAL;
    }
    return reached >= 2L * rule.minApplicants() ? Severity.HIGH : Severity.MEDIUM;
  }

  private static double medianDays(List<DataTradeContact> contacts) {
    double[] days =
        contacts.stream()
            .mapToDouble(
                x -> (x.getTime() - x.getHits().get(0).getAppliedAt()) / (double) DayCounts.DAY_MS)
            .sorted()
            .toArray();
    int n = days.length;
    return n % 2 == 1 ? days[n / 2] : (days[n / 2 - 1] + days[n / 2]) / 2;
  }

  private static String majorityRegion(List<DataTradeContact> contacts) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (DataTradeContact x : contacts) {
      if (x.getToRegion() != null) {
        counts.merge(x.getToRegion(), 1, Integer::sum);
      }
    }
    return counts.entrySet().stream()
        .max(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey)
        .orElse(null);
  }

  private String explanation(
      SubjectKind kind,
      String buyer,
      String source,
      List<DataTradeContact> contacts,
      long firstContacts,
      double share,
      double lift,
      double medianDays) {
    List<String> apps =
        contacts.stream().limit(3).map(x -> x.getHits().get(0).getApplicationId()).toList();
    return String.format(
        Locale.ROOT,
        "%s %s made first contact with %d applicants of %s within %d days of their applying"
            + " (median %.1f days; applications %s%s): %d%% of its ~%d first contacts in %d days,"
            + " %s their share of all numbers",
        kind == SubjectKind.LENDER ? "lender" : "number",
        buyer,
        contacts.size(),
        source,
        rule.maxDaysAfter().toDays(),
        medianDays,
        String.join(", ", apps),
        contacts.size() > apps.size() ? ", ..." : "",
        Math.round(100 * share),
        firstContacts,
        rule.window().toDays(),
        Double.isInfinite(lift) ? "far above" : String.format(Locale.ROOT, "%.0fx", lift));
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private void purge(long streamTime) {
    long from = streamTime - windowMs;
    StorePurge.apply(
        store,
        b -> {
          List<DataTradePair> pairs = new ArrayList<>();
          boolean changed = false;
          for (DataTradePair p : b.getPairs()) {
            List<DataTradeContact> kept =
                p.getContacts().stream().filter(x -> x.getTime() >= from).toList();
            changed |= kept.size() != p.getContacts().size();
            if (!kept.isEmpty()) {
              pairs.add(
                  kept.size() == p.getContacts().size()
                      ? p
                      : new DataTradePair(
                          p.getSource(), kept, p.getAlertId(), p.getRevision(), p.getSeverity()));
            }
          }
          DataTradeCounts applicants = DayCounts.since(b.getApplicantDays(), from);
          DataTradeCounts panel = DayCounts.since(b.getPanelDays(), from);
          if (pairs.isEmpty() && applicants.getDays().isEmpty() && panel.getDays().isEmpty()) {
            return null;
          }
          if (!changed && applicants == b.getApplicantDays() && panel == b.getPanelDays()) {
            return b;
          }
          return new DataTradeBuyer(applicants, panel, pairs);
        });
  }
}

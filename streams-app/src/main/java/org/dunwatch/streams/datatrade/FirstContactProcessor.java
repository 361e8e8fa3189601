package org.dunwatch.streams.datatrade;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.dunwatch.avro.alert.SubjectKind;
import org.dunwatch.streams.lender.LenderView;
import org.dunwatch.streams.state.CollectorReg;
import org.dunwatch.streams.state.DataTradeApplication;
import org.dunwatch.streams.state.DataTradeContact;
import org.dunwatch.streams.state.DataTradeCounts;
import org.dunwatch.streams.state.DataTradeHit;
import org.dunwatch.streams.state.DataTradeNumber;
import org.dunwatch.streams.state.PolicyContact;
import org.dunwatch.streams.state.SeenParty;
import org.dunwatch.streams.state.StorePurge;

/**
 * The applicant's side of DATA_TRADE, on records keyed by the number contacted (calls by callee,
 * messages by recipient, applications re-keyed by applicant): which contacts are first contacts
 * toward a tracked number, and who is responsible for each.
 *
 * <p>A number is tracked while it has an application within {@code max_days_after}, or always when
 * it is on the panel; nothing is kept for any other number, so the store follows the recent
 * applicants plus one subscriber in {@code panel_sample}, not every pair of numbers. A contact is a
 * first contact when its party has not called or messaged the number since tracking began (within
 * the window), is not declared on a loan together with it, and is not the number itself.
 *
 * <p>The party responsible is the lender when the number calling is registered to one (its
 * collectors, in-house or agency, make one buyer), else the number or sender id. An application
 * does not count for a lender that received it, was forwarded it, or holds a loan of the applicant:
 * they may call lawfully.
 *
 * <p>Per partition, store {@link DataTradeDetector#BASE_STORE} counts each source's applications
 * per day and the panel numbers being tracked; their ratio, times {@code panel_sample}, estimates
 * the source's share of all numbers (numbers are spread over partitions by hash, so each partition
 * is a sample of them); both counts ride along with each first contact.
 */
final class FirstContactProcessor implements Processor<String, Object, String, DataTradeContact> {

  static final String PANEL_KEY = "panel";
  static final String SOURCE_PREFIX = "source:";

  /** How often, in stream time, numbers with nothing left to track are deleted. */
  static final Duration PURGE_INTERVAL = Duration.ofHours(6);

  private final DataTradeRule rule;
  private final long afterMs;
  private final long windowMs;

  private ProcessorContext<String, DataTradeContact> context;
  private KeyValueStore<String, DataTradeNumber> numbers;
  private KeyValueStore<String, DataTradeCounts> base;
  private LenderView lender;

  FirstContactProcessor(DataTradeRule rule) {
    this.rule = rule;
    this.afterMs = rule.maxDaysAfter().toMillis();
    this.windowMs = rule.window().toMillis();
  }

  @Override
  public void init(ProcessorContext<String, DataTradeContact> context) {
    this.context = context;
    this.numbers = context.getStateStore(DataTradeDetector.NUMBER_STORE);
    this.base = context.getStateStore(DataTradeDetector.BASE_STORE);
    this.lender = LenderView.connect(context);
    context.schedule(PURGE_INTERVAL, PunctuationType.STREAM_TIME, this::purge);
  }

  @Override
  public void process(Record<String, Object> record) {
    if (record.key() == null || record.value() == null) {
      return;
    }
    if (record.value() instanceof DataTradeApplication a) {
      application(record.key(), a);
    } else if (record.value() instanceof PolicyContact c) {
      contact(record.key(), c);
    }
  }

  private void application(String applicant, DataTradeApplication a) {
    DataTradeNumber n = numbers.get(applicant);
    if (n == null) {
      n = newNumber(applicant);
    }
    boolean known =
        n.getApplications().stream()
            .anyMatch(
                x ->
                    x.getSource().equals(a.getSource())
                        && x.getApplicationId().equals(a.getApplicationId()));
    if (known) {
      return;
    }
    List<DataTradeApplication> apps = new ArrayList<>(n.getApplications());
    apps.add(a);
    apps.sort(Comparator.comparingLong(DataTradeApplication::getAt));
    if (apps.size() > rule.maxApplicationsPerNumber()) {
      apps.subList(0, apps.size() - rule.maxApplicationsPerNumber()).clear();
    }
    n.setApplications(apps);
    numbers.put(applicant, n);
    String key = SOURCE_PREFIX + a.getSource();
    base.put(key, DayCounts.add(base.get(key), a.getAt(), 1, windowMs));
  }

  private DataTradeNumber newNumber(String number) {
    boolean panel = rule.onPanel(number);
    if (panel) {
      base.put(PANEL_KEY, DayCounts.total(base.get(PANEL_KEY), 1));
    }
    return new DataTradeNumber(panel, new ArrayList<>(), new ArrayList<>());
  }

  private void contact(String to, PolicyContact c) {
    String party = c.getFrom();
    if (party == null || party.equals(to)) {
      return;
    }
    long t = c.getTime();
    DataTradeNumber n = numbers.get(to);
    if (n == null) {
      if (!rule.onPanel(to)) {
        return;
      }
      n = newNumber(to);
    }
    List<DataTradeApplication> recent =
        n.getApplications().stream()
            .filter(a -> a.getAt() <= t && t - a.getAt() <= afterMs)
            .toList();
    List<SeenParty> parties = new ArrayList<>(n.getParties());
    parties.removeIf(p -> p.getFirst() < t - windowMs);
    if (parties.stream().anyMatch(p -> p.getParty().equals(party))) {
      return;
    }
    parties.add(new SeenParty(party, t));
    if (parties.size() > rule.maxPartiesPerNumber()) {
      parties.sort(Comparator.comparingLong(SeenParty::getFirst));
      parties.subList(0, parties.size() - rule.maxPartiesPerNumber()).clear();
    }
    n.setParties(parties);
    numbers.put(to, n);
    if (!n.getPanel() && recent.isEmpty()) {
      return;
    }
    LenderView.Relations relations = lender.relationsOf(to, party, t);
    if (relations.declaredTogether()) {
      return;
    }
    Optional<CollectorReg> reg = lender.collectorAt(party, t);
    String buyerLender = reg.map(CollectorReg::getLenderId).orElse(null);
    List<DataTradeHit> hits = new ArrayList<>();
    for (DataTradeApplication a : recent) {
      boolean lawful =
          buyerLender != null
              && (buyerLender.equals(a.getSource())
                  || a.getForwardedTo().contains(buyerLender)
                  || relations.lenders().contains(buyerLender));
      boolean sameSource = hits.stream().anyMatch(h -> h.getSource().equals(a.getSource()));
      if (!lawful && !sameSource) {
        hits.add(
            new DataTradeHit(
                a.getSource(),
                a.getApplicationId(),
                a.getEventId(),
                a.getAt(),
                DayCounts.sumSince(base.get(SOURCE_PREFIX + a.getSource()), t - windowMs),
                DayCounts.total(base.get(PANEL_KEY))));
      }
    }
    boolean panelOther = n.getPanel() && recent.isEmpty();
    if (hits.isEmpty() && !panelOther) {
      return;
    }
    String buyer = buyerLender != null ? buyerLender : party;
    SubjectKind kind = buyerLender != null ? SubjectKind.LENDER : SubjectKind.NUMBER;
    DataTradeContact out =
        DataTradeContact.newBuilder()
            .setBuyerKind(kind.name())
            .setBuyer(buyer)
            .setParty(party)
            .setTo(to)
            .setToRegion(c.getToRegion())
            .setEventId(c.getId())
            .setTime(t)
            .setPanelOther(panelOther)
            .setHits(hits)
            .build();
    context.forward(new Record<>(kind.name() + ":" + buyer, out, t));
  }

  private void purge(long streamTime) {
    long[] panelDropped = {0};
    StorePurge.apply(
        numbers,
        n -> {
          List<DataTradeApplication> apps =
              n.getApplications().stream().filter(a -> streamTime - a.getAt() <= afterMs).toList();
          List<SeenParty> parties =
              n.getParties().stream().filter(p -> streamTime - p.getFirst() <= windowMs).toList();
          // a number that applied is forgotten with its applications; a panel number when no one
          // called it for a window
          boolean keep = !apps.isEmpty() || (n.getPanel() && !parties.isEmpty());
          if (!keep) {
            if (n.getPanel()) {
              panelDropped[0]++;
            }
            return null;
          }
          if (!n.getPanel() && apps.size() == n.getApplications().size()) {
            // parties of an applicant live as long as its applications; trimming them is the
            // capped list's job
            return n;
          }
          if (apps.size() == n.getApplications().size()
              && parties.size() == n.getParties().size()) {
            return n;
          }
          return new DataTradeNumber(n.getPanel(), apps, n.getPanel() ? parties : n.getParties());
        });
    if (panelDropped[0] > 0) {
      base.put(PANEL_KEY, DayCounts.total(base.get(PANEL_KEY), -panelDropped[0]));
    }
    StorePurge.apply(
        base,
        v -> {
          DataTradeCounts kept = DayCounts.since(v, streamTime - windowMs);
          return kept.getDays().isEmpty() ? null : kept;
        });
    // the panel total is a running count, not days: since() leaves it as it is
  }
}

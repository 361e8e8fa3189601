package org.dunwatch.streams.behaviour;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
import org.dunwatch.streams.lender.LenderView;
import org.dunwatch.streams.lender.LoanRole;
import org.dunwatch.streams.state.FanOutReach;
import org.dunwatch.streams.state.FanOutReaches;
import org.dunwatch.streams.state.FanOutState;
import org.dunwatch.streams.state.ReachedPerson;
import org.dunwatch.streams.state.SourceSpread;
import org.dunwatch.streams.state.StorePurge;

/**
 * CONTACT_FAN_OUT per borrower (reaches sent to the borrowers' partitions by the repartition {@link
 * FanOutDetector#BY_BORROWER}): per source, the distinct people of the circle it reached in the
 * window; one incident per (borrower, source), re-issued as the spread grows.
 */
final class FanOutProcessor implements Processor<String, FanOutReaches, String, Alert> {

  private final FanOutRule rule;
  private ProcessorContext<String, Alert> context;
  private KeyValueStore<String, FanOutState> store;
  private LenderView lender;

  FanOutProcessor(FanOutRule rule) {
    this.rule = rule;
  }

  @Override
  public void init(ProcessorContext<String, Alert> context) {
    this.context = context;
    this.store = context.getStateStore(FanOutDetector.STORE);
    this.lender = LenderView.connect(context);
    context.schedule(Circles.PURGE_INTERVAL, PunctuationType.STREAM_TIME, this::purgeEnded);
  }

  /**
   * Deletes borrowers nobody has been reached for within the window: every incident has ended, as
   * {@link #process} would find on the borrower's next reach. Without it the store keeps every
   * borrower whose circle was ever reached.
   */
  private void purgeEnded(long streamTime) {
    long horizon = streamTime - rule.window().toMillis();
    StorePurge.deleteWhere(
        store,
        s ->
            s.getSources().stream()
                .flatMap(x -> x.getReached().stream())
                .allMatch(p -> p.getFirstTime() < horizon));
  }

  @Override
  public void process(Record<String, FanOutReaches> record) {
    FanOutReaches reaches = record.value();
    if (reaches == null) {
      return;
    }
    long t = record.timestamp();
    for (String borrower : reaches.getBorrowers()) {
      // the record comes to every partition that holds one of its borrowers; each acts on its own
      // (only the borrower's partition has the borrower's loans), and most owe nothing at all
      List<LoanRole> roles = lender.rolesOf(borrower, t);
      if (roles.stream().anyMatch(l -> l.role() == LoanRole.Role.BORROWER)) {
        process(borrower, roles, Reaches.forBorrower(reaches, borrower), t);
      }
    }
  }

  private void process(String borrower, List<LoanRole> roles, FanOutReach reach, long t) {
    FanOutReach r = registered(reach, t);
    List<LoanRole> loans =
        roles.stream()
            .filter(l -> l.role() == LoanRole.Role.BORROWER)
            .filter(l -> r.getLenderId() == null || r.getLenderId().equals(l.lenderId()))
            .toList();
    if (loans.isEmpty()) {
      return; // not a borrower (of that lender): nobody's debt is being chased through this circle
    }
    FanOutState state = store.get(borrower);
    List<SourceSpread> sources =
        state == null ? new ArrayList<>() : new ArrayList<>(state.getSources());
    long horizon = t - rule.window().toMillis();
    for (SourceSpread s : sources) {
      List<ReachedPerson> kept = new ArrayList<>(s.getReached());
      kept.removeIf(p -> p.getFirstTime() < horizon);
      s.setReached(kept);
    }
    // a source with nobody left in the window has ended its incident
    sources.removeIf(s -> s.getReached().isEmpty());
    SourceSpread spread =
        sources.stream().filter(s -> s.getSource().equals(r.getSource())).findFirst().orElse(null);
    if (spread == null) {
      spread =
          SourceSpread.newBuilder()
              .setSource(r.getSource())
              .setLenderId(r.getLenderId())
              .setAgencyId(r.getAgencyId())
              .setReached(new ArrayList<>())
              .setAlertId(null)
              .setRevision(0)
              .setAlertedCount(0)
              .build();
      sources.add(spread);
    }
    boolean grew = foldEarlier(sources, spread, r.getViaNumber());
    if (spread.getReached().stream().noneMatch(p -> p.getNumber().equals(r.getReached()))
        && spread.getReached().size() < rule.maxReached()) {
      List<ReachedPerson> reached = new ArrayList<>(spread.getReached());
      reached.add(new ReachedPerson(r.getReached(), t, r.getEventId(), r.getDeclaredContact()));
      spread.setReached(reached);
      grew = true;
    }
    if (grew) {
      if (r.getAgencyId() != null) {
        spread.setAgencyId(r.getAgencyId());
      }
      if (r.getSourceContacts() != null) {
        spread.setSourceContacts(r.getSourceContacts());
      }
      judge(borrower, spread, r, loans, t);
    }
    if (sources.size() > rule.maxSources()) {
      sources.sort((a, b) -> Long.compare(latest(b), latest(a))); // keep the most recently active
      sources.subList(rule.maxSources(), sources.size()).clear();
    }
    store.put(borrower, new FanOutState(sources));
  }

  /**
   * A lender's registered numbers and reported attempts always work the borrower's circle; an
   * unregistered number does when it reached {@code unregistered_reached} people here and they are
   * at least {@code source_share} of everyone it is in touch with. Once an incident is open it
   * grows without asking again.
   */
  private boolean worksThisCircle(SourceSpread spread, int counted) {
    if (spread.getLenderId() != null) {
      return true;
    }
    Integer contacts = spread.getSourceContacts();
    return counted >= rule.unregisteredReached()
        && (contacts == null || spread.getReached().size() >= rule.sourceShare() * contacts);
  }

  /**
   * A number judged unregistered on the callee's partition may have been registered all along, its
   * registration still on its way through the lender repartition when the call was seen there;
   * registrations are on every partition, so here, a hop later, the reach is put right.
   */
  private FanOutReach registered(FanOutReach r, long t) {
    if (!r.getSource().startsWith(NUMBER)) {
      return r;
    }
    return lender
        .collectorAt(r.getSource().substring(NUMBER.length()), t)
        .map(
            reg ->
                FanOutReach.newBuilder(r)
                    .setSource("LENDER:" + reg.getLenderId())
                    .setLenderId(reg.getLenderId())
                    .setAgencyId(reg.getAgencyId())
                    .setSourceContacts(null)
                    .build())
        .orElse(r);
  }

  private static final String NUMBER = "NUMBER:";

  /**
   * When a number's registration became known only after some of its calls were seen, the people it
   * reached before, counted under {@code NUMBER:<it>} and not yet alerted, move to its lender's
   * spread: lender data that arrives after the calls still counts.
   */
  private boolean foldEarlier(List<SourceSpread> sources, SourceSpread into, String via) {
    if (via == null || into.getLenderId() == null) {
      return false;
    }
    String seenAs = NUMBER + via;
    SourceSpread earlier =
        sources.stream()
            .filter(x -> x.getSource().equals(seenAs) && x.getAlertId() == null)
            .findFirst()
            .orElse(null);
    if (earlier == null) {
      return false;
    }
    sources.remove(earlier);
    List<ReachedPerson> reached = new ArrayList<>(into.getReached());
    boolean grew = false;
    for (ReachedPerson p : earlier.getReached()) {
      if (reached.size() < rule.maxReached()
          && reached.stream().noneMatch(x -> x.getNumber().equals(p.getNumber()))) {
        reached.add(p);
        grew = true;
      }
    }
    reached.sort(java.util.Comparator.comparingLong(ReachedPerson::getFirstTime));
    into.setReached(reached);
    return grew;
  }

  private static long latest(SourceSpread s) {
    return s.getReached().stream().mapToLong(ReachedPerson::getFirstTime).max().orElse(0L);
  }

  private void judge(
      String borrower, SourceSpread spread, FanOutReach r, List<LoanRole> loans, long t) {
    List<ReachedPerson> counted =
        spread.getReached().stream().filter(p -> !p.getDeclared()).toList();
    int n = counted.size();
    Severity severity = severity(n);
    if (severity == null) {
      return;
    }
    if (spread.getAlertId() == null && !worksThisCircle(spread, n)) {
      return;
    }
    if (spread.getAlertId() == null) {
      spread.setAlertId(
          IncidentIds.alertId(
              AlertType.CONTACT_FAN_OUT,
              borrower + "|" + spread.getSource(),
              counted.get(0).getFirstTime()));
    } else if (!(n >= rule.regrowthFactor() * spread.getAlertedCount()
        || severity.compareTo(severity(spread.getAlertedCount())) > 0)) {
      return;
    }
    spread.setRevision(spread.getRevision() + 1);
    spread.setAlertedCount(n);
    int declared = spread.getReached().size() - n;
    boolean byLender = spread.getLenderId() != null;
    String subject = byLender ? spread.getLenderId() : spread.getSource().substring(7);
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("reached", (double) n);
    metrics.put("declared_contacts_reached", (double) declared);
    List<String> ids =
        counted.subList(Math.max(0, n - rule.evidenceCap()), n).stream()
            .map(ReachedPerson::getEventId)
            .toList();
    String loanId = loans.size() == 1 ? loans.get(0).loanId() : null;
    Alert alert =
        Alert.newBuilder()
            .setAlertId(spread.getAlertId())
            .setType(AlertType.CONTACT_FAN_OUT)
            .setRuleId(rule.ruleId())
            .setRuleVersion(rule.ruleVersion())
            .setSeverity(severity)
            .setJurisdiction(r.getReachedRegion())
            .setSubject(new Subject(byLender ? SubjectKind.LENDER : SubjectKind.NUMBER, subject))
            .setVictim(borrower)
            .setLenderId(spread.getLenderId())
            .setAgencyId(spread.getAgencyId())
            .setLoanId(byLender ? loanId : null)
            .setWindowStart(Instant.ofEpochMilli(counted.get(0).getFirstTime()))
            .setWindowEnd(Instant.ofEpochMilli(t))
            .setDetectedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
            .setMetrics(metrics)
            .setEvidence(new Evidence(ids, (long) n))
            .setExplanation(
                (byLender ? "lender " : "number ")
                    + subject
                    + " reached "
                    + n
                    + " people of the borrower's circle in "
                    + rule.window().toDays()
                    + " days who are not declared contacts"
                    + (declared == 0
                        ? ""
                        : " (and "
                            + declared
                            + (declared == 1 ? " declared contact)" : " declared contacts)")))
            .setRevision(spread.getRevision())
            .setTriggeredAt(Instant.ofEpochMilli(t))
            .build();
    context.forward(new Record<>(borrower, alert, t));
  }

  /** MEDIUM at the threshold, HIGH at 2x, CRITICAL at 4x (5 / 10 / 20 with the defaults). */
  private Severity severity(int n) {
    return Escalation.severity(n, rule.reached());
  }
}

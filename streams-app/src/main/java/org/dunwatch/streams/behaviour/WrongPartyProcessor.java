package org.dunwatch.streams.behaviour;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
import org.dunwatch.avro.alert.SubjectKind;
import org.dunwatch.streams.detect.IncidentIds;
import org.dunwatch.streams.lender.LenderReference;
import org.dunwatch.streams.lender.LenderView;
import org.dunwatch.streams.lender.LoanRole;
import org.dunwatch.streams.state.CircleState;
import org.dunwatch.streams.state.CollectorReg;
import org.dunwatch.streams.state.LoanContact;
import org.dunwatch.streams.state.LoanState;
import org.dunwatch.streams.state.PolicyContact;
import org.dunwatch.streams.state.StorePurge;
import org.dunwatch.streams.state.WrongPartyContact;
import org.dunwatch.streams.state.WrongPartyIncident;
import org.dunwatch.streams.state.WrongPartyState;

/**
 * WRONG_PARTY per number contacted (records keyed by that number): which collection contacts were
 * about debts it has no tie to, and the one incident they make.
 *
 * <p>A contact is a lender-reported attempt (its loan says whose debt), or a call or SMS from a
 * number registered to a lender at that time (whose debt is read from the number's roles on that
 * lender's loans: the loans it is declared on, or none). It is about a debt the number has no tie
 * to when the number is not the borrower and the borrower is not in the number's circle; a number
 * that is the borrower of any open loan of that lender is being pursued for its own debt.
 */
final class WrongPartyProcessor implements Processor<String, PolicyContact, String, Alert> {

  static final String CONTACTS = "contacts";
  static final String LENDERS = "lenders";
  static final String BORROWERS = "borrowers";
  static final String LOANS = "loans";
  static final String DECLARED_LOANS = "declared_loans";
  static final String MAX_CONTACTS_PER_LOAN = "max_contacts_per_loan";
  static final String UNATTRIBUTED_CONTACTS = "unattributed_contacts";
  static final String LENDER_PREFIX = "lender.";

  private final WrongPartyRule rule;
  private final FanOutRule circles;
  private final long windowMs;

  private ProcessorContext<String, Alert> context;
  private KeyValueStore<String, WrongPartyState> store;
  private KeyValueStore<String, CircleState> circleStore;
  private LenderView lender;

  WrongPartyProcessor(WrongPartyRule rule, FanOutRule circles) {
    this.rule = rule;
    this.circles = circles;
    this.windowMs = rule.window().toMillis();
  }

  @Override
  public void init(ProcessorContext<String, Alert> context) {
    this.context = context;
    this.store = context.getStateStore(WrongPartyDetector.STORE);
    this.circleStore = context.getStateStore(Circles.STORE);
    this.lender = LenderView.connect(context);
    context.schedule(
        WrongPartyDetector.PURGE_INTERVAL, PunctuationType.STREAM_TIME, this::purgeIdle);
  }

  @Override
  public void process(Record<String, PolicyContact> record) {
    PolicyContact c = record.value();
    String number = record.key();
    if (c == null || number == null) {
      return;
    }
    long t = record.timestamp();
    List<WrongPartyContact> found = unrelated(number, c, t);
    if (found.isEmpty()) {
      return;
    }
    WrongPartyState state = store.get(number);
    List<WrongPartyContact> contacts =
        state == null ? new ArrayList<>() : new ArrayList<>(state.getContacts());
    WrongPartyIncident incident = state == null ? null : state.getIncident();
    long newest = contacts.isEmpty() ? t : Math.max(t, contacts.get(contacts.size() - 1).getTime());
    long horizon = newest - windowMs;
    if (t < horizon) {
      return; // older than the window: it can no longer count
    }
    contacts.removeIf(x -> x.getTime() < horizon);
    if (contacts.isEmpty()) {
      incident = null; // nothing left in the window: the old incident has ended
    }
    boolean added = false;
    for (WrongPartyContact x : found) {
      if (contacts.stream().noneMatch(y -> same(x, y))) {
        insertInTimeOrder(contacts, x);
        added = true;
      }
    }
    if (!added) {
      return; // redelivered
    }
    if (contacts.size() > rule.maxContacts()) {
      contacts.subList(0, contacts.size() - rule.maxContacts()).clear();
    }
    incident = judge(number, c, contacts, incident, t);
    store.put(number, new WrongPartyState(contacts, incident));
  }

  /** The contact as entries of debts {@code number} has no tie to; empty if it has one. */
  private List<WrongPartyContact> unrelated(String number, PolicyContact c, long t) {
    CircleState circle = circleStore.get(number);
    if (LenderReference.SOURCE_LENDER.equals(c.getSource())) {
      LoanState loan = c.getLoan();
      if (loan == null || loan.getBorrower() == null || c.getLenderId() == null) {
        return List.of(); // loan_opened not (yet) reported: nobody knows whose debt it is
      }
      String borrower = loan.getBorrower();
      if (borrower.equals(number) || Circles.inCircle(circle, circles, borrower, t)) {
        return List.of();
      }
      boolean declared =
          loan.getContacts().stream().map(LoanContact::getNumber).anyMatch(number::equals);
      return List.of(
          entry(c, t, c.getLenderId(), c.getAgencyId(), loan.getLoanId(), borrower, declared));
    }
    Optional<CollectorReg> reg = lender.collectorAt(c.getFrom(), t);
    if (reg.isEmpty()) {
      return List.of(); // not a collection contact that anyone registered
    }
    String lenderId = reg.get().getLenderId();
    String agency = reg.get().getAgencyId();
    List<LoanRole> roles =
        lender.rolesOf(number, t).stream()
            .filter(r -> lenderId.equals(r.lenderId()) && r.borrower() != null)
            .toList();
    if (roles.stream().anyMatch(r -> r.role() == LoanRole.Role.BORROWER)) {
      return List.of(); // its own debt with that lender
    }
    if (roles.isEmpty()) {
      return List.of(entry(c, t, lenderId, agency, null, null, false));
    }
    if (roles.stream().anyMatch(r -> Circles.inCircle(circle, circles, r.borrower(), t))) {
      return List.of(); // it may be about the loan of someone it is in touch with
    }
    return roles.stream()
        .map(
            r ->
                entry(
                    c,
                    t,
                    lenderId,
                    agency,
                    r.loanId(),
                    r.borrower(),
                    r.role() == LoanRole.Role.DECLARED_CONTACT))
        .toList();
  }

  private static WrongPartyContact entry(
      PolicyContact c,
      long t,
      String lenderId,
      String agency,
      String loanId,
      String borrower,
      boolean declared) {
    return WrongPartyContact.newBuilder()
        .setEventId(c.getId())
        .setTime(t)
        .setLenderId(lenderId)
        .setAgencyId(agency)
        .setLoanId(loanId)
        .setBorrower(borrower)
        .setDeclared(declared)
        .build();
  }

  private static boolean same(WrongPartyContact a, WrongPartyContact b) {
    return a.getEventId().equals(b.getEventId())
        && java.util.Objects.equals(a.getLenderId(), b.getLenderId())
        && java.util.Objects.equals(a.getLoanId(), b.getLoanId());
  }

  /** What the contacts in the window add up to. */
  record Tally(
      int contacts,
      int lenders,
      int borrowers,
      int loans,
      int declaredLoans,
      int maxContactsPerLoan,
      int unattributed,
      Map<String, Integer> perLender,
      List<String> loanKeys) {}

  /**
   * Adds up the contacts in the window. A loan the number is declared on, whose borrower it was
   * never seen in touch with, counts only when such loans come from at least {@code
   * declaredLenders} lenders: one or two lenders calling their declared contact is their business
   * (and a tie too old or too quiet for the circle), several lenders naming the same stranger is a
   * number being passed around. Until then those contacts count for nothing, not even as a lender.
   */
  static Tally tally(List<WrongPartyContact> contacts, int declaredLenders) {
    Set<String> declaredBy = new LinkedHashSet<>();
    for (WrongPartyContact x : contacts) {
      if (x.getLoanId() != null && x.getDeclared()) {
        declaredBy.add(x.getLenderId());
      }
    }
    boolean declaredCount = declaredBy.size() >= declaredLenders;
    Set<String> events = new LinkedHashSet<>();
    Map<String, Set<String>> byLender = new LinkedHashMap<>();
    Set<String> borrowers = new LinkedHashSet<>();
    Set<String> loans = new LinkedHashSet<>();
    Set<String> declared = new LinkedHashSet<>();
    Map<String, Set<String>> undeclaredPerLoan = new LinkedHashMap<>();
    Set<String> attributed = new LinkedHashSet<>();
    for (WrongPartyContact x : contacts) {
      if (x.getLoanId() != null && x.getDeclared() && !declaredCount) {
        continue; // not (yet) evidence of pursuit: neither a contact nor a lender of it counts
      }
      events.add(x.getEventId());
      byLender.computeIfAbsent(x.getLenderId(), k -> new LinkedHashSet<>()).add(x.getEventId());
      if (x.getLoanId() == null) {
        continue;
      }
      attributed.add(x.getEventId());
      String loan = x.getLenderId() + "/" + x.getLoanId();
      borrowers.add(x.getBorrower());
      loans.add(loan);
      if (x.getDeclared()) {
        declared.add(loan);
      } else {
        undeclaredPerLoan.computeIfAbsent(loan, k -> new LinkedHashSet<>()).add(x.getEventId());
      }
    }
    Map<String, Integer> perLender = new LinkedHashMap<>();
    byLender.forEach((k, v) -> perLender.put(k, v.size()));
    int maxPerLoan = undeclaredPerLoan.values().stream().mapToInt(Set::size).max().orElse(0);
    return new Tally(
        events.size(),
        byLender.size(),
        borrowers.size(),
        loans.size(),
        declared.size(),
        maxPerLoan,
        (int) events.stream().filter(e -> !attributed.contains(e)).count(),
        perLender,
        List.copyOf(loans));
  }

  /**
   * Opens the incident when a threshold is crossed; re-issues it when a lender, a borrower or a
   * loan joins, or the severity rises. Contacts whose debt is unknown (a collector calling a number
   * on none of its lender's loans) count only once some contact in the window names a loan: alone,
   * they cannot tell a wrong number from a borrower's friend reached from a harvested phone book,
   * whose tie to the borrower is invisible from the friend's side (CONTACT_FAN_OUT's case).
   */
  private WrongPartyIncident judge(
      String number,
      PolicyContact c,
      List<WrongPartyContact> contacts,
      WrongPartyIncident incident,
      long t) {
    Tally tally = tally(contacts, rule.declaredLenders());
    if (tally.loans() == 0) {
      return incident;
    }
    Severity severity = severity(tally);
    if (severity == null) {
      return incident;
    }
    WrongPartyIncident next;
    if (incident == null) {
      long start = contacts.get(0).getTime();
      next =
          WrongPartyIncident.newBuilder()
              .setAlertId(IncidentIds.alertId(AlertType.WRONG_PARTY, number, start))
              .setFirstTime(start)
              .setRevision(1)
              .setAlertedLenders(tally.lenders())
              .setAlertedBorrowers(tally.borrowers())
              .setAlertedLoans(tally.loans())
              .setAlertedSeverity(severity.name())
              .build();
    } else if (tally.lenders() > incident.getAlertedLenders()
        || tally.borrowers() > incident.getAlertedBorrowers()
        || tally.loans() > incident.getAlertedLoans()
        || severity.compareTo(Severity.valueOf(incident.getAlertedSeverity())) > 0) {
      next =
          WrongPartyIncident.newBuilder(incident)
              .setRevision(incident.getRevision() + 1)
              .setAlertedLenders(Math.max(tally.lenders(), incident.getAlertedLenders()))
              .setAlertedBorrowers(Math.max(tally.borrowers(), incident.getAlertedBorrowers()))
              .setAlertedLoans(Math.max(tally.loans(), incident.getAlertedLoans()))
              .setAlertedSeverity(
                  Escalation.max(severity, Severity.valueOf(incident.getAlertedSeverity())).name())
              .build();
    } else {
      return incident;
    }
    Alert alert =
        alert(number, c, contacts, tally, Severity.valueOf(next.getAlertedSeverity()), next, t);
    context.forward(new Record<>(number, alert, t));
    return next;
  }

  /** The highest of the three rules' severities on the shared ladder; null if none is crossed. */
  Severity severity(Tally tally) {
    return Escalation.max(
        Escalation.severity(tally.borrowers(), rule.borrowers()),
        Escalation.max(
            Escalation.severity(tally.lenders(), rule.lenders()),
            Escalation.severity(tally.maxContactsPerLoan(), rule.contactsPerLoan())));
  }

  private Alert alert(
      String number,
      PolicyContact c,
      List<WrongPartyContact> contacts,
      Tally tally,
      Severity severity,
      WrongPartyIncident incident,
      long t) {
    String subject = busiestLender(contacts, tally);
    String agency = null;
    for (WrongPartyContact x : contacts) {
      if (x.getLenderId().equals(subject) && x.getAgencyId() != null) {
        agency = x.getAgencyId();
      }
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put(CONTACTS, (double) tally.contacts());
    metrics.put(LENDERS, (double) tally.lenders());
    metrics.put(BORROWERS, (double) tally.borrowers());
    metrics.put(LOANS, (double) tally.loans());
    metrics.put(DECLARED_LOANS, (double) tally.declaredLoans());
    metrics.put(MAX_CONTACTS_PER_LOAN, (double) tally.maxContactsPerLoan());
    metrics.put(UNATTRIBUTED_CONTACTS, (double) tally.unattributed());
    tally.perLender().forEach((k, v) -> metrics.put(LENDER_PREFIX + k, (double) v));
    List<String> events = contacts.stream().map(WrongPartyContact::getEventId).distinct().toList();
    List<String> ids =
        events.subList(Math.max(0, events.size() - rule.evidenceCap()), events.size());
    String loanId =
        tally.loans() == 1
            ? contacts.stream()
                .map(WrongPartyContact::getLoanId)
                .filter(java.util.Objects::nonNull)
                .findFirst()
                .orElse(null)
            : null;
    return Alert.newBuilder()
        .setAlertId(incident.getAlertId())
        .setType(AlertType.WRONG_PARTY)
        .setRuleId(rule.ruleId())
        .setRuleVersion(rule.ruleVersion())
        .setSeverity(severity)
        .setJurisdiction(c.getToRegion())
        .setSubject(new Subject(SubjectKind.LENDER, subject))
        .setVictim(number)
        .setLenderId(subject)
        .setAgencyId(agency)
        .setLoanId(loanId)
        .setWindowStart(Instant.ofEpochMilli(contacts.get(0).getTime()))
        .setWindowEnd(Instant.ofEpochMilli(contacts.get(contacts.size() - 1).getTime()))
        .setDetectedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
        .setMetrics(metrics)
        .setEvidence(new Evidence(List.copyOf(ids), (long) events.size()))
        .setExplanation(explanation(tally))
        .setRevision(incident.getRevision())
        .setTriggeredAt(Instant.ofEpochMilli(t))
        .build();
  }

  /** The lender with most contacts; on a tie the one that contacted last. */
  private static String busiestLender(List<WrongPartyContact> contacts, Tally tally) {
    Map<String, Integer> lastIndex = new LinkedHashMap<>();
    for (int i = 0; i < contacts.size(); i++) {
      lastIndex.put(contacts.get(i).getLenderId(), i);
    }
    return tally.perLender().keySet().stream()
        .max(
            Comparator.comparing((String l) -> tally.perLender().get(l))
                .thenComparing(lastIndex::get))
        .orElseThrow();
  }

  /**
   * "5 collection contacts in 30 days from 2 lenders (lender-1 3, lender-2 2) about debts this
   * number has no tie to: 2 loans of 2 borrowers (lender-1/loan-1, lender-2/loan-2); 2 of the
   * contacts, from registered collectors, named no loan on file".
   */
  String explanation(Tally tally) {
    String lenders =
        tally.perLender().entrySet().stream()
            .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
            .map(e -> e.getKey() + " " + e.getValue())
            .collect(Collectors.joining(", "));
    List<String> keys = tally.loanKeys();
    String loans = String.join(", ", keys.subList(0, Math.min(keys.size(), rule.evidenceCap())));
    if (keys.size() > rule.evidenceCap()) {
      loans += " and " + (keys.size() - rule.evidenceCap()) + " more";
    }
    String s =
        plural(tally.contacts(), "collection contact")
            + " in "
            + rule.window().toDays()
            + " days from "
            + plural(tally.lenders(), "lender")
            + " ("
            + lenders
            + ") about debts this number has no tie to: "
            + plural(tally.loans(), "loan")
            + " of "
            + plural(tally.borrowers(), "borrower")
            + " ("
            + loans
            + ")";
    if (tally.unattributed() > 0) {
      s +=
          "; "
              + tally.unattributed()
              + " of the contacts"
              + ", from registered collectors, named no loan on file";
    }
    if (tally.declaredLoans() > 0) {
      s +=
          "; declared as a contact on "
              + tally.declaredLoans()
              + " of the loans, yet never in touch with the borrower";
    }
    return s;
  }

  private static String plural(int n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }

  /** Deletes numbers whose every contact has left the window (their incident has ended). */
  private void purgeIdle(long streamTime) {
    long cutoff = streamTime - windowMs;
    StorePurge.deleteWhere(
        store,
        s -> {
          List<WrongPartyContact> m = s.getContacts();
          return m.isEmpty() || m.get(m.size() - 1).getTime() < cutoff;
        });
  }

  private static void insertInTimeOrder(List<WrongPartyContact> contacts, WrongPartyContact x) {
    int i = contacts.size();
    while (i > 0 && contacts.get(i - 1).getTime() > x.getTime()) {
      i--;
    }
    contacts.add(i, x);
  }
}

package org.dunwatch.streams.policy;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
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
import org.dunwatch.streams.state.CollectorReg;
import org.dunwatch.streams.state.CountedContact;
import org.dunwatch.streams.state.JudgedContact;
import org.dunwatch.streams.state.PolicyContact;
import org.dunwatch.streams.state.PolicyIncident;
import org.dunwatch.streams.state.PolicyState;
import org.dunwatch.streams.state.StorePurge;

/**
 * Per recipient: buffers each contact for the join window, then attributes it to a lender, counts
 * it once, finds the recipient's role in the lender's loans as of the contact's time and runs the
 * recipient's jurisdiction pack over it.
 */
final class PolicyProcessor implements Processor<String, PolicyContact, String, SpecificRecord> {

  static final Duration FLUSH_INTERVAL = Duration.ofSeconds(30);

  static final long DAY_MS = Duration.ofDays(1).toMillis();

  private final PolicyRule rule;
  private final long joinWindowMs;
  private final long matchMs;
  private final long retentionMs;
  private final long waitMs;

  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, PolicyState> states;
  private KeyValueStore<String, PolicyContact> pending;
  private LenderView view;

  /**
   * No pending contact is older than this. Kept in memory so that {@link #flush} opens a range scan
   * only when a contact is due, and then from here rather than from 0 over the tombstones of every
   * contact already judged; {@code 0} after a (re)start, when it is not known.
   */
  private long earliestPending;

  /** {@link PolicyDetector#HOLD_CONFIG}; 0: no wall-clock hold. */
  private long holdMs;

  /**
   * Wall-clock arrival of the contacts still pending since this instance started, by pending key; a
   * contact restored after a restart has none and is held by stream time only.
   */
  private final Map<String, Long> arrivedAt = new HashMap<>();

  /**
   * Wall-clock time before which the earliest pending contact is still held, 0 if none is: until
   * then a flush has nothing to judge and opens no range scan (one per record otherwise).
   */
  private long heldUntil;

  /** Restored contacts may be waiting for the hold that began at {@link #init}. */
  private boolean resumed;

  PolicyProcessor(PolicyRule rule, Duration joinWindow) {
    this.rule = rule;
    this.joinWindowMs = joinWindow.toMillis();
    this.matchMs = rule.matchWindow().toMillis();
    this.retentionMs = rule.contactRetention().toMillis();
    this.waitMs = rule.delinquencyWait().toMillis();
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.states = context.getStateStore(PolicyDetector.STATE_STORE);
    this.pending = context.getStateStore(PolicyDetector.PENDING_STORE);
    this.view = LenderView.connect(context);
    this.earliestPending = 0;
    this.holdMs = PolicyDetector.holdMs(context.appConfigs().get(PolicyDetector.HOLD_CONFIG));
    // Arrival times are not kept across a restart or a task move: the contacts restored from the
    // changelog are all held once more from now. What the hold waits for, lender facts in flight
    // through the repartition topic, is read again by this task after it resumes, so the hold
    // counts from the resume, not from the first arrival on the instance that failed.
    this.heldUntil = holdMs > 0 ? context.currentSystemTimeMs() + holdMs : 0;
    this.resumed = holdMs > 0;
    context.schedule(FLUSH_INTERVAL, PunctuationType.STREAM_TIME, this::flush);
    if (holdMs > 0) {
      // contacts whose join window passed in stream time, waiting for the wall clock only
      context.schedule(
          Duration.ofMillis(Math.max(10, holdMs / 4)),
          PunctuationType.WALL_CLOCK_TIME,
          now -> {
            if (!arrivedAt.isEmpty() || resumed) {
              flush(context.currentStreamTimeMs());
            }
          });
    }
    context.schedule(Duration.ofHours(1), PunctuationType.STREAM_TIME, this::purgeIdle);
  }

  @Override
  public void process(Record<String, PolicyContact> record) {
    PolicyContact c = record.value();
    if (c == null || record.key() == null) {
      return;
    }
    String key = pendingKey(c.getTime(), record.key(), c.getId());
    pending.put(key, c);
    if (holdMs > 0) {
      arrivedAt.put(key, context.currentSystemTimeMs());
    }
    earliestPending = Math.min(earliestPending, Math.max(0, c.getTime()));
    flush(context.currentStreamTimeMs());
  }

  /** 13-digit epoch ms first, so that a range scan returns contacts in time order. */
  static String pendingKey(long time, String recipient, String id) {
    return timePrefix(time) + recipient + "/" + id;
  }

  /**
   * Marks a pending entry that is a contact already counted, waiting for its loan's days past due
   * ({@link PolicyRule#delinquencyWait()}); its key's time is when it is due, not the contact's.
   */
  static final String AWAITING_DPD = "/~dpd";

  /** The time a pending key is due at (its first 13 digits). */
  static long dueTime(String pendingKey) {
    return Long.parseLong(pendingKey.substring(0, 13));
  }

  /** {@code String.format("%013d/", max(0, time))}, without the formatter on every record. */
  static String timePrefix(long time) {
    String digits = Long.toString(Math.max(0, time));
    StringBuilder b = new StringBuilder(14 + digits.length());
    for (int i = digits.length(); i < 13; i++) {
      b.append('0');
    }
    return b.append(digits).append('/').toString();
  }

  /** Judges, in time order, every contact whose join window has passed in stream time. */
  private void flush(long streamTime) {
    long cutoff = streamTime - joinWindowMs;
    if (cutoff < 0) {
      return;
    }
    if (cutoff < earliestPending) {
      return;
    }
    long now = context.currentSystemTimeMs();
    if (now < heldUntil) {
      return;
    }
    heldUntil = 0;
    resumed = false;
    List<KeyValue<String, PolicyContact>> due = new ArrayList<>();
    long next = Long.MAX_VALUE;
    long heldSince = now - holdMs;
    // to the end of the store, stopping at the first contact not yet due (in stream time, or
    // still held by the wall clock): its time is the new earliest pending
    try (KeyValueIterator<String, PolicyContact> it =
        pending.range(timePrefix(earliestPending), "\uffff")) {
      while (it.hasNext()) {
        KeyValue<String, PolicyContact> e = it.next();
        Long arrived = arrivedAt.get(e.key);
        long dueAt = dueTime(e.key);
        if (dueAt > cutoff) {
          next = dueAt;
          break;
        }
        if (arrived != null && arrived > heldSince) {
          next = dueAt;
          heldUntil = arrived + holdMs;
          break;
        }
        due.add(e);
      }
    }
    earliestPending = next;
    for (KeyValue<String, PolicyContact> e : due) {
      pending.delete(e.key);
      arrivedAt.remove(e.key);
      boolean awaited = e.key.endsWith(AWAITING_DPD);
      String key = awaited ? e.key.substring(0, e.key.length() - AWAITING_DPD.length()) : e.key;
      String recipient = key.substring(14, key.length() - e.value.getId().length() - 1);
      if (awaited) {
        judgeThreshold(recipient, e.value);
      } else {
        judge(recipient, e.value);
      }
    }
  }

  /**
   * Puts a counted contact back, due once {@code delinquencyWait} of stream time has passed, to be
   * judged against the third-party threshold then.
   */
  private void awaitDelinquency(String recipient, PolicyContact c) {
    long due = Math.max(0, c.getTime()) + waitMs;
    pending.put(pendingKey(due, recipient, c.getId()) + AWAITING_DPD, c);
    earliestPending = Math.min(earliestPending, due);
  }

  /** The threshold check of a contact that waited for its loan's days past due. */
  private void judgeThreshold(String recipient, PolicyContact c) {
    PolicyState state = states.get(recipient);
    if (state == null) {
      return;
    }
    List<CountedContact> contacts = new ArrayList<>(state.getContacts());
    CountedContact counted =
        contacts.stream()
            .filter(cc -> cc.getContact().getId().equals(c.getId()))
            .findFirst()
            .orElse(null);
    if (counted == null) {
      return; // dropped by the retention or the cap meanwhile
    }
    PolicyRule.Pack pack = rule.packFor(counted.getLenderId(), c.getToRegion());
    if (pack == null) {
      return;
    }
    Map<String, PolicyIncident> incidents = new HashMap<>(state.getIncidents());
    new Judge(recipient, c, counted.getLenderId(), pack, contacts, incidents).threshold(true);
    save(recipient, contacts, incidents);
  }

  private void judge(String recipient, PolicyContact c) {
    long t = c.getTime();
    String lender;
    String agency;
    if (LenderReference.SOURCE_LENDER.equals(c.getSource())) {
      lender = c.getLenderId();
      agency = c.getAgencyId();
    } else {
      Optional<CollectorReg> reg = view.collectorAt(c.getFrom(), t);
      if (reg.isEmpty()) {
        return; // not from a registered collector: not a collection contact
      }
      lender = reg.get().getLenderId();
      agency = reg.get().getAgencyId();
    }
    PolicyState state = states.get(recipient);
    List<CountedContact> contacts =
        state == null ? new ArrayList<>() : new ArrayList<>(state.getContacts());
    Map<String, PolicyIncident> incidents =
        state == null ? new HashMap<>() : new HashMap<>(state.getIncidents());
    for (CountedContact cc : contacts) {
      if (cc.getContact().getId().equals(c.getId()) || c.getId().equals(cc.getAlsoReportedAs())) {
        return; // redelivered
      }
    }
    CountedContact twin = twinOf(contacts, lender, c);
    if (twin != null) {
      // the same contact seen by the telecom and reported by the lender: counted once. The
      // telecom knows whether it was answered; the lender knows the loan and the agency.
      twin.setAlsoReportedAs(c.getId());
      PolicyContact kept = twin.getContact();
      PolicyContact telecom = LenderReference.SOURCE_TELECOM.equals(c.getSource()) ? c : kept;
      kept.setConnected(telecom.getConnected());
      kept.setConversation(telecom.getConversation());
      boolean namesTheLoanNow = kept.getLoanId() == null && c.getLoanId() != null;
      if (kept.getLoanId() == null) {
        kept.setLoanId(c.getLoanId());
      }
      if (twin.getAgencyId() == null) {
        twin.setAgencyId(agency);
      }
      PolicyRule.Pack pack = rule.packFor(lender, c.getToRegion());
      if (namesTheLoanNow && pack != null) {
        // the telecom's record came first and named no loan; the lender's report says which
        // loan it was about and what the recipient is to it (report 001: a relation nobody
        // declared): judged again with that, as the contact already counted
        PolicyContact merged =
            PolicyContact.newBuilder(c)
                .setId(kept.getId())
                .setTime(kept.getTime())
                .setConnected(kept.getConnected())
                .setConversation(kept.getConversation())
                .build();
        new Judge(recipient, merged, lender, pack, contacts, incidents).run();
      }
      save(recipient, contacts, incidents);
      return;
    }
    // the loan snapshot of a lender report is for judging it, not for keeping per contact
    CountedContact counted =
        new CountedContact(PolicyContact.newBuilder(c).setLoan(null).build(), lender, agency, null);
    insertInTimeOrder(contacts, counted);
    trim(contacts);

    PolicyRule.Pack pack = rule.packFor(lender, c.getToRegion());
    if (pack != null && contacts.contains(counted)) {
      Judge judge = new Judge(recipient, c, lender, pack, contacts, incidents);
      judge.run();
      // counted for the scorecards' contacts judged (PolicyDetector splits it from the alerts)
      context.forward(new Record<>(recipient, new JudgedContact(lender, agency, t), t));
    }
    save(recipient, contacts, incidents);
  }

  /** The other source's report of the same lender, target and channel within the match window. */
  private CountedContact twinOf(List<CountedContact> contacts, String lender, PolicyContact c) {
    CountedContact best = null;
    for (CountedContact cc : contacts) {
      PolicyContact o = cc.getContact();
      if (cc.getLenderId().equals(lender)
          && o.getChannel().equals(c.getChannel())
          && !o.getSource().equals(c.getSource())
          && cc.getAlsoReportedAs() == null
          && Math.abs(o.getTime() - c.getTime()) <= matchMs
          && (best == null
              || Math.abs(o.getTime() - c.getTime())
                  < Math.abs(best.getContact().getTime() - c.getTime()))) {
        best = cc;
      }
    }
    return best;
  }

  /** The checks of one pack over one new contact. */
  private final class Judge {
    private final String recipient;
    private final PolicyContact c;
    private final long t;
    private final String lender;
    private final PolicyRule.Pack pack;
    private final List<CountedContact> mine;
    private final Map<String, PolicyIncident> incidents;
    private final ZoneId zone;

    Judge(
        String recipient,
        PolicyContact c,
        String lender,
        PolicyRule.Pack pack,
        List<CountedContact> contacts,
        Map<String, PolicyIncident> incidents) {
      this.recipient = recipient;
      this.c = c;
      this.t = c.getTime();
      this.lender = lender;
      this.pack = pack;
      this.mine = contacts.stream().filter(cc -> cc.getLenderId().equals(lender)).toList();
      this.incidents = incidents;
      this.zone = zoneOf(c.getToTimeZone(), pack);
    }

    void run() {
      List<LoanRole> roles = roles(0);
      boolean borrower = roles.stream().anyMatch(r -> r.role() == LoanRole.Role.BORROWER);
      boolean call = "CALL".equals(c.getChannel());
      curfew(roles);
      if (call && !c.getConnected()) {
        daily("unanswered_calls_per_day", "unanswered", false, firstLoan(roles));
      }
      for (LoanRole r : roles) {
        if (r.role() == LoanRole.Role.BORROWER && call) {
          callsInDays(r);
          afterConversation(r);
        }
      }
      // a call naming no loan to one of this lender's own borrowers is about that borrower's
      // debt, even when he is also another borrower's declared contact
      if (!borrower) {
        undeclared(roles);
        threshold(false);
      }
      for (LoanRole r : roles) {
        if (r.ceasedAt() != null) {
          cease(r);
        }
      }
      if (borrower && call && c.getConnected()) {
        daily(
            "connected_calls_per_day",
            "connected",
            true,
            roles.stream()
                .filter(r -> r.role() == LoanRole.Role.BORROWER)
                .map(LoanRole::loanId)
                .findFirst()
                .orElse(null));
      }
      if (!borrower) {
        thirdPartyRepeat(firstLoan(roles), roles.isEmpty());
      }
    }

    /**
     * A declared contact reached before the loan's threshold. When the days past due of a loan in
     * question are not known at the contact's time, the check waits {@code delinquencyWait} ({@code
     * waited} false: the first look) and is then run with the reports stamped up to that long after
     * the contact: judging at once read "no report yet" as 0 days past due and flagged lawful calls
     * at 60+ days whose report was a little behind (seen in the eval).
     */
    void threshold(boolean waited) {
      PolicyRule.Spec spec = pack.rule("third_party_before_days_past_due");
      if (spec == null) {
        return;
      }
      List<LoanRole> roles = roles(waited ? waitMs : 0);
      if (roles.stream().anyMatch(r -> r.role() == LoanRole.Role.BORROWER)) {
        return;
      }
      List<LoanRole> declared =
          roles.stream().filter(r -> r.role() == LoanRole.Role.DECLARED_CONTACT).toList();
      if (declared.isEmpty()) {
        return;
      }
      if (!waited && waitMs > 0 && declared.stream().anyMatch(r -> r.daysPastDue() == null)) {
        awaitDelinquency(recipient, c);
        return;
      }
      // A contact naming no loan, to someone who is the declared contact of several of this
      // lender's loans, may be about any of them: it is before the threshold only if it is before
      // it for every one. A call about a loan 60 days past due to its emergency contact is lawful
      // even if that person is also another borrower's contact at 10 days (seen in the eval:
      // compliant collection flagged against the other loans).
      if (c.getLoanId() == null && declared.stream().anyMatch(r -> !beforeThreshold(r))) {
        return;
      }
      declared.forEach(this::thirdPartyBeforeThreshold);
    }

    /**
     * Collecting from a person who is neither the debtor nor a declared contact, whatever the days
     * past due (CN: the NIFA guideline allows the debtor and declared contacts only; report 001's
     * relation found through a delivery address, report 000's stranger texted from the lender's
     * sender id). Known from a lender report naming a loan the recipient has no part in, or from a
     * registered collector number reaching (a connected call, a message) someone who is no party of
     * any of the lender's loans; an unanswered ring told nobody anything and may be a misdial.
     */
    private void undeclared(List<LoanRole> roles) {
      PolicyRule.Spec spec = pack.rule("third_party_undeclared");
      if (spec == null) {
        return;
      }
      LoanRole named =
          roles.stream()
              // a loan whose loan_opened is unknown cannot tell whether the recipient is its
              // borrower
              .filter(
                  r ->
                      r.role() == LoanRole.Role.UNDECLARED
                          && r.ceasedAt() == null
                          && r.borrower() != null)
              .findFirst()
              .orElse(null);
      // Without a lender report naming a loan, only a message counts: a connected call from a
      // registered number to someone on none of the lender's loans may be about an application
      // (a platform's follow-up, a lender an application was forwarded to), not a debt, and the
      // switch's record of a call says nothing of what was said. Seen when the data-trade
      // simulation's lawful follow-ups met this rule: 13-17 false THIRD_PARTY_CONTACT incidents a
      // 300-subscriber world. Report 000's stranger was texted; report 001's relation is reported.
      boolean reached = !"CALL".equals(c.getChannel());
      if (named == null && !(roles.isEmpty() && reached)) {
        return;
      }
      List<CountedContact> behind =
          select(cc -> time(cc) <= t && (named == null || aboutLoan(cc, named.loanId())));
      Map<String, Double> extra = new LinkedHashMap<>();
      if (named != null && named.daysPastDue() != null) {
        extra.put("days_past_due", (double) named.daysPastDue());
      }
      raise(
          spec,
          AlertType.THIRD_PARTY_CONTACT,
          "undeclared|" + lender,
          named == null ? null : named.loanId(),
          behind,
          false,
          Severity.MEDIUM,
          extra,
          named == null
              ? contacts(behind.size())
                  + " from lender "
                  + lender
                  + " to a person who is neither its debtor nor a declared contact of its loans"
              : contacts(behind.size())
                  + " to an undeclared third party of loan "
                  + named.loanId()
                  + (named.daysPastDue() == null
                      ? ""
                      : " at " + named.daysPastDue() + " days past due"));
    }

    /**
     * The recipient's roles in this lender's loans at the contact's time. A lender report names its
     * loan: a recipient with no role in it is an undeclared third party of that loan, judged
     * against the loan as the lender had it when it reported.
     */
    private List<LoanRole> roles(long lookaheadMs) {
      List<LoanRole> roles =
          view.rolesOf(recipient, t, lookaheadMs).stream()
              .filter(r -> r.lenderId().equals(lender))
              .toList();
      String loanId = c.getLoanId();
      if (loanId == null) {
        return roles;
      }
      List<LoanRole> about = roles.stream().filter(r -> r.loanId().equals(loanId)).toList();
      if (!about.isEmpty()) {
        return about;
      }
      LoanRole fromSnapshot =
          c.getLoan() == null ? null : LenderView.roleOf(c.getLoan(), recipient, t, lookaheadMs);
      if (fromSnapshot != null) {
        return List.of(fromSnapshot);
      }
      return List.of(
          new LoanRole(
              lender,
              loanId,
              LoanRole.Role.UNDECLARED,
              null,
              c.getLoan() == null ? null : c.getLoan().getBorrower(),
              c.getLoan() == null ? null : LenderView.daysPastDue(c.getLoan(), t, lookaheadMs),
              null));
    }

    private void curfew(List<LoanRole> roles) {
      PolicyRule.Spec spec = pack.rule("curfew");
      if (spec == null || !inCurfew(t, spec)) {
        return;
      }
      LocalDate night = nightOf(t, spec);
      List<CountedContact> behind =
          select(cc -> inCurfew(time(cc), spec) && nightOf(time(cc), spec).equals(night));
      LocalTime local = local(t).toLocalTime().withNano(0);
      raise(
          spec,
          AlertType.OFF_HOURS_CONTACT,
          "curfew|" + lender + "|" + night,
          firstLoan(roles),
          behind,
          false,
          Severity.MEDIUM,
          Map.of(),
          contacts(behind.size())
              + " inside the "
              + spec.start()
              + "–"
              + spec.end()
              + " curfew at the recipient's local time ("
              + zone.getId()
              + "), the latest at "
              + local
              + " on "
              + local(t).toLocalDate());
    }

    private void daily(String kind, String what, boolean connected, String loanId) {
      PolicyRule.Spec spec = pack.rule(kind);
      if (spec == null) {
        return;
      }
      LocalDate day = local(t).toLocalDate();
      List<CountedContact> behind =
          select(
              cc ->
                  "CALL".equals(cc.getContact().getChannel())
                      && cc.getContact().getConnected() == connected
                      && local(time(cc)).toLocalDate().equals(day));
      if (behind.size() <= spec.max()) {
        return;
      }
      raise(
          spec,
          AlertType.CONTACT_FREQUENCY,
          what + "|" + lender + "|" + day,
          loanId,
          behind,
          false,
          severity(behind.size(), spec.max()),
          Map.of("limit", (double) spec.max()),
          behind.size()
              + " "
              + what
              + " calls on "
              + day
              + (connected ? " to one debtor" : " to one number")
              + " from lender "
              + lender
              + " and its agencies");
    }

    private void callsInDays(LoanRole r) {
      PolicyRule.Spec spec = pack.rule("calls_in_days");
      if (spec == null) {
        return;
      }
      long from = t - spec.days() * DAY_MS;
      List<CountedContact> behind =
          select(cc -> isCall(cc) && aboutLoan(cc, r.loanId()) && time(cc) > from && time(cc) <= t);
      if (behind.size() <= spec.max()) {
        return;
      }
      raise(
          spec,
          AlertType.CONTACT_FREQUENCY,
          "calls|" + lender + "|" + r.loanId(),
          r.loanId(),
          behind,
          true,
          severity(behind.size(), spec.max()),
          Map.of("limit", (double) spec.max(), "days", (double) spec.days()),
          behind.size()
              + " calls in "
              + spec.days()
              + " days to one person about loan "
              + r.loanId());
    }

    private void afterConversation(LoanRole r) {
      PolicyRule.Spec spec = pack.rule("call_after_conversation");
      if (spec == null) {
        return;
      }
      long from = t - spec.days() * DAY_MS;
      CountedContact conversation = null;
      for (CountedContact cc : mine) {
        if (cc.getContact().getConversation()
            && aboutLoan(cc, r.loanId())
            && time(cc) >= from
            && time(cc) < t) {
          conversation = cc;
        }
      }
      if (conversation == null) {
        return;
      }
      long since = time(conversation);
      List<CountedContact> behind =
          select(
              cc -> isCall(cc) && aboutLoan(cc, r.loanId()) && time(cc) > since && time(cc) <= t);
      raise(
          spec,
          AlertType.CONTACT_FREQUENCY,
          "after-conversation|" + lender + "|" + r.loanId() + "|" + since,
          r.loanId(),
          behind,
          false,
          Severity.MEDIUM,
          Map.of("days", (double) spec.days()),
          plural(behind.size(), "call")
              + " within "
              + spec.days()
              + " days after a conversation with one person about loan "
              + r.loanId());
    }

    /** Whether the pack forbids contacting a third party of loan {@code r} yet. */
    private boolean beforeThreshold(LoanRole r) {
      PolicyRule.Spec spec = pack.rule("third_party_before_days_past_due");
      return spec != null && (r.daysPastDue() == null ? 0 : r.daysPastDue()) < spec.days();
    }

    private void thirdPartyBeforeThreshold(LoanRole r) {
      if (!beforeThreshold(r)) {
        return;
      }
      PolicyRule.Spec spec = pack.rule("third_party_before_days_past_due");
      int dpd = r.daysPastDue() == null ? 0 : r.daysPastDue();
      List<CountedContact> behind = select(cc -> aboutLoan(cc, r.loanId()) && time(cc) <= t);
      raise(
          spec,
          AlertType.THIRD_PARTY_CONTACT,
          "before-threshold|" + lender + "|" + r.loanId(),
          r.loanId(),
          behind,
          false,
          Severity.MEDIUM,
          Map.of("days_past_due", (double) dpd, "threshold_days", (double) spec.days()),
          contacts(behind.size())
              + " to a declared contact ("
              + r.relation()
              + ") of loan "
              + r.loanId()
              + " at "
              + dpd
              + " days past due, before "
              + spec.days());
    }

    private void thirdPartyRepeat(String loanId, boolean unknownLoan) {
      PolicyRule.Spec spec = pack.rule("third_party_repeat");
      if (spec == null) {
        return;
      }
      List<CountedContact> behind = select(cc -> time(cc) <= t);
      if (behind.size() <= spec.max()) {
        return;
      }
      raise(
          spec,
          AlertType.THIRD_PARTY_CONTACT,
          "third-party-repeat|" + lender,
          loanId,
          behind,
          false,
          Severity.MEDIUM,
          Map.of("limit", (double) spec.max()),
          contacts(behind.size())
              + " from lender "
              + lender
              + " to one person who is not its debtor"
              + (unknownLoan ? "" : " (loan " + loanId + ")"));
    }

    private void cease(LoanRole r) {
      PolicyRule.Spec spec = pack.rule("cease");
      if (spec == null) {
        return;
      }
      long since = r.ceasedAt();
      List<CountedContact> behind =
          select(cc -> aboutLoan(cc, r.loanId()) && time(cc) >= since && time(cc) <= t);
      raise(
          spec,
          AlertType.CONTACT_AFTER_CEASE,
          "cease|" + lender + "|" + r.loanId(),
          r.loanId(),
          behind,
          false,
          Severity.HIGH,
          Map.of(),
          contacts(behind.size())
              + " about loan "
              + r.loanId()
              + " after the recipient asked to stop on "
              + local(since).toLocalDate());
    }

    /**
     * Opens the incident, or re-issues it when it grew. A sliding-window incident whose last
     * violation is older than the window's first contact has ended: this is a new one.
     */
    private void raise(
        PolicyRule.Spec spec,
        AlertType type,
        String key,
        String loanId,
        List<CountedContact> behind,
        boolean sliding,
        Severity severity,
        Map<String, Double> extra,
        String sentence) {
      if (behind.isEmpty()) {
        return;
      }
      String incidentKey = spec.id() + "|" + key;
      long first = time(behind.get(0));
      PolicyIncident incident = incidents.get(incidentKey);
      if (incident != null && sliding && incident.getLastTime() < first) {
        incident = null;
      }
      int count = behind.size();
      if (incident != null && count <= incident.getCount()) {
        incident.setLastTime(Math.max(incident.getLastTime(), t));
        return;
      }
      PolicyIncident next =
          incident == null
              ? new PolicyIncident(
                  IncidentIds.alertId(type, recipient + "|" + incidentKey, first), 1, count, t)
              : new PolicyIncident(incident.getAlertId(), incident.getRevision() + 1, count, t);
      incidents.put(incidentKey, next);

      Set<String> agencies = new LinkedHashSet<>();
      behind.forEach(cc -> agencies.add(cc.getAgencyId()));
      boolean oneAgency = agencies.size() == 1 && agencies.iterator().next() != null;
      String agency = oneAgency ? agencies.iterator().next() : null;
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("contacts", (double) count);
      metrics.put("agencies", (double) agencies.stream().filter(Objects::nonNull).count());
      metrics.putAll(extra);
      List<String> ids =
          behind.subList(Math.max(0, count - rule.evidenceCap()), count).stream()
              .map(cc -> cc.getContact().getId())
              .toList();
      Alert alert =
          Alert.newBuilder()
              .setAlertId(next.getAlertId())
              .setType(type)
              .setRuleId(spec.id())
              .setRuleVersion(spec.version())
              .setSeverity(severity)
              .setJurisdiction(pack.jurisdiction())
              .setSubject(
                  oneAgency
                      ? new Subject(SubjectKind.AGENCY, agency)
                      : new Subject(SubjectKind.LENDER, lender))
              .setVictim(recipient)
              .setLenderId(lender)
              .setAgencyId(agency)
              .setLoanId(loanId)
              .setWindowStart(Instant.ofEpochMilli(first))
              .setWindowEnd(Instant.ofEpochMilli(time(behind.get(count - 1))))
              .setDetectedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
              .setMetrics(metrics)
              .setEvidence(new Evidence(ids, (long) count))
              .setExplanation(sentence + (spec.source().isEmpty() ? "" : "; " + spec.source()))
              .setRevision(next.getRevision())
              .setTriggeredAt(Instant.ofEpochMilli(t))
              .build();
      context.forward(new Record<>(recipient, alert, t));
    }

    private List<CountedContact> select(Predicate<CountedContact> p) {
      return mine.stream().filter(p).toList();
    }

    private boolean inCurfew(long time, PolicyRule.Spec spec) {
      LocalTime lt = local(time).toLocalTime();
      return spec.start().isAfter(spec.end())
          ? !lt.isBefore(spec.start()) || lt.isBefore(spec.end())
          : !lt.isBefore(spec.start()) && lt.isBefore(spec.end());
    }

    /** The date the curfew night began: 02:00 belongs to the night that began the day before. */
    private LocalDate nightOf(long time, PolicyRule.Spec spec) {
      ZonedDateTime z = local(time);
      boolean wraps = spec.start().isAfter(spec.end());
      return wraps && z.toLocalTime().isBefore(spec.end())
          ? z.toLocalDate().minusDays(1)
          : z.toLocalDate();
    }

    private ZonedDateTime local(long time) {
      return Instant.ofEpochMilli(time).atZone(zone);
    }
  }

  /**
   * The recipient's zone: its own, unless missing, unknown to java.time, or one the pack does not
   * trust (number metadata's guess for numbers it cannot place); then the pack's zone.
   */
  static ZoneId zoneOf(String timeZone, PolicyRule.Pack pack) {
    if (timeZone == null || pack.untrustedZones().contains(timeZone)) {
      return pack.zone();
    }
    try {
      return ZoneId.of(timeZone);
    } catch (DateTimeException e) {
      return pack.zone();
    }
  }

  private static String firstLoan(List<LoanRole> roles) {
    return roles.isEmpty() ? null : roles.get(0).loanId();
  }

  private static boolean isCall(CountedContact cc) {
    return "CALL".equals(cc.getContact().getChannel());
  }

  /** Telecom contacts name no loan: they count toward every loan of their lender. */
  private static boolean aboutLoan(CountedContact cc, String loanId) {
    return cc.getContact().getLoanId() == null || cc.getContact().getLoanId().equals(loanId);
  }

  private static long time(CountedContact cc) {
    return cc.getContact().getTime();
  }

  private static Severity severity(int count, int max) {
    return count > 2 * Math.max(1, max) ? Severity.HIGH : Severity.MEDIUM;
  }

  private static String contacts(int n) {
    return plural(n, "contact");
  }

  private static String plural(int n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }

  private void save(
      String recipient, List<CountedContact> contacts, Map<String, PolicyIncident> incidents) {
    long newest = contacts.isEmpty() ? 0 : time(contacts.get(contacts.size() - 1));
    incidents.values().removeIf(i -> i.getLastTime() < newest - retentionMs);
    states.put(recipient, new PolicyState(contacts, incidents));
  }

  private static void insertInTimeOrder(List<CountedContact> contacts, CountedContact c) {
    int i = contacts.size();
    while (i > 0 && time(contacts.get(i - 1)) > time(c)) {
      i--;
    }
    contacts.add(i, c);
  }

  /** Drops contacts older than the retention before the newest, then the oldest over the cap. */
  private void trim(List<CountedContact> contacts) {
    long newest = time(contacts.get(contacts.size() - 1));
    contacts.removeIf(cc -> time(cc) < newest - retentionMs);
    while (contacts.size() > rule.maxContactsPerNumber()) {
      contacts.remove(0);
    }
  }

  /** Deletes recipients whose newest contact is older than the retention. */
  private void purgeIdle(long streamTime) {
    StorePurge.deleteWhere(
        states,
        s -> {
          List<CountedContact> cs = s.getContacts();
          return cs.isEmpty() || time(cs.get(cs.size() - 1)) < streamTime - retentionMs;
        });
  }
}

package org.dunwatch.producers.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dunwatch.avro.alert.AlertType;
import org.dunwatch.avro.common.Party;
import org.dunwatch.avro.lender.AttemptChannel;
import org.dunwatch.avro.lender.AttemptOutcome;
import org.dunwatch.avro.lender.CloseReason;
import org.dunwatch.avro.lender.ContactRelation;
import org.dunwatch.avro.lender.DeclaredContact;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.avro.lender.TargetRole;
import org.dunwatch.avro.telecom.CallOutcome;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.avro.telecom.SmsCategory;
import org.dunwatch.producers.sim.Label.LabelSubject;

/** Builds a {@link SimulatedWorld}: lenders, loans, lawful collection, episodes, scenarios. */
final class WorldBuilder {

  record Agency(String id, List<Party> numbers) {}

  record Lender(
      String id,
      String name,
      String jurisdiction,
      String currency,
      List<Party> inHouse,
      Party smsSender,
      Agency agency) {}

  static final class Loan {
    String id;
    Lender lender;
    boolean viaAgency;
    Party borrower;
    Person borrowerPerson;
    Person emergency;
    int dpdAtStart;
    double overdue;
    final List<Object> setup = new ArrayList<>();

    String agencyId() {
      return viaAgency ? lender.agency().id() : null;
    }

    Party collectorNumber(Rng rng) {
      return viaAgency ? rng.pick(lender.agency().numbers()) : rng.pick(lender.inHouse());
    }
  }

  /** A label whose event ids are known only once lender events have their line numbers. */
  static final class Pending {
    ScenarioKind kind;
    ActorRole role;
    String jurisdiction;
    String victim;
    final List<String> victims = new ArrayList<>();
    LabelSubject subject;
    final List<LabelSubject> subjects = new ArrayList<>();
    String lenderId;
    String agencyId;
    String loanId;
    Instant start;
    Instant end;
    final List<Object> events = new ArrayList<>();
    final List<Object> setup = new ArrayList<>();
    String description;

    /** Other alert types the injected events rightly raise (see {@link Label#alsoExpected()}). */
    final List<AlertType> alsoExpected = new ArrayList<>();
  }

  final SimConfig config;
  final Population pop;
  final Records records;
  final List<Object> prepared = new ArrayList<>();
  private final List<Pending> scenarioLabels = new ArrayList<>();
  private final List<Pending> ordinaryLabels = new ArrayList<>();
  private final List<Lender> lenders = new ArrayList<>();
  private final Map<String, LenderEvent> registrations = new HashMap<>();
  final Set<Person> busy = new HashSet<>();
  final Set<Person> declaredContacts = new HashSet<>();
  private final List<Person> backgroundBorrowers = new ArrayList<>();
  final Instant start;
  final Instant end;
  private final LoanApplications applications = new LoanApplications(this);

  WorldBuilder(SimConfig config) {
    this.config = config;
    this.pop = new Population(config);
    this.records = new Records(config.seed(), 1);
    this.start = config.start();
    this.end = config.end();
  }

  SimulatedWorld build() {
    lenders(new Rng(config.seed(), 2));
    backgroundLoans(new Rng(config.seed(), 3));
    episodes(new Rng(config.seed(), 4));
    applications.background(new Rng(config.seed(), 5));
    scenarios();
    prepared.sort(Comparator.comparing(WorldBuilder::timeOf)); // stable: ties keep creation order
    List<SimEvent> events = new ArrayList<>(prepared.size());
    long line = 0;
    for (Object r : prepared) {
      if (r instanceof LenderEvent e) {
        line++;
        if (Records.PENDING_ID.equals(e.getEventId())) {
          e.setEventId(Records.LENDER_SOURCE + ":" + line);
        }
      }
      events.add(new SimEvent(r));
    }
    List<Label> labels = new ArrayList<>();
    int s = 0;
    for (Pending p : scenarioLabels) {
      labels.add(toLabel(String.format("s%02d", ++s), p));
    }
    int o = 0;
    for (Pending p : ordinaryLabels) {
      labels.add(toLabel(String.format("o%03d", ++o), p));
    }
    return new SimulatedWorld(config, pop, events, labels);
  }

  // ---------------------------------------------------------------- lenders and lawful collection

  private static final String[] CN_LENDERS = {"闪借", "快花", "借点钱", "易贷"};
  private static final String[] US_LENDERS = {"QuickCash", "LendEasy", "NowLoan"};

  private void lenders(Rng rng) {
    Instant registered = start.minus(Duration.ofDays(30));
    for (int i = 0; i < CN_LENDERS.length; i++) {
      lenders.add(lender(rng, "lnd-cn-0" + (i + 1), CN_LENDERS[i], "CN", "CNY", i));
    }
    if (pop.hasUs()) {
      for (int i = 0; i < US_LENDERS.length; i++) {
        lenders.add(lender(rng, "lnd-us-0" + (i + 1), US_LENDERS[i], "US", "USD", i));
      }
    }
    int k = 0;
    for (Lender l : lenders) {
      for (Party n : l.inHouse()) {
        register(l, registered.plusSeconds(60L * k++), n, null);
      }
      register(l, registered.plusSeconds(60L * k++), l.smsSender(), null);
      for (Party n : l.agency().numbers()) {
        register(l, registered.plusSeconds(60L * k++), n, l.agency().id());
      }
    }
  }

  private Lender lender(
      Rng rng, String id, String name, String jurisdiction, String currency, int i) {
    boolean us = jurisdiction.equals("US");
    List<Party> inHouse = new ArrayList<>();
    List<Party> agency = new ArrayList<>();
    for (int j = 0; j < 2; j++) {
      inHouse.add(us ? pop.usMobile(rng) : pop.cnVirtual(rng));
    }
    for (int j = 0; j < 3; j++) {
      agency.add(us ? pop.usMobile(rng) : pop.cnVirtual(rng));
    }
    Party sms =
        pop.senderId(
            us ? Integer.toString(880_000 + 1_117 * (i + 1)) : "10690" + (5_550_001 + 1_313 * i));
    String agencyId = "agy-" + jurisdiction.toLowerCase(java.util.Locale.ROOT) + "-0" + (i + 1);
    return new Lender(id, name, jurisdiction, currency, inHouse, sms, new Agency(agencyId, agency));
  }

  private void register(Lender l, Instant at, Party number, String agencyId) {
    LenderEvent e = Records.collectorNumber(l.id(), at, number, agencyId);
    prepared.add(e);
    registrations.put(number.getId(), e);
  }

  List<Lender> lendersIn(String jurisdiction) {
    return lenders.stream().filter(l -> l.jurisdiction().equals(jurisdiction)).toList();
  }

  /**
   * A loan with its opening and one delinquency event a day (days past due at each day's start).
   */
  private Loan loan(
      Rng rng, Lender lender, Person borrower, Party borrowerParty, int dpd, boolean agency) {
    return loan(rng, lender, borrower, borrowerParty, dpd, agency, true);
  }

  /** As above; {@code declare} false: the loan declares no contacts (report 001's). */
  private Loan loan(
      Rng rng,
      Lender lender,
      Person borrower,
      Party borrowerParty,
      int dpd,
      boolean agency,
      boolean declare) {
    Loan loan = new Loan();
    loan.id = records.id("ln-").substring(0, 15);
    loan.lender = lender;
    loan.viaAgency = agency;
    loan.borrowerPerson = borrower;
    loan.borrower = borrower != null ? borrower.party : borrowerParty;
    loan.dpdAtStart = dpd;
    double principal =
        lender.currency().equals("USD") ? rng.between(3, 30) * 100 : rng.between(10, 100) * 100;
    loan.overdue = Math.round(principal * rng.uniform(0.15, 0.6) * 100) / 100.0;
    List<DeclaredContact> contacts = new ArrayList<>();
    if (!declare) {
      // none declared
    } else if (borrower != null && borrower.contacts.length > 0) {
      loan.emergency = pop.people.get(borrower.contacts[rng.below(borrower.contacts.length)]);
      contacts.add(new DeclaredContact(loan.emergency.party, ContactRelation.EMERGENCY));
      declaredContacts.add(loan.emergency);
    } else {
      Party stranger =
          lender.jurisdiction().equals("US")
              ? pop.usMobile(rng)
              : pop.cnMobile(rng, new String[] {"139", "186", "158"});
      contacts.add(new DeclaredContact(stranger, ContactRelation.EMERGENCY));
    }
    Instant opened =
        start
            .minus(Duration.ofDays(Math.max(dpd, 0) + 30L + rng.between(0, 30)))
            .plusSeconds(rng.between(0, 86_399));
    LenderEvent o =
        Records.loanOpened(
            lender.id(), opened, loan.id, loan.borrower, contacts, principal, lender.currency());
    prepared.add(o);
    loan.setup.add(o);
    if (dpd > 0) {
      for (int d = 0; d < config.days(); d++) {
        LenderEvent e =
            Records.delinquency(
                lender.id(),
                start.plus(Duration.ofDays(d)).plusSeconds(1),
                loan.id,
                dpd + d,
                loan.overdue,
                lender.currency());
        prepared.add(e);
        loan.setup.add(e);
      }
    }
    return loan;
  }

  private int dpdAt(Loan loan, Instant t) {
    return loan.dpdAtStart + (int) Duration.between(start, t).toDays();
  }

  private void backgroundLoans(Rng rng) {
    for (Person p : pop.people) {
      if (p.role != null || !rng.chance(0.08)) {
        continue;
      }
      List<Lender> ls = lendersIn(p.jurisdiction);
      if (ls.isEmpty()) {
        continue;
      }
      boolean delinquent = rng.chance(0.4);
      int dpd = delinquent ? rng.between(1, 90) : 0;
      Loan loan = loan(rng, rng.pick(ls), p, null, dpd, dpd >= 30);
      busy.add(p);
      backgroundBorrowers.add(p);
      if (delinquent) {
        compliantCollection(rng, loan);
      }
    }
  }

  /**
   * Collection within the rules: CN at most 2 calls a day (so at most 2 connected) in 09-19 local
   * and a reminder SMS to the borrower every other day; US at most one call a day in 10-18 local,
   * none for 7 days after a conversation. From 60 days past due, on a day the borrower does not
   * answer, one call to the declared emergency contact.
   */
  private void compliantCollection(Rng rng, Loan loan) {
    Pending label = new Pending();
    label.role = ActorRole.COMPLIANT_COLLECTION;
    Person b = loan.borrowerPerson;
    label.jurisdiction = b.jurisdiction;
    label.victim = b.number();
    label.victims.add(b.number());
    lenderSubjects(label, loan);
    label.setup.addAll(loan.setup);
    label.description =
        "lawful collection of " + loan.id + " (" + loan.dpdAtStart + " days past due at the start)";
    boolean us = b.jurisdiction.equals("US");
    int closeDay =
        rng.chance(0.1) && config.days() > 1
            ? rng.between(1, config.days() - 1)
            : Integer.MAX_VALUE;
    boolean thirdPartyDone = false;
    int pausedUntil = -1;
    for (int d = 0; d < config.days(); d++) {
      Instant d0 = start.plus(Duration.ofDays(d));
      if (d == closeDay) {
        prepared.add(
            Records.closed(
                loan.lender.id(),
                d0.plusSeconds(rng.between(3600, 40_000)),
                loan.id,
                CloseReason.REPAID));
        break;
      }
      int dpd = loan.dpdAtStart + d;
      boolean thirdPartyToday = !thirdPartyDone && dpd >= 60 && loan.emergency != null;
      if (us) {
        if (d < pausedUntil || !rng.chance(0.6)) {
          continue;
        }
        Instant t = SimulatedWorld.sampleWithin(rng, b, d0, 10, 18);
        boolean connected = !thirdPartyToday && rng.chance(0.35);
        collectionCall(rng, loan, b.party, TargetRole.BORROWER, t, connected, label.events);
        if (connected) {
          pausedUntil = d + 8;
        }
      } else {
        int n = rng.chance(0.5) ? 2 : 1;
        List<Instant> times = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          times.add(SimulatedWorld.sampleWithin(rng, b, d0, 9, 18.5));
        }
        times.sort(null);
        if (n == 2 && Duration.between(times.get(0), times.get(1)).toMinutes() < 30) {
          times.remove(1);
        }
        for (Instant t : times) {
          collectionCall(
              rng,
              loan,
              b.party,
              TargetRole.BORROWER,
              t,
              !thirdPartyToday && rng.chance(0.35),
              label.events);
        }
        if (d % 2 == 0) {
          Instant t = SimulatedWorld.sampleWithin(rng, b, d0, 10, 11);
          collectionSms(
              loan,
              loan.lender.smsSender(),
              b.party,
              TargetRole.BORROWER,
              t,
              Texts.reminder(loan.lender.name(), dpd, loan.overdue, "CN"),
              label.events);
        }
      }
      if (thirdPartyToday) {
        Person c = loan.emergency;
        Instant t = SimulatedWorld.sampleWithin(rng, c, d0, us ? 10 : 9, 18);
        collectionCall(
            rng, loan, c.party, TargetRole.EMERGENCY_CONTACT, t, rng.chance(0.6), label.events);
        label.victims.add(c.number());
        thirdPartyDone = true;
      }
    }
    dropAfterEnd(label.events);
    if (!label.events.isEmpty()) {
      ordinaryLabels.add(label);
    }
  }

  /** Events a scenario would have had after the world's end never happen. */
  private void dropAfterEnd(List<Object> events) {
    Set<Object> late = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    events.stream().filter(e -> !timeOf(e).isBefore(end)).forEach(late::add);
    if (!late.isEmpty()) {
      events.removeIf(late::contains);
      prepared.removeIf(late::contains);
    }
  }

  private void lenderSubjects(Pending label, Loan loan) {
    label.lenderId = loan.lender.id();
    label.loanId = loan.id;
    label.agencyId = loan.agencyId();
    if (loan.viaAgency) {
      label.subjects.add(LabelSubject.agency(loan.agencyId()));
    }
    label.subjects.add(LabelSubject.lender(loan.lender.id()));
    label.subject = label.subjects.get(0);
  }

  /** A collection call: the telecom record and, where the lender reports it, the attempt. */
  private void collectionCall(
      Rng rng,
      Loan loan,
      Party target,
      TargetRole role,
      Instant t,
      boolean connected,
      List<Object> into) {
    Party from = loan.collectorNumber(rng);
    CallRecord call =
        connected
            ? records.call(
                from,
                target,
                t,
                rng.between(4, 15),
                rng.between(25, 240),
                CallOutcome.ANSWERED,
                carrierOf(from))
            : records.call(
                from, target, t, rng.between(30, 50), 0, CallOutcome.NO_ANSWER, carrierOf(from));
    LenderEvent attempt =
        records.attempt(
            loan.lender.id(),
            t,
            loan.id,
            AttemptChannel.CALL,
            target,
            role,
            connected ? AttemptOutcome.CONNECTED : AttemptOutcome.NO_ANSWER,
            loan.agencyId(),
            null);
    add(into, call);
    add(into, attempt);
  }

  private void collectionSms(
      Loan loan,
      Party from,
      Party target,
      TargetRole role,
      Instant t,
      String body,
      List<Object> into) {
    add(into, records.sms(from, target, t, SmsCategory.NOTIFICATION, body, carrierOf(from)));
    add(
        into,
        records.attempt(
            loan.lender.id(),
            t,
            loan.id,
            AttemptChannel.SMS,
            target,
            role,
            AttemptOutcome.DELIVERED,
            loan.agencyId(),
            body));
  }

  void add(List<Object> into, Object record) {
    prepared.add(record);
    into.add(record);
  }

  private static String carrierOf(Party p) {
    if (p.getId().startsWith("+86")) {
      return Population.cnCarrier(p);
    }
    return p.getId().startsWith("+1") ? "TMO" : "CMCC";
  }

  // ---------------------------------------------------------------- labelled ordinary episodes

  private void episodes(Rng rng) {
    int n = Math.max(1, pop.people.size() / 150);
    for (int i = 0; i < n; i++) {
      emergencyRelative(rng);
      groupSms(rng);
    }
    for (ActorRole role : List.of(ActorRole.COURIER, ActorRole.SHOP, ActorRole.CLINIC)) {
      for (Person p : pop.byRole(role)) {
        Pending l = alwaysOn(role, p.jurisdiction);
        if (role == ActorRole.COURIER) {
          l.subject = LabelSubject.number(p.number());
          l.subjects.add(l.subject);
          l.description = "courier calling 40-80 customers a day, briefly";
        } else {
          l.victim = p.number();
          l.victims.add(p.number());
          l.description =
              (role == ActorRole.SHOP ? "shop" : "clinic") + " taking 30-90 calls a day";
        }
      }
    }
    Pending centre = alwaysOn(ActorRole.CALL_CENTRE, "CN");
    pop.callCentre.forEach(c -> centre.subjects.add(LabelSubject.number(c.party().getId())));
    centre.subject = centre.subjects.get(0);
    centre.description = "outbound call centre: 3 lines calling up to 150 people a day each";
    for (Population.Platform p :
        concat(pop.cnPlatforms, pop.hasUs() ? pop.usPlatforms : List.of())) {
      Pending l = alwaysOn(ActorRole.OTP_PLATFORM, p.jurisdiction());
      l.subject = LabelSubject.number(p.sender().getId());
      l.subjects.add(l.subject);
      l.description = p.brand() + " sending codes and notifications to many people";
    }
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  Pending alwaysOn(ActorRole role, String jurisdiction) {
    Pending l = new Pending();
    l.role = role;
    l.jurisdiction = jurisdiction;
    l.start = start;
    l.end = end;
    ordinaryLabels.add(l);
    return l;
  }

  /** A relative calling 5-9 times within about an hour, unanswered until the last. */
  private void emergencyRelative(Rng rng) {
    Person p = freePerson(rng, "CN", q -> q.contacts.length > 0);
    Person relative = pop.people.get(p.pickContact(rng));
    int calls = rng.between(5, 9);
    Instant t = pickAnyTime(rng, Duration.ofMinutes(calls * 8L));
    Pending l = new Pending();
    l.role = ActorRole.EMERGENCY_RELATIVE;
    l.jurisdiction = p.jurisdiction;
    l.victim = p.number();
    l.victims.add(p.number());
    l.subject = LabelSubject.number(relative.number());
    l.subjects.add(l.subject);
    l.description = "a relative calling " + calls + " times in about an hour in an emergency";
    for (int i = 0; i < calls; i++) {
      boolean last = i == calls - 1;
      add(
          l.events,
          last
              ? records.call(
                  relative.party,
                  p.party,
                  t,
                  rng.between(5, 20),
                  rng.between(60, 600),
                  CallOutcome.ANSWERED,
                  relative.carrier)
              : records.call(
                  relative.party,
                  p.party,
                  t,
                  rng.between(35, 55),
                  0,
                  CallOutcome.NO_ANSWER,
                  relative.carrier));
      t = t.plusSeconds(rng.between(360, 540));
    }
    ordinaryLabels.add(l);
  }

  /** One person messaging 20-60 people within a minute and a half. */
  private void groupSms(Rng rng) {
    Person p = freePerson(rng, "CN", q -> q.contacts.length >= 5);
    int want = rng.between(20, 60);
    Set<Person> to = new LinkedHashSet<>();
    for (int c : p.contacts) {
      if (to.size() < want) {
        to.add(pop.people.get(c));
      }
    }
    while (to.size() < want) {
      to.add(pop.randomPerson(rng, p.jurisdiction, p));
      if (to.size() >= pop.own(p.jurisdiction).size() - 1) {
        break;
      }
    }
    Instant t = pickAnyTime(rng, Duration.ofMinutes(2));
    String body = Texts.groupGreeting(rng, p.jurisdiction);
    Pending l = new Pending();
    l.role = ActorRole.GROUP_SMS;
    l.jurisdiction = p.jurisdiction;
    l.subject = LabelSubject.number(p.number());
    l.subjects.add(l.subject);
    l.description = "one person messaging " + to.size() + " people at once";
    for (Person r : to) {
      t = t.plusMillis(rng.between(200, 1500));
      add(l.events, records.sms(p.party, r.party, t, SmsCategory.PERSONAL, body, p.carrier));
      l.victims.add(r.number());
    }
    ordinaryLabels.add(l);
  }

  // ---------------------------------------------------------------- scenarios

  private void scenarios() {
    int global = 0;
    for (ScenarioKind kind : ScenarioKind.values()) {
      int count = config.scenarios().getOrDefault(kind, 0);
      for (int k = 0; k < count; k++) {
        // every other scenario in the US (the first call bombing stays in CN, as in report 000;
        // early relation contact is a CN rule: the US rule counts contacts, not days past due)
        String jurisdiction = global % 2 == 1 && pop.hasUs() && !cnOnly(kind) ? "US" : "CN";
        Rng rng = new Rng(config.seed(), 10_000L + global++);
        boolean first = kind == ScenarioKind.CALL_BOMBING && k == 0;
        Pending p =
            switch (kind) {
              case CALL_BOMBING -> callBombing(rng, jurisdiction, first);
              case SMS_BOMBING -> smsBombing(rng, jurisdiction);
              case CONTACT_FAN_OUT -> fanOut(rng, jurisdiction);
              case DISCLOSURE -> disclosure(rng, jurisdiction);
              case THREAT -> threat(rng, jurisdiction);
              case EARLY_RELATION_CONTACT -> earlyRelation(rng, jurisdiction);
              case FREQUENCY_BREACH -> frequency(rng, jurisdiction);
              case CURFEW_BREACH -> curfew(rng, jurisdiction);
              case CONTACT_AFTER_CEASE -> afterCease(rng, jurisdiction);
              case WRONG_PARTY -> wrongParty(rng, jurisdiction);
              case UNDECLARED_RELATION_CONTACT -> undeclaredRelation(rng, jurisdiction);
              case SENDER_ID_STRANGER_SMS -> senderIdToStranger(rng, jurisdiction);
              case DATA_TRADE -> applications.dataTrade(rng, jurisdiction);
            };
        p.kind = kind;
        p.jurisdiction = jurisdiction;
        dropAfterEnd(p.events);
        if (p.events.isEmpty()) {
          throw new IllegalStateException(kind + " did not fit in the world; use more --days");
        }
        scenarioLabels.add(p);
      }
    }
  }

  /** Kinds of CN rules only: the US rules count contacts, not days past due or declarations. */
  private static boolean cnOnly(ScenarioKind kind) {
    return kind == ScenarioKind.EARLY_RELATION_CONTACT
        || kind == ScenarioKind.UNDECLARED_RELATION_CONTACT
        || kind == ScenarioKind.SENDER_ID_STRANGER_SMS;
  }

  private Pending victimLabel(Person victim) {
    Pending p = new Pending();
    p.victim = victim.number();
    p.victims.add(victim.number());
    return p;
  }

  /** 呼死你 (report 000): every 3-4 minutes for 5-8 hours a day, from 10-25 rotating numbers. */
  private Pending callBombing(Rng rng, String j, boolean first) {
    Person victim = freePerson(rng, j, q -> declaredContacts.contains(q) || rng.chance(0.2));
    Pending p = victimLabel(victim);
    List<Party> numbers = new ArrayList<>();
    int k = rng.between(10, 25);
    for (int i = 0; i < k; i++) {
      numbers.add(j.equals("US") ? pop.usMobile(rng) : pop.cnVirtual(rng));
    }
    Instant t0 =
        first
            ? start.plus(Duration.ofMinutes(20))
            : pickLocal(
                rng, victim.zone, 8.5, 12, Duration.ofHours(5), start.plus(Duration.ofHours(1)));
    int days = rng.between(1, 3);
    Map<String, Integer> perNumber = new HashMap<>();
    for (int d = 0; d < days; d++) {
      Instant t = t0.plus(Duration.ofDays(d));
      Instant stop = t.plus(Duration.ofMinutes(rng.between(300, 480)));
      while (t.isBefore(stop) && t.isBefore(end)) {
        Party from = rng.pick(numbers);
        perNumber.merge(from.getId(), 1, Integer::sum);
        double r = rng.unit();
        CallRecord c =
            r < 0.55
                ? records.call(
                    from,
                    victim.party,
                    t,
                    rng.between(1, 6),
                    0,
                    CallOutcome.CALLER_HANGUP,
                    carrierOf(from))
                : r < 0.80
                    ? records.call(
                        from,
                        victim.party,
                        t,
                        rng.between(2, 8),
                        rng.between(1, 3),
                        CallOutcome.ANSWERED,
                        carrierOf(from))
                    : r < 0.95
                        ? records.call(
                            from,
                            victim.party,
                            t,
                            rng.between(1, 4),
                            0,
                            CallOutcome.REJECTED,
                            carrierOf(from))
                        : records.call(
                            from,
                            victim.party,
                            t,
                            rng.between(25, 45),
                            0,
                            CallOutcome.NO_ANSWER,
                            carrierOf(from));
        add(p.events, c);
        t = t.plusSeconds(rng.between(180, 240));
      }
    }
    numbersAsSubjects(p, numbers, perNumber);
    p.description =
        "call bombing: "
            + p.events.size()
            + " calls from "
            + k
            + " rotating numbers, hung up as soon as answered";
    return p;
  }

  private static void numbersAsSubjects(Pending p, List<Party> numbers, Map<String, Integer> uses) {
    List<Party> sorted = new ArrayList<>(numbers);
    sorted.removeIf(n -> !uses.containsKey(n.getId()));
    sorted.sort(
        Comparator.comparing((Party n) -> -uses.get(n.getId())).thenComparing(Party::getId));
    sorted.forEach(n -> p.subjects.add(LabelSubject.number(n.getId())));
    p.subject = p.subjects.get(0);
  }

  /** Report 000: the number registered on many sites, so codes flood in from many senders. */
  private Pending smsBombing(Rng rng, String j) {
    Person victim = freeBorrowerOrPerson(rng, j);
    Pending p = victimLabel(victim);
    List<Population.Platform> senders = new ArrayList<>(pop.platforms(j));
    int extra = rng.between(20, 30);
    String[] brands = j.equals("US") ? Texts.US_BRANDS : Texts.CN_BRANDS;
    for (int i = 0; i < extra; i++) {
      Party s =
          pop.senderId(
              j.equals("US")
                  ? Integer.toString(rng.between(200_000, 899_999))
                  : "1069" + rng.between(20_000_000, 99_999_999));
      senders.add(new Population.Platform(s, rng.pick(brands), j, 1));
    }
    int n = rng.between(60, 150);
    int minutes = rng.between(15, 40);
    Instant t0 =
        pickLocal(
            rng, victim.zone, 8, 21, Duration.ofMinutes(minutes), start.plus(Duration.ofHours(1)));
    List<Instant> times = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      times.add(t0.plusMillis(rng.below(minutes * 60_000L)));
    }
    times.sort(null);
    Map<String, Integer> uses = new HashMap<>();
    List<Party> used = new ArrayList<>();
    for (Instant t : times) {
      Population.Platform from = rng.pick(senders);
      if (uses.merge(from.sender().getId(), 1, Integer::sum) == 1) {
        used.add(from.sender());
      }
      add(
          p.events,
          records.sms(
              from.sender(),
              victim.party,
              t,
              SmsCategory.OTP,
              Texts.otp(rng, from.brand(), j),
              victim.carrier));
    }
    numbersAsSubjects(p, used, uses);
    p.description =
        "verification-code bombing: "
            + n
            + " codes from "
            + used.size()
            + " senders in "
            + minutes
            + " min";
    return p;
  }

  /** Report 000: 20+ people of the borrower's circle called; one was the declared contact. */
  private Pending fanOut(Rng rng, String j) {
    Person borrower = freePerson(rng, j, q -> q.contacts.length >= 21);
    Loan loan = loan(rng, rng.pick(lendersIn(j)), borrower, null, rng.between(45, 80), true);
    busy.add(loan.emergency);
    Pending p = victimLabel(borrower);
    p.setup.addAll(loan.setup);
    Party from = rng.pick(loan.lender.agency().numbers());
    p.setup.add(registrations.get(from.getId()));
    p.subjects.add(LabelSubject.number(from.getId()));
    p.subject = p.subjects.get(0);
    p.subjects.add(LabelSubject.agency(loan.agencyId()));
    p.subjects.add(LabelSubject.lender(loan.lender.id()));
    p.lenderId = loan.lender.id();
    p.agencyId = loan.agencyId();
    p.loanId = loan.id;
    List<Person> targets = new ArrayList<>();
    targets.add(loan.emergency);
    List<Integer> circle = new ArrayList<>();
    for (int c : borrower.contacts) {
      circle.add(c);
    }
    java.util.Collections.shuffle(circle, new java.util.Random(rng.below(Long.MAX_VALUE)));
    int want = Math.min(borrower.contacts.length, rng.between(20, 30));
    for (int c : circle) {
      Person q = pop.people.get(c);
      if (targets.size() < want && q != loan.emergency) {
        targets.add(q);
      }
    }
    java.util.Collections.shuffle(targets, new java.util.Random(rng.below(Long.MAX_VALUE)));
    int hours = rng.between(3, 6);
    Instant notBefore =
        config.days() >= 2 ? start.plus(Duration.ofDays(1)) : start.plus(Duration.ofHours(4));
    Instant t0 = pickLocal(rng, borrower.zone, 9, 19 - hours, Duration.ofHours(hours), notBefore);
    Duration history = Duration.between(start, t0).minusMinutes(10);
    List<Instant> times = new ArrayList<>();
    for (Person q : targets) {
      if (history.toMinutes() >= 30) {
        // the circle seen in traffic before the fan-out, as a detector would learn it
        Instant h = start.plusMillis(rng.below(history.toMillis()));
        add(
            p.setup,
            rng.chance(0.5)
                ? SimulatedWorld.personalCall(rng, records, borrower, q, h)
                : SimulatedWorld.personalCall(rng, records, q, borrower, h));
      }
      times.add(t0.plusMillis(rng.below(hours * 3_600_000L)));
    }
    times.sort(null);
    for (int i = 0; i < targets.size(); i++) {
      Person q = targets.get(i);
      boolean answered = rng.chance(0.6);
      add(
          p.events,
          answered
              ? records.call(
                  from,
                  q.party,
                  times.get(i),
                  rng.between(4, 15),
                  rng.between(20, 120),
                  CallOutcome.ANSWERED,
                  carrierOf(from))
              : records.call(
                  from,
                  q.party,
                  times.get(i),
                  rng.between(30, 50),
                  0,
                  CallOutcome.NO_ANSWER,
                  carrierOf(from)));
      p.victims.add(q.number());
    }
    p.description =
        "contact fan-out: "
            + targets.size()
            + " people of the borrower's circle called by one agency number; 1 declared contact among them";
    // every call to the circle is also third-party contact (CN: before the threshold or while the
    // borrower answers; US: a second contact), and the circle's members in other time zones are
    // called in their curfew when it is daytime for the borrower
    p.alsoExpected.add(AlertType.THIRD_PARTY_CONTACT);
    p.alsoExpected.add(AlertType.OFF_HOURS_CONTACT);
    // a member of the circle may be the same lender's own debtor, spoken with days ago: the
    // agency's call is then a Regulation F breach too (seed 777, all=3)
    p.alsoExpected.add(AlertType.CONTACT_FREQUENCY);
    return p;
  }

  /** Report 000: the emergency contact told the borrower's name, number and overdue amount. */
  private Pending disclosure(Rng rng, String j) {
    Person borrower = freePerson(rng, j, q -> q.contacts.length > 0);
    Loan loan =
        loan(rng, rng.pick(lendersIn(j)), borrower, null, rng.between(65, 90), rng.chance(0.5));
    Person contact = loan.emergency;
    busy.add(contact);
    Pending p = victimLabel(contact);
    loanSubjects(p, loan);
    Party from = loan.collectorNumber(rng);
    p.subjects.add(0, LabelSubject.number(from.getId()));
    Instant t = pickLocal(rng, contact.zone, 9, 19, Duration.ZERO, start.plus(Duration.ofHours(1)));
    String body =
        Texts.disclosure(
            loan.lender.name(), Texts.name(rng, j), Texts.mask(borrower.number()), loan.overdue, j);
    add(p.events, records.sms(from, contact.party, t, SmsCategory.UNKNOWN, body, carrierOf(from)));
    add(
        p.events,
        records.attempt(
            loan.lender.id(),
            t,
            loan.id,
            AttemptChannel.SMS,
            contact.party,
            TargetRole.EMERGENCY_CONTACT,
            AttemptOutcome.DELIVERED,
            loan.agencyId(),
            body));
    p.description =
        "disclosure: the emergency contact told the borrower's name, number and overdue amount";
    return p;
  }

  /** Reports 000/001: insults and threats to publish the debtor's contacts. */
  private Pending threat(Rng rng, String j) {
    Person borrower = freePerson(rng, j, q -> true);
    Loan loan = loan(rng, rng.pick(lendersIn(j)), borrower, null, rng.between(30, 90), true);
    Pending p = victimLabel(borrower);
    loanSubjects(p, loan);
    Party from = loan.collectorNumber(rng);
    p.subjects.add(0, LabelSubject.number(from.getId()));
    int n = rng.between(2, 4);
    Instant t =
        pickLocal(rng, borrower.zone, 9, 16, Duration.ofHours(3), start.plus(Duration.ofHours(1)));
    for (int i = 0; i < n; i++) {
      String body = Texts.threat(rng, j);
      add(
          p.events,
          records.sms(from, borrower.party, t, SmsCategory.UNKNOWN, body, carrierOf(from)));
      add(
          p.events,
          records.attempt(
              loan.lender.id(),
              t,
              loan.id,
              AttemptChannel.SMS,
              borrower.party,
              TargetRole.BORROWER,
              AttemptOutcome.DELIVERED,
              loan.agencyId(),
              body));
      t = t.plusSeconds(rng.between(1200, 3600));
    }
    p.description = "threats and insults: " + n + " messages to the borrower";
    return p;
  }

  /** Report 001: relations contacted at 34 days past due, below the 60-day threshold. */
  private Pending earlyRelation(Rng rng, String j) {
    Person borrower = freePerson(rng, j, q -> q.contacts.length > 0);
    Loan loan = loan(rng, rng.pick(lendersIn(j)), borrower, null, rng.between(28, 40), false);
    Person contact = loan.emergency;
    busy.add(contact);
    Pending p = victimLabel(contact);
    loanSubjects(p, loan);
    Instant limit = start.plus(Duration.ofDays(Math.max(1, 59 - loan.dpdAtStart)));
    Instant t =
        pickLocal(rng, borrower.zone, 12, 18, Duration.ofHours(1), start.plus(Duration.ofHours(3)));
    if (t.isAfter(limit)) {
      t = pickLocal(rng, borrower.zone, 12, 18, Duration.ofHours(1), start);
    }
    // the borrower did not answer in the morning (lawful; part of the setup)
    collectionCall(
        rng,
        loan,
        borrower.party,
        TargetRole.BORROWER,
        t.minus(Duration.ofHours(3)),
        false,
        p.setup);
    int n = rng.between(1, 2);
    for (int i = 0; i < n; i++) {
      collectionCall(
          rng,
          loan,
          contact.party,
          TargetRole.EMERGENCY_CONTACT,
          t.plus(Duration.ofMinutes(40L * i)),
          rng.chance(0.6),
          p.events);
    }
    p.description =
        "early relation contact: the emergency contact called at "
            + dpdAt(loan, t)
            + " days past due (threshold 60)";
    return p;
  }

  /** CN: 4-6 connected calls in a day (cap 3); US: 8 calls within 7 days (cap 7). */
  private Pending frequency(Rng rng, String j) {
    Person borrower = freePerson(rng, j, q -> true);
    Loan loan =
        loan(rng, rng.pick(lendersIn(j)), borrower, null, rng.between(10, 50), rng.chance(0.5));
    Pending p = victimLabel(borrower);
    loanSubjects(p, loan);
    if (j.equals("CN")) {
      int n = rng.between(4, 6);
      Instant t0 =
          pickLocal(
              rng, borrower.zone, 9, 10, Duration.ofHours(9), start.plus(Duration.ofHours(1)));
      for (int i = 0; i < n; i++) {
        collectionCall(
            rng,
            loan,
            borrower.party,
            TargetRole.BORROWER,
            t0.plus(Duration.ofMinutes(i * 480L / n + rng.between(0, 20))),
            true,
            p.events);
      }
      p.description = "frequency: " + n + " connected calls to the borrower in one day (CN cap 3)";
    } else {
      List<Instant[]> windows = localWindows(borrower.zone, 9.5, 19.5, Duration.ZERO, start);
      int d = Math.min(7, windows.size());
      List<Instant> times = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        Instant[] w = windows.get(i % d);
        times.add(w[0].plusMillis(rng.below(Math.max(1, Duration.between(w[0], w[1]).toMillis()))));
      }
      times.sort(null);
      for (Instant t : times) {
        collectionCall(rng, loan, borrower.party, TargetRole.BORROWER, t, false, p.events);
      }
      p.description = "frequency: 8 calls to the borrower within " + d + " days (US: 7 in 7 days)";
    }
    return p;
  }

  /** Calls in the curfew at the borrower's local time: CN 22:00-08:00, US 21:00-08:00. */
  private Pending curfew(Rng rng, String j) {
    Person borrower = freePerson(rng, j, q -> true);
    Loan loan =
        loan(rng, rng.pick(lendersIn(j)), borrower, null, rng.between(5, 60), rng.chance(0.5));
    Pending p = victimLabel(borrower);
    loanSubjects(p, loan);
    int n = rng.between(1, 3);
    boolean us = j.equals("US");
    Instant t =
        pickLocal(
            rng, borrower.zone, us ? 21.1 : 22.2, us ? 21.4 : 22.8, Duration.ofMinutes(60), start);
    for (int i = 0; i < n; i++) {
      collectionCall(rng, loan, borrower.party, TargetRole.BORROWER, t, rng.chance(0.5), p.events);
      t = t.plusSeconds(rng.between(600, 1500));
    }
    p.description =
        "curfew: " + n + " collection calls after " + (us ? "21:00" : "22:00") + " local time";
    // calls 10-25 minutes after a conversation are also a US frequency breach (1006.14(b)(2)(ii))
    p.alsoExpected.add(AlertType.CONTACT_FREQUENCY);
    return p;
  }

  /** A written cease request, then more calls. */
  private Pending afterCease(Rng rng, String j) {
    Person borrower = freePerson(rng, j, q -> true);
    Loan loan =
        loan(rng, rng.pick(lendersIn(j)), borrower, null, rng.between(20, 60), rng.chance(0.5));
    Pending p = victimLabel(borrower);
    loanSubjects(p, loan);
    Instant cease =
        pickLocal(rng, borrower.zone, 9, 11, Duration.ofHours(6), start.plus(Duration.ofHours(1)));
    add(p.events, Records.cease(loan.lender.id(), cease, loan.id, borrower.party));
    List<Instant[]> windows =
        localWindows(borrower.zone, 9, 19, Duration.ZERO, cease.plus(Duration.ofHours(1)));
    int n = rng.between(2, 4);
    List<Instant> times = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Instant[] w = windows.get(rng.below(Math.min(2, windows.size())));
      times.add(w[0].plusMillis(rng.below(Math.max(1, Duration.between(w[0], w[1]).toMillis()))));
    }
    times.sort(null);
    for (Instant t : times) {
      collectionCall(rng, loan, borrower.party, TargetRole.BORROWER, t, rng.chance(0.4), p.events);
    }
    p.description = "cease request, then " + n + " more collection calls";
    // a call within 7 days after a conversation is also a US frequency breach
    p.alsoExpected.add(AlertType.CONTACT_FREQUENCY);
    return p;
  }

  /** Report 004: a number that never borrowed, pursued by several lenders for strangers' loans. */
  private Pending wrongParty(Rng rng, String j) {
    Person victim = freePerson(rng, j, q -> !declaredContacts.contains(q));
    Pending p = victimLabel(victim);
    List<Lender> ls = lendersIn(j);
    for (Lender l : ls) {
      Party stranger =
          j.equals("US")
              ? pop.usMobile(rng)
              : pop.cnMobile(rng, new String[] {"135", "159", "187"});
      Loan loan = loan(rng, l, null, stranger, rng.between(10, 60), rng.chance(0.5));
      p.setup.addAll(loan.setup);
      if (loan.viaAgency) {
        p.subjects.add(LabelSubject.agency(loan.agencyId()));
      }
      p.subjects.add(LabelSubject.lender(l.id()));
      String name = Texts.name(rng, j);
      List<Instant[]> windows =
          localWindows(victim.zone, 9, 19, Duration.ZERO, start.plus(Duration.ofHours(1)));
      int sms = rng.between(1, 2);
      int calls = rng.between(0, 2);
      for (int i = 0; i < sms + calls; i++) {
        Instant[] w = rng.pick(windows);
        Instant t =
            w[0].plusMillis(rng.below(Math.max(1, Duration.between(w[0], w[1]).toMillis())));
        TargetRole role = rng.chance(0.5) ? TargetRole.BORROWER : TargetRole.UNKNOWN;
        if (i < sms) {
          String body = Texts.wrongPartyReminder(l.name(), name, dpdAt(loan, t), j);
          Party from = l.smsSender();
          add(
              p.events,
              records.sms(from, victim.party, t, SmsCategory.NOTIFICATION, body, victim.carrier));
          add(
              p.events,
              records.attempt(
                  l.id(),
                  t,
                  loan.id,
                  AttemptChannel.SMS,
                  victim.party,
                  role,
                  AttemptOutcome.DELIVERED,
                  loan.agencyId(),
                  body));
        } else {
          collectionCall(rng, loan, victim.party, role, t, rng.chance(0.5), p.events);
        }
      }
    }
    p.subject = p.subjects.get(0);
    // contacting a non-debtor about a debt is third-party contact, and the reminders disclose it
    p.alsoExpected.add(AlertType.THIRD_PARTY_CONTACT);
    p.alsoExpected.add(AlertType.THIRD_PARTY_DISCLOSURE);
    p.description =
        "wrong party: "
            + ls.size()
            + " lenders pursuing a number with no loan for strangers' debts";
    return p;
  }

  /**
   * Report 001 (Huabei): the loan declares no contacts; at 28-40 days past due, after the borrower
   * did not answer, the lender's own number reaches a relation found some other way (a delivery
   * address), and the lender reports the attempt naming that person a third party.
   */
  private Pending undeclaredRelation(Rng rng, String j) {
    Person borrower =
        freePerson(
            rng,
            j,
            q ->
                java.util.Arrays.stream(q.contacts)
                    .anyMatch(c -> freeRelation(pop.people.get(c), j)));
    Loan loan =
        loan(rng, rng.pick(lendersIn(j)), borrower, null, rng.between(28, 40), false, false);
    Person relation =
        java.util.Arrays.stream(borrower.contacts)
            .mapToObj(pop.people::get)
            .filter(q -> freeRelation(q, j))
            .findFirst()
            // small worlds: someone the borrower may know through an address book
            .orElseGet(() -> freeOutsider(rng, j));
    busy.add(relation);
    Pending p = victimLabel(relation);
    loanSubjects(p, loan);
    Instant t =
        pickLocal(rng, borrower.zone, 12, 18, Duration.ofHours(1), start.plus(Duration.ofHours(3)));
    collectionCall(
        rng,
        loan,
        borrower.party,
        TargetRole.BORROWER,
        t.minus(Duration.ofHours(2)),
        false,
        p.setup);
    collectionCall(rng, loan, relation.party, TargetRole.THIRD_PARTY, t, true, p.events);
    p.description =
        "undeclared relation: the lender reached a relation nobody declared at "
            + dpdAt(loan, t)
            + " days past due";
    return p;
  }

  /**
   * Report 000: the lender's registered sender id texts a stranger (neither borrower nor declared
   * contact) that "your relative" is overdue; the telecom's record only, the lender reports
   * nothing.
   */
  private Pending senderIdToStranger(Rng rng, String j) {
    Person borrower = freePerson(rng, j, q -> true);
    Loan loan = loan(rng, rng.pick(lendersIn(j)), borrower, null, rng.between(10, 16), false);
    Person stranger = freeOutsider(rng, j);
    Pending p = victimLabel(stranger);
    loanSubjects(p, loan);
    p.subjects.add(0, LabelSubject.number(loan.lender.smsSender().getId()));
    p.setup.add(registrations.get(loan.lender.smsSender().getId()));
    Instant t =
        pickLocal(rng, stranger.zone, 9, 19, Duration.ZERO, start.plus(Duration.ofHours(1)));
    String body =
        Texts.disclosure(
            loan.lender.name(), Texts.name(rng, j), Texts.mask(borrower.number()), loan.overdue, j);
    add(
        p.events,
        records.sms(
            loan.lender.smsSender(),
            stranger.party,
            t,
            SmsCategory.UNKNOWN,
            body,
            stranger.carrier));
    p.description =
        "sender id to a stranger: the lender's 106 sender told a stranger of a debt at "
            + dpdAt(loan, t)
            + " days past due";
    p.alsoExpected.add(AlertType.THIRD_PARTY_DISCLOSURE);
    return p;
  }

  /**
   * A person with no role, in no scenario and declared by no loan; unlike {@link #freePerson} it
   * never relaxes that in a small world (a declared contact would make the lawful calls of the loan
   * that declared it part of this scenario).
   */
  private Person freeOutsider(Rng rng, String j) {
    List<Person> pool = pop.own(j);
    for (int i = 0; i < 2000; i++) {
      Person q = rng.pick(pool);
      if (isFree(q)) {
        busy.add(q);
        return q;
      }
    }
    Person q =
        pool.stream()
            .filter(this::isFree)
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "not enough subscribers for the scenarios; raise --subscribers"));
    busy.add(q);
    return q;
  }

  /**
   * No role, not busy, declared by no loan, and no victim of a scenario made so far: a fan-out's
   * circle is not marked busy (its members stay free for other picks), but a relation or stranger
   * reached by another lender must not be one of them, or its contacts from both lenders add up to
   * a WRONG_PARTY no scenario injected (seeds 2 and 3 of WorldTopologyTest).
   */
  private boolean isFree(Person q) {
    return q.role == null
        && !busy.contains(q)
        && !declaredContacts.contains(q)
        && !scenarioVictim(q.number());
  }

  /**
   * A relation report 001's lender may reach: free, and living under the scenario's rules (a
   * relation abroad is judged by the other country's rules: a US curfew, no CN third-party rule).
   */
  private boolean freeRelation(Person q, String j) {
    return isFree(q) && q.jurisdiction.equals(j);
  }

  private boolean scenarioVictim(String number) {
    for (Pending p : scenarioLabels) {
      if (number.equals(p.victim) || p.victims.contains(number)) {
        return true;
      }
    }
    return false;
  }

  private void loanSubjects(Pending p, Loan loan) {
    p.setup.addAll(loan.setup);
    lenderSubjects(p, loan);
  }

  // ---------------------------------------------------------------- choosing people and times

  private Person freePerson(Rng rng, String j, java.util.function.Predicate<Person> want) {
    List<Person> pool = pop.own(j);
    for (int i = 0; i < 2000; i++) {
      Person q = rng.pick(pool);
      if (q.role == null && !busy.contains(q) && want.test(q)) {
        busy.add(q);
        return q;
      }
    }
    // small worlds: relax the wish, keep people distinct
    Person best = null;
    for (Person q : pool) {
      if (q.role == null
          && !busy.contains(q)
          && (best == null || q.contacts.length > best.contacts.length)) {
        best = q;
      }
    }
    if (best == null) {
      throw new IllegalStateException(
          "not enough subscribers for the scenarios; raise --subscribers");
    }
    busy.add(best);
    return best;
  }

  private Person freeBorrowerOrPerson(Rng rng, String j) {
    for (Person b : backgroundBorrowers) {
      if (b.jurisdiction.equals(j) && rng.chance(0.5)) {
        return b;
      }
    }
    return freePerson(rng, j, q -> true);
  }

  private Instant pickAnyTime(Rng rng, Duration needed) {
    long span = Duration.between(start.plus(Duration.ofHours(1)), end.minus(needed)).toMillis();
    return start.plus(Duration.ofHours(1)).plusMillis(rng.below(Math.max(1, span)));
  }

  /**
   * A time within local hours {@code [from, to)} on some day, leaving {@code needed} before the
   * end.
   */
  Instant pickLocal(
      Rng rng, ZoneId zone, double from, double to, Duration needed, Instant notBefore) {
    List<Instant[]> windows = localWindows(zone, from, to, needed, notBefore);
    if (windows.isEmpty()) {
      windows = localWindows(zone, from, to, needed, start);
    }
    if (windows.isEmpty()) {
      throw new IllegalStateException(
          "the world is too short for a scenario at "
              + from
              + "-"
              + to
              + " h local time; use more --days");
    }
    Instant[] w = rng.pick(windows);
    return w[0].plusMillis(rng.below(Math.max(1, Duration.between(w[0], w[1]).toMillis())));
  }

  /** Every stretch of local hours {@code [from, to)} inside {@code [notBefore, end - needed)}. */
  private List<Instant[]> localWindows(
      ZoneId zone, double from, double to, Duration needed, Instant notBefore) {
    List<Instant[]> out = new ArrayList<>();
    Instant last = end.minus(needed);
    for (LocalDate d = notBefore.atZone(zone).toLocalDate().minusDays(1); ; d = d.plusDays(1)) {
      Instant a = d.atStartOfDay(zone).plusSeconds((long) (from * 3600)).toInstant();
      Instant b = d.atStartOfDay(zone).plusSeconds((long) (to * 3600)).toInstant();
      if (a.isAfter(last)) {
        break;
      }
      if (a.isBefore(notBefore)) {
        a = notBefore;
      }
      if (b.isAfter(last)) {
        b = last;
      }
      if (a.isBefore(b)) {
        out.add(new Instant[] {a, b});
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- labels

  static Instant timeOf(Object r) {
    return new SimEvent(r).time();
  }

  private static String idOf(Object r) {
    return new SimEvent(r).id();
  }

  private Label toLabel(String id, Pending p) {
    p.events.sort(Comparator.comparing(WorldBuilder::timeOf));
    Instant s = p.start != null ? p.start : timeOf(p.events.get(0));
    Instant e = p.end != null ? p.end : timeOf(p.events.get(p.events.size() - 1));
    AlertType type = p.kind == null ? null : p.kind.expectedAlert();
    return new Label(
        id,
        p.kind,
        p.role,
        type,
        p.jurisdiction,
        p.victim,
        new ArrayList<>(new LinkedHashSet<>(p.victims)),
        p.subject,
        new ArrayList<>(new LinkedHashSet<>(p.subjects)),
        p.lenderId,
        p.agencyId,
        p.loanId,
        s,
        e,
        p.events.stream().map(WorldBuilder::idOf).toList(),
        p.setup.stream().map(WorldBuilder::idOf).distinct().toList(),
        p.description,
        p.alsoExpected);
  }
}

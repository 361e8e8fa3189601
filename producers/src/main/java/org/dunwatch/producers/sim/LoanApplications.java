package org.dunwatch.producers.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.dunwatch.avro.common.Party;
import org.dunwatch.avro.lender.Application;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.avro.telecom.CallOutcome;
import org.dunwatch.avro.telecom.SmsCategory;
import org.dunwatch.producers.sim.Label.LabelSubject;
import org.dunwatch.producers.sim.WorldBuilder.Lender;
import org.dunwatch.producers.sim.WorldBuilder.Pending;

/**
 * Loan applications (report 003) in a world: people applying at a loan supermarket and at lenders,
 * the lawful calls that follow, and the DATA_TRADE scenario, a platform whose applicants are sold
 * to buyers who call and text them within days.
 *
 * <p>The lawful side is labelled as one ordinary {@link ActorRole#LOAN_PLATFORM} actor, the hard
 * negatives of DATA_TRADE: the supermarket's own follow-up calls (from numbers it registered), the
 * lenders it forwarded an application to (with consent, from their registered numbers) and the
 * lenders people applied to directly. A broad telemarketer is already in every world (the call
 * centre), reaching applicants at their usual share. Each applicant hears from at most one
 * registered lender about its application, so no applicant looks pursued by several lenders for
 * debts it does not have (WRONG_PARTY).
 */
final class LoanApplications {

  static final String SUPERMARKET = "plt-cn-01";

  /** Chance per person and day of applying at the supermarket, and directly at a lender. */
  static final double SUPERMARKET_DAILY = 0.01;

  static final double LENDER_DAILY = 0.004;

  private final WorldBuilder w;
  private int platforms;

  LoanApplications(WorldBuilder w) {
    this.w = w;
  }

  /** Background applications and their lawful follow-up, labelled as one ordinary actor. */
  void background(Rng rng) {
    List<Lender> lenders = w.lendersIn("CN");
    Pending label = w.alwaysOn(ActorRole.LOAN_PLATFORM, "CN");
    label.subjects.add(LabelSubject.lender(SUPERMARKET));
    lenders.forEach(l -> label.subjects.add(LabelSubject.lender(l.id())));
    label.subject = label.subjects.get(0);
    label.description =
        "loan supermarket and lenders calling their own applicants and the applications forwarded"
            + " to them";
    List<Party> own = List.of(w.pop.cnVirtual(rng), w.pop.cnVirtual(rng));
    Instant registered = w.start.minus(Duration.ofDays(30));
    for (Party n : own) {
      w.prepared.add(Records.collectorNumber(SUPERMARKET, registered, n, null));
    }
    for (Person p : w.pop.own("CN")) {
      if (p.role != null
          || w.busy.contains(p)
          || w.declaredContacts.contains(p)
          || !p.jurisdiction.equals("CN")) {
        continue;
      }
      boolean supermarket = rng.chance(SUPERMARKET_DAILY * w.config.days());
      boolean direct = !supermarket && rng.chance(LENDER_DAILY * w.config.days());
      if (!supermarket && !direct) {
        continue;
      }
      w.busy.add(p);
      Instant at = w.pickLocal(rng, p.zone, 9, 22, Duration.ofHours(4), w.start);
      Lender lender = rng.pick(lenders);
      if (supermarket) {
        boolean forward = rng.chance(0.6);
        apply(SUPERMARKET, p, at, forward ? List.of(lender.id()) : List.of(), label.setup);
        if (forward && rng.chance(0.8)) {
          call(rng.pick(lender.inHouse()), p, daytime(rng, p, at, 2, 30), label.events);
        } else if (!forward && rng.chance(0.7)) {
          call(rng.pick(own), p, daytime(rng, p, at, 0.3, 3), label.events);
        }
      } else {
        apply(lender.id(), p, at, List.of(), label.setup);
        if (rng.chance(0.8)) {
          call(rng.pick(lender.inHouse()), p, daytime(rng, p, at, 1, 24), label.events);
        }
      }
    }
  }

  /**
   * 14-20 people apply at a platform within the world's first day or so; a broker number calls (and
   * mostly texts) all but a few of them within 1-30 hours, and in half the worlds a lender that
   * bought the list too calls them from two numbers it registered.
   */
  Pending dataTrade(Rng rng, String j) {
    platforms++;
    String region = j.toLowerCase(java.util.Locale.ROOT);
    String platform = "plt-" + region + "-s" + String.format("%02d", platforms);
    Pending p = new Pending();
    p.lenderId = platform;
    Party broker = j.equals("US") ? w.pop.usMobile(rng) : w.pop.cnVirtual(rng);
    p.subjects.add(LabelSubject.number(broker.getId()));
    String buyerLender = null;
    List<Party> lenderLines = new ArrayList<>();
    if (rng.chance(0.5)) {
      buyerLender = "lnd-" + region + "-b" + String.format("%02d", platforms);
      p.subjects.add(LabelSubject.lender(buyerLender));
      for (int i = 0; i < 2; i++) {
        Party line = j.equals("US") ? w.pop.usMobile(rng) : w.pop.cnVirtual(rng);
        lenderLines.add(line);
        LenderEvent reg =
            Records.collectorNumber(buyerLender, w.start.minus(Duration.ofDays(10)), line, null);
        w.add(p.setup, reg);
      }
    }
    p.subject = p.subjects.get(0);
    int n = rng.between(14, 20);
    int skipped = 0;
    for (int i = 0; i < n; i++) {
      Person a = applicant(rng, j);
      Instant at = w.pickLocal(rng, a.zone, 9, 22, Duration.ofHours(20), w.start.plusSeconds(3600));
      at = earliest(at, w.start.plus(Duration.ofHours(30)), rng);
      apply(platform, a, at, List.of(), p.setup);
      // all but at most two of the list are reached
      if (skipped < 2 && rng.chance(0.1)) {
        skipped++;
        continue;
      }
      // a short world keeps the calls inside it
      double latest = Math.max(2, Math.min(30, Duration.between(at, w.end).toMinutes() / 60.0 - 2));
      Instant t = daytime(rng, a, at, 1, latest);
      if (!t.isBefore(w.end)) {
        // office hours are over for this world: a broker does not wait
        t = at.plusSeconds(rng.between(3600, 3 * 3600));
      }
      if (!t.isBefore(w.end)) {
        continue;
      }
      call(broker, a, t, p.events);
      p.victims.add(a.number());
      if (rng.chance(0.6)) {
        w.add(
            p.events,
            w.records.sms(
                broker,
                a.party,
                t.plus(Duration.ofMinutes(rng.between(2, 90))),
                SmsCategory.MARKETING,
                Texts.marketing(rng, j.equals("US") ? "CashNow" : "秒借", j),
                a.carrier));
      }
      if (buyerLender != null && rng.chance(0.9)) {
        call(rng.pick(lenderLines), a, daytime(rng, a, at, 1.5, latest + 0.5), p.events);
      }
    }
    // the applicants reached: no alert names them (DATA_TRADE has no victim), but an alert of
    // another type on one of them is related to this scenario
    p.victim = p.victims.isEmpty() ? null : p.victims.get(0);
    p.description =
        "data trade: "
            + platform
            + "'s applicants called within days of applying by a broker"
            + (buyerLender == null ? "" : " and by lender " + buyerLender)
            + " who bought them";
    return p;
  }

  /** A time between the world's start and {@code latest}, keeping room after it. */
  private static Instant earliest(Instant at, Instant latest, Rng rng) {
    return at.isAfter(latest) ? latest.minus(Duration.ofMinutes(rng.between(0, 600))) : at;
  }

  private Person applicant(Rng rng, String j) {
    List<Person> pool = w.pop.own(j);
    for (int i = 0; i < 4000; i++) {
      Person q = rng.pick(pool);
      if (q.role == null && !w.busy.contains(q) && !w.declaredContacts.contains(q)) {
        w.busy.add(q);
        return q;
      }
    }
    throw new IllegalStateException(
        "not enough subscribers for the applicants; raise --subscribers");
  }

  private void apply(
      String platform, Person applicant, Instant at, List<String> forwardedTo, List<Object> into) {
    LenderEvent e =
        Records.lender(
            platform,
            at,
            Application.newBuilder()
                .setApplicationId(w.records.id("ap-").substring(0, 15))
                .setApplicant(applicant.party)
                .setForwardedTo(new ArrayList<>(forwardedTo))
                .build());
    w.add(into, e);
  }

  private void call(Party from, Person to, Instant t, List<Object> into) {
    if (!t.isBefore(w.end)) {
      return;
    }
    w.add(
        into,
        w.records.call(
            from,
            to.party,
            t,
            8,
            40 + (int) (t.getEpochSecond() % 120),
            CallOutcome.ANSWERED,
            to.carrier));
  }

  /**
   * A moment {@code minHours}-{@code maxHours} after {@code after}, moved into 09:00-20:00 at the
   * person's local time (lawful callers and marketers both keep office hours).
   */
  private static Instant daytime(
      Rng rng, Person p, Instant after, double minHours, double maxHours) {
    Instant t = after.plusSeconds((long) (rng.uniform(minHours, maxHours) * 3600));
    ZonedDateTime local = t.atZone(p.zone);
    if (local.getHour() < 9) {
      local = local.withHour(9).withMinute(rng.between(0, 59));
    } else if (local.getHour() >= 20) {
      local = local.plusDays(1).withHour(9).withMinute(rng.between(0, 59));
    }
    return local.toInstant();
  }
}

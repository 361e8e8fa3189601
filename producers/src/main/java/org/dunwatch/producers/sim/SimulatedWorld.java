package org.dunwatch.producers.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.dunwatch.avro.common.Party;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.avro.telecom.CallOutcome;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.avro.telecom.SmsCategory;

/**
 * A simulated network with lenders, collectors and injected abuse: every event in event-time order,
 * and the ground-truth labels.
 *
 * <p>Events that scenarios, loans and labelled episodes need are generated up front (they are few);
 * the everyday traffic of every subscriber is generated one day at a time while iterating, each day
 * from its own random stream, so a long world does not have to fit in memory and iterating twice
 * gives the same events.
 *
 * <pre>{@code
 * SimulatedWorld world = SimulatedWorld.generate(SimConfig.defaults(42));
 * world.events().forEachRemaining(sink);   // calls, messages, lender events by event time
 * Labels.write(labelsFile, world.labels());
 * }</pre>
 */
public final class SimulatedWorld {

  /** Share of calls per hour of the local day, 00-23 (see the producers README). */
  static final double[] HOURLY = {
    0.6, 0.3, 0.2, 0.15, 0.15, 0.3, 1.0, 2.5, 4.5, 6.0, 6.5, 6.5, 5.8, 5.5, 6.0, 6.2, 6.2, 6.3, 6.3,
    6.5, 6.5, 5.5, 3.5, 1.6
  };

  private static final double HOURLY_MAX = 6.5;

  final SimConfig config;
  final Population population;
  private final List<SimEvent> prepared;
  private final List<Label> labels;

  SimulatedWorld(
      SimConfig config, Population population, List<SimEvent> prepared, List<Label> labels) {
    this.config = config;
    this.population = population;
    this.prepared = prepared;
    this.labels = labels;
  }

  /** Builds the world for a config: population, graph, lenders, loans, scenarios, labels. */
  public static SimulatedWorld generate(SimConfig config) {
    return new WorldBuilder(config).build();
  }

  public SimConfig config() {
    return config;
  }

  /** Scenario labels first ({@code s01} ...), then ordinary actors ({@code o001} ...). */
  public List<Label> labels() {
    return Collections.unmodifiableList(labels);
  }

  /** Numbers of subscribers, by jurisdiction, for the summary. */
  public int subscribers() {
    return population.people.size();
  }

  /** Every event, in event-time order; ties keep a fixed order. */
  public Iterator<SimEvent> events() {
    return new DayMerger();
  }

  public Stream<SimEvent> stream() {
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(events(), Spliterator.ORDERED | Spliterator.NONNULL),
        false);
  }

  /** Prepared events (lender book, collection, scenarios) followed day by day by background. */
  private final class DayMerger implements Iterator<SimEvent> {
    private int day = -1;
    private int preparedAt;
    private List<SimEvent> chunk = List.of();
    private int chunkAt;

    @Override
    public boolean hasNext() {
      while (chunkAt >= chunk.size()) {
        if (day + 1 >= config.days()) {
          return false;
        }
        day++;
        chunk = dayChunk(day);
        chunkAt = 0;
      }
      return true;
    }

    @Override
    public SimEvent next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return chunk.get(chunkAt++);
    }

    private List<SimEvent> dayChunk(int d) {
      Instant dayEnd = config.start().plus(Duration.ofDays(d + 1));
      boolean last = d == config.days() - 1;
      List<SimEvent> mine = new ArrayList<>();
      while (preparedAt < prepared.size()
          && (last || prepared.get(preparedAt).time().isBefore(dayEnd))) {
        mine.add(prepared.get(preparedAt++));
      }
      List<SimEvent> background = background(d);
      List<SimEvent> merged = new ArrayList<>(mine.size() + background.size());
      int i = 0;
      int j = 0;
      while (i < mine.size() || j < background.size()) {
        if (j >= background.size()
            || (i < mine.size() && !mine.get(i).time().isAfter(background.get(j).time()))) {
          merged.add(mine.get(i++));
        } else {
          merged.add(background.get(j++));
        }
      }
      return merged;
    }
  }

  /** The everyday traffic of day {@code d}: its own random stream, so any day can be made alone. */
  List<SimEvent> background(int d) {
    Rng rng = new Rng(config.seed(), 1000L + d);
    Records records = new Records(config.seed(), 1000L + d);
    Instant d0 = config.start().plus(Duration.ofDays(d));
    List<SimEvent> out = new ArrayList<>();
    List<Person> people = population.people;
    for (Person p : people) {
      int calls = rng.poisson(p.callsPerDay);
      for (int i = 0; i < calls; i++) {
        Person to =
            rng.chance(0.05) || p.contacts.length == 0
                ? population.randomPerson(rng, p.jurisdiction, p)
                : people.get(p.pickContact(rng));
        out.add(new SimEvent(personalCall(rng, records, p, to, sampleTime(rng, p, d0))));
      }
      int sms = rng.poisson(p.smsPerDay);
      for (int i = 0; i < sms && p.contacts.length > 0; i++) {
        Person to = people.get(p.pickContact(rng));
        out.add(
            new SimEvent(
                records.sms(
                    p.party,
                    to.party,
                    sampleTime(rng, p, d0),
                    SmsCategory.PERSONAL,
                    Texts.personal(rng, p.jurisdiction),
                    p.carrier)));
      }
      serviceMessages(rng, records, p, d0, out);
    }
    for (Person c : population.byRole(ActorRole.COURIER)) {
      int n = rng.between(40, 80);
      for (int i = 0; i < n; i++) {
        Person customer = population.randomPerson(rng, c.jurisdiction, c);
        Instant t = sampleWithin(rng, c, d0, 8.5, 19.5);
        boolean answered = rng.chance(0.8);
        out.add(
            new SimEvent(
                answered
                    ? records.call(
                        c.party,
                        customer.party,
                        t,
                        rng.between(3, 15),
                        rng.between(8, 45),
                        CallOutcome.ANSWERED,
                        c.carrier)
                    : records.call(
                        c.party,
                        customer.party,
                        t,
                        rng.between(20, 40),
                        0,
                        rng.chance(0.75) ? CallOutcome.NO_ANSWER : CallOutcome.REJECTED,
                        c.carrier)));
      }
    }
    for (ActorRole role : List.of(ActorRole.SHOP, ActorRole.CLINIC)) {
      for (Person s : population.byRole(role)) {
        int n = rng.between(30, 90);
        double open = role == ActorRole.SHOP ? 9 : 8;
        double close = role == ActorRole.SHOP ? 21 : 17.5;
        for (int i = 0; i < n; i++) {
          Person customer = population.randomPerson(rng, s.jurisdiction, s);
          Instant t = sampleWithin(rng, s, d0, open, close);
          boolean answered = rng.chance(0.85);
          out.add(
              new SimEvent(
                  answered
                      ? records.call(
                          customer.party,
                          s.party,
                          t,
                          rng.between(2, 12),
                          (int)
                              Math.min(900, rng.logNormal(role == ActorRole.SHOP ? 60 : 120, 0.6)),
                          CallOutcome.ANSWERED,
                          customer.carrier)
                      : records.call(
                          customer.party,
                          s.party,
                          t,
                          rng.between(0, 30),
                          0,
                          rng.chance(0.5) ? CallOutcome.BUSY : CallOutcome.NO_ANSWER,
                          customer.carrier)));
        }
      }
    }
    for (Population.Outbound centre : population.callCentre) {
      int n = Math.min(150, Math.max(10, people.size() / 3));
      for (int i = 0; i < n; i++) {
        Person target = population.randomPerson(rng, centre.jurisdiction(), null);
        Instant t = sampleWithin(rng, target, d0, 9, 20);
        double r = rng.unit();
        CallOutcome o =
            r < 0.3
                ? CallOutcome.ANSWERED
                : r < 0.6
                    ? CallOutcome.REJECTED
                    : r < 0.9 ? CallOutcome.NO_ANSWER : CallOutcome.BUSY;
        out.add(
            new SimEvent(
                records.call(
                    centre.party(),
                    target.party,
                    t,
                    o == CallOutcome.NO_ANSWER ? rng.between(25, 45) : rng.between(2, 12),
                    o == CallOutcome.ANSWERED ? rng.between(10, 120) : 0,
                    o,
                    centre.carrier())));
      }
    }
    out.sort(java.util.Comparator.comparing(SimEvent::time));
    return out;
  }

  private void serviceMessages(Rng rng, Records records, Person p, Instant d0, List<SimEvent> out) {
    List<Population.Platform> platforms = population.platforms(p.jurisdiction);
    int otp = rng.poisson(0.35);
    for (int i = 0; i < otp; i++) {
      Population.Platform from = population.pickPlatform(rng, platforms);
      out.add(
          new SimEvent(
              records.sms(
                  from.sender(),
                  p.party,
                  sampleTime(rng, p, d0),
                  SmsCategory.OTP,
                  Texts.otp(rng, from.brand(), p.jurisdiction),
                  p.carrier)));
    }
    int notes = rng.poisson(0.25);
    for (int i = 0; i < notes; i++) {
      Population.Platform from = population.pickPlatform(rng, platforms);
      out.add(
          new SimEvent(
              records.sms(
                  from.sender(),
                  p.party,
                  sampleTime(rng, p, d0),
                  SmsCategory.NOTIFICATION,
                  Texts.notification(rng, from.brand(), p.jurisdiction),
                  p.carrier)));
    }
    int ads = rng.poisson(0.2);
    for (int i = 0; i < ads; i++) {
      Population.Platform from = population.pickPlatform(rng, platforms);
      out.add(
          new SimEvent(
              records.sms(
                  from.sender(),
                  p.party,
                  sampleWithin(rng, p, d0, 9, 20),
                  SmsCategory.MARKETING,
                  Texts.marketing(rng, from.brand(), p.jurisdiction),
                  p.carrier)));
    }
  }

  /** A call between people who know each other: rhythm, answer rate and durations. */
  static CallRecord personalCall(Rng rng, Records records, Person from, Person to, Instant t) {
    if (rng.chance(0.62)) {
      int talk = (int) Math.min(3 * 3600, Math.max(3, rng.logNormal(75, 0.95)));
      return records.call(
          from.party,
          to.party,
          t,
          (int) Math.min(30, Math.max(2, rng.logNormal(7, 0.5))),
          talk,
          CallOutcome.ANSWERED,
          from.carrier);
    }
    double r = rng.unit();
    if (r < 0.55) {
      return records.call(
          from.party, to.party, t, rng.between(25, 55), 0, CallOutcome.NO_ANSWER, from.carrier);
    } else if (r < 0.75) {
      return records.call(
          from.party, to.party, t, rng.between(2, 15), 0, CallOutcome.REJECTED, from.carrier);
    } else if (r < 0.85) {
      return records.call(from.party, to.party, t, 0, 0, CallOutcome.BUSY, from.carrier);
    }
    return records.call(
        from.party, to.party, t, rng.between(3, 20), 0, CallOutcome.CALLER_HANGUP, from.carrier);
  }

  /** A time on the UTC day from {@code d0}, drawn by the local hour-of-day rhythm of {@code p}. */
  static Instant sampleTime(Rng rng, Person p, Instant d0) {
    int offset = p.zone.getRules().getOffset(d0).getTotalSeconds();
    while (true) {
      long s = rng.below(86_400L);
      long local = Math.floorMod(d0.getEpochSecond() + s + offset, 86_400L);
      if (rng.unit() * HOURLY_MAX < HOURLY[(int) (local / 3600)]) {
        return d0.plusSeconds(s);
      }
    }
  }

  /** A time on the UTC day from {@code d0} within local hours {@code [from, to)} of {@code p}. */
  static Instant sampleWithin(Rng rng, Person p, Instant d0, double from, double to) {
    int offset = p.zone.getRules().getOffset(d0).getTotalSeconds();
    while (true) {
      long s = rng.below(86_400L);
      double local = Math.floorMod(d0.getEpochSecond() + s + offset, 86_400L) / 3600.0;
      if (local >= from && local < to) {
        return d0.plusSeconds(s);
      }
    }
  }

  /** Ids of every party that are phone numbers of labelled ordinary actors, for tests. */
  List<Party> actorParties(ActorRole role) {
    List<Party> out = new ArrayList<>();
    population.byRole(role).forEach(p -> out.add(p.party));
    return out;
  }

  static boolean isLender(SimEvent e) {
    return e.record() instanceof LenderEvent;
  }
}

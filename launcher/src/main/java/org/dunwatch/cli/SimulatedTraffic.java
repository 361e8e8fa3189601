package org.dunwatch.cli;

import java.time.Instant;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.avro.telecom.CallOutcome;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.avro.telecom.SmsRecord;
import org.dunwatch.producers.kafka.EventProducer;
import org.dunwatch.producers.sim.SimEvent;

/**
 * Sends simulated events to the three input topics, keyed as {@code Keys} says, with event time as
 * the record timestamp, at a given rate; counts what went where.
 *
 * <p>Numbers go as E.164 with no pseudonyms: they are synthetic, drawn for the simulation, and
 * belong to no one.
 */
final class SimulatedTraffic implements AutoCloseable {

  private final EventProducer<String, CallRecord> calls;
  private final EventProducer<String, SmsRecord> sms;
  private final EventProducer<String, LenderEvent> lender;
  private final Pacer pacer;
  private final Figures figures = new Figures();

  SimulatedTraffic(Cluster c, double rate) {
    this.calls =
        new EventProducer<>(c.topics().calls(), c.bootstrapServers(), c.clientProperties());
    this.sms = new EventProducer<>(c.topics().sms(), c.bootstrapServers(), c.clientProperties());
    this.lender =
        new EventProducer<>(c.topics().lender(), c.bootstrapServers(), c.clientProperties());
    this.pacer = new Pacer(rate);
  }

  void send(SimEvent e) throws InterruptedException {
    pacer.await();
    figures.count(e);
    if (e.record() instanceof CallRecord c) {
      calls.send(e.key(), c, e.time());
    } else if (e.record() instanceof SmsRecord s) {
      sms.send(e.key(), s, e.time());
    } else {
      lender.send(e.key(), (LenderEvent) e.record(), e.time());
    }
  }

  void flush() {
    calls.flush();
    sms.flush();
    lender.flush();
  }

  Figures figures() {
    return figures;
  }

  @Override
  public void close() {
    calls.close();
    sms.close();
    lender.close();
  }

  /** Holds a producer to {@code rate} events a second of wall-clock time; 0 is unpaced. */
  static final class Pacer {
    private final double rate;
    private final long started = System.nanoTime();
    private long count;

    Pacer(double rate) {
      this.rate = rate;
    }

    void await() throws InterruptedException {
      count++;
      if (rate <= 0) {
        return;
      }
      long due = started + (long) (count / rate * 1e9);
      long wait = due - System.nanoTime();
      if (wait > 1_000_000) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
    }
  }

  /** What a run produced, with the figures the README states for the simulated network. */
  static final class Figures {
    long calls;
    long answered;
    long talkSeconds;
    long messages;
    long lenderEvents;

    /** Of the first call or message: lender events at a world's start date back to old loans. */
    Instant firstTrafficTime;

    Instant lastEventTime;

    void count(SimEvent e) {
      if (firstTrafficTime == null && !(e.record() instanceof LenderEvent)) {
        firstTrafficTime = e.time();
      }
      lastEventTime = e.time();
      if (e.record() instanceof CallRecord c) {
        calls++;
        if (c.getOutcome() == CallOutcome.ANSWERED) {
          answered++;
          talkSeconds += c.getTalkSeconds();
        }
      } else if (e.record() instanceof SmsRecord) {
        messages++;
      } else {
        lenderEvents++;
      }
    }

    long events() {
      return calls + messages + lenderEvents;
    }

    String describe() {
      return String.format(
          "%d calls (answered %.0f%%, mean talk %.0f s), %d messages, %d lender events",
          calls,
          calls == 0 ? 0.0 : 100.0 * answered / calls,
          answered == 0 ? 0.0 : (double) talkSeconds / answered,
          messages,
          lenderEvents);
    }
  }

  /** {@code --rate}: events a second, or {@code max} for as fast as possible. */
  static double parseRate(String rate) {
    if (rate == null || rate.equalsIgnoreCase("max")) {
      return 0;
    }
    try {
      double r = Double.parseDouble(rate);
      if (r <= 0 || Double.isNaN(r) || Double.isInfinite(r)) {
        throw new NumberFormatException();
      }
      return r;
    } catch (NumberFormatException e) {
      throw new UserError("--rate must be events per second (e.g. 200) or max, got " + rate);
    }
  }
}

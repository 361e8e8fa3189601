package org.dunwatch.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.dunwatch.avro.common.Party;
import org.dunwatch.avro.common.PartyKind;
import org.dunwatch.avro.telecom.CallOutcome;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.avro.telecom.SmsCategory;
import org.dunwatch.avro.telecom.SmsRecord;

/**
 * Benchmark traffic: ordinary calls and messages among {@code subscribers} with heavy-tailed
 * activity, plus a call-bombing burst every {@code floodEvery} events so that alerts (and their
 * latency) exist. Deterministic for a seed; events come out in event-time order.
 *
 * <p>Not the simulated world of {@code dunwatch simulate}: this only has to load the pipeline the
 * way real traffic would (key spread, call/message mix, a few incidents), cheaply enough to make
 * millions of events in seconds.
 */
final class SyntheticTraffic {

  /** One generated event: a call or a message. */
  record Event(CallRecord call, SmsRecord sms) {
    Instant time() {
      return call != null ? call.getStartTime() : sms.getSentTime();
    }
  }

  private static final int FLOOD_CALLS = 20;

  private final SplittableRandom random;
  private final int subscribers;
  private final Duration step;
  private final Duration floodSpacing;
  private final long floodEvery;
  private final PriorityQueue<CallRecord> pendingFlood =
      new PriorityQueue<>((a, b) -> a.getStartTime().compareTo(b.getStartTime()));
  private Instant now;
  private long emitted;
  private long floods;

  /**
   * @param step event time between two ordinary events
   * @param floodSpacing event time between two calls of one flood
   */
  SyntheticTraffic(
      long seed,
      int subscribers,
      Instant start,
      Duration step,
      Duration floodSpacing,
      long floodEvery) {
    this.random = new SplittableRandom(seed);
    this.subscribers = subscribers;
    this.now = start;
    this.step = step;
    this.floodSpacing = floodSpacing;
    this.floodEvery = floodEvery;
  }

  long floods() {
    return floods;
  }

  /** The next event; its time never goes backwards. */
  Event next() {
    if (!pendingFlood.isEmpty() && !pendingFlood.peek().getStartTime().isAfter(now)) {
      return new Event(pendingFlood.poll(), null);
    }
    emitted++;
    now = now.plus(step);
    if (floodEvery > 0 && emitted % floodEvery == 0) {
      startFlood();
    }
    if (random.nextInt(100) < 20) {
      return new Event(null, sms());
    }
    return new Event(call(), null);
  }

  /** Like {@link #next()} but stamped with {@code time}, for live load at wall-clock time. */
  Event nextAt(Instant time) {
    now = time;
    return next();
  }

  private void startFlood() {
    floods++;
    String victim = number(random.nextInt(subscribers));
    Instant t = now;
    for (int i = 0; i < FLOOD_CALLS; i++) {
      String caller = "+86170" + String.format("%08d", random.nextInt(100_000_000));
      pendingFlood.add(
          call("f" + floods + "-" + i, caller, victim, t, 2, 0, CallOutcome.CALLER_HANGUP));
      t = t.plus(floodSpacing);
    }
  }

  private CallRecord call() {
    // heavy-tailed: a few subscribers make and take most calls
    int a = skewed();
    int b = skewed();
    if (a == b) {
      b = (b + 1) % subscribers;
    }
    boolean answered = random.nextInt(100) < 60;
    return call(
        "c" + emitted,
        number(a),
        number(b),
        now,
        2 + random.nextInt(20),
        answered ? 10 + random.nextInt(300) : 0,
        answered ? CallOutcome.ANSWERED : CallOutcome.NO_ANSWER);
  }

  private SmsRecord sms() {
    boolean otp = random.nextInt(100) < 40;
    return SmsRecord.newBuilder()
        .setMessageId("m" + emitted)
        .setCarrier("CMCC")
        .setSender(
            otp
                ? new Party("1069" + (8000 + random.nextInt(50)), PartyKind.SENDER_ID, null, null)
                : party(number(skewed())))
        .setRecipient(party(number(skewed())))
        .setSentTime(now)
        .setCategory(otp ? SmsCategory.OTP : SmsCategory.PERSONAL)
        .setBody(otp ? "您的验证码是" + (100000 + random.nextInt(900000)) : "ok")
        .build();
  }

  private int skewed() {
    // squaring a uniform draw puts more weight on low indexes: a rough heavy tail
    double u = random.nextDouble();
    return (int) (u * u * subscribers);
  }

  private static String number(int i) {
    return "+86138" + String.format("%08d", i);
  }

  private static Party party(String e164) {
    return new Party(e164, PartyKind.E164, "CN", "Asia/Shanghai");
  }

  private static CallRecord call(
      String id, String from, String to, Instant at, int ring, int talk, CallOutcome outcome) {
    return CallRecord.newBuilder()
        .setCallId(id)
        .setCarrier("CMCC")
        .setCaller(party(from))
        .setCallee(party(to))
        .setStartTime(at)
        .setRingSeconds(ring)
        .setTalkSeconds(talk)
        .setOutcome(outcome)
        .build();
  }
}

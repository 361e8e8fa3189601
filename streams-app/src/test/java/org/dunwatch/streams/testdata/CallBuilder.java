package org.dunwatch.streams.testdata;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dunwatch.avro.common.Party;
import org.dunwatch.avro.common.PartyKind;
import org.dunwatch.avro.telecom.CallOutcome;
import org.dunwatch.avro.telecom.CallRecord;

/**
 * Readable call records for tests: {@code call(FROM, TO).at(T0.plusMinutes(3)).ringOnly()}.
 *
 * <p>Numbers are Chinese mobiles in E.164 with region CN, unless told otherwise. A call id defaults
 * to {@code caller>callee@time}, so the same call built twice has the same id and an expected
 * evidence list can be written from the calls sent.
 */
public final class CallBuilder {

  /** A Monday morning, Beijing time 17:00. */
  public static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  public static final String VICTIM = "+8618812345678";

  private final String caller;
  private final String callee;
  private Instant at = T0;
  private String callId;
  private String calleeRegion = "CN";
  private CallOutcome outcome = CallOutcome.CALLER_HANGUP;
  private int ringSeconds = 2;
  private int talkSeconds;

  private CallBuilder(String caller, String callee) {
    this.caller = Objects.requireNonNull(caller);
    this.callee = Objects.requireNonNull(callee);
  }

  public static CallBuilder call(String caller, String callee) {
    return new CallBuilder(caller, callee);
  }

  /** For {@code T0.plus(minutes(3))}. */
  public static Duration minutes(long minutes) {
    return Duration.ofMinutes(minutes);
  }

  /** The {@code i}-th of a pool of rotating caller numbers, {@code +8617000000001} for 1. */
  public static String number(int i) {
    return String.format("+86170000%05d", i);
  }

  /**
   * A flood on {@link #VICTIM}: {@code count} calls starting at {@code start}, alternating gaps of
   * 3 and 4 minutes, from {@code rotating} numbers in turn; every call rings briefly and the caller
   * hangs up.
   */
  public static List<CallBuilder> floodEvery3To4Minutes(Instant start, int count, int rotating) {
    List<CallBuilder> calls = new ArrayList<>();
    Instant t = start;
    for (int i = 0; i < count; i++) {
      calls.add(call(number(i % rotating), VICTIM).at(t).ringOnly());
      t = t.plus(Duration.ofMinutes(i % 2 == 0 ? 3 : 4));
    }
    return calls;
  }

  public CallBuilder at(Instant time) {
    this.at = time;
    return this;
  }

  public CallBuilder id(String id) {
    this.callId = id;
    return this;
  }

  public CallBuilder calleeRegion(String region) {
    this.calleeRegion = region;
    return this;
  }

  /** Rang for 2 s, and the caller hung up: the call-bombing pattern. */
  public CallBuilder ringOnly() {
    return outcome(CallOutcome.CALLER_HANGUP, 2, 0);
  }

  public CallBuilder rejected() {
    return outcome(CallOutcome.REJECTED, 4, 0);
  }

  public CallBuilder unanswered() {
    return outcome(CallOutcome.NO_ANSWER, 30, 0);
  }

  public CallBuilder busy() {
    return outcome(CallOutcome.BUSY, 0, 0);
  }

  public CallBuilder answered(int talkSeconds) {
    return outcome(CallOutcome.ANSWERED, 6, talkSeconds);
  }

  private CallBuilder outcome(CallOutcome outcome, int ringSeconds, int talkSeconds) {
    this.outcome = outcome;
    this.ringSeconds = ringSeconds;
    this.talkSeconds = talkSeconds;
    return this;
  }

  public Instant time() {
    return at;
  }

  public String callee() {
    return callee;
  }

  public String caller() {
    return caller;
  }

  public String callId() {
    return callId != null ? callId : caller + ">" + callee + "@" + at;
  }

  public CallRecord build() {
    return CallRecord.newBuilder()
        .setCallId(callId())
        .setCarrier("CMCC")
        .setCaller(new Party(caller, PartyKind.E164, "CN", "Asia/Shanghai"))
        .setCallee(new Party(callee, PartyKind.E164, calleeRegion, "Asia/Shanghai"))
        .setStartTime(at)
        .setRingSeconds(ringSeconds)
        .setTalkSeconds(talkSeconds)
        .setOutcome(outcome)
        .build();
  }
}

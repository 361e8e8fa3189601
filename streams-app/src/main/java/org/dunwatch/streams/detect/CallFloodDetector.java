package org.dunwatch.streams.detect;

import java.time.Duration;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.telecom.CallOutcome;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.streams.rules.CallFloodRule;
import org.dunwatch.streams.state.AvroStateSerde;
import org.dunwatch.streams.state.CallFloodState;

/**
 * CALL_FLOOD (call bombing, 呼死你): one person receiving short calls at a harassing rate, from one
 * number or many rotating ones.
 *
 * <p>A call is short when it was not answered, busy, rejected, hung up by the caller, or answered
 * with at most {@code shortTalkSeconds} of talk. A victim is flooded when, in any sliding window of
 * event time, it receives at least {@code shortCallsPerHour} short calls in 1 h, {@code
 * shortCallsPerDay} in 24 h, or {@code pairCallsPerHour} short calls from one caller in 1 h. Long
 * answered calls never count toward a threshold; they do count in {@code short_call_ratio}.
 *
 * <p>One alert opens an incident; the same {@code alert_id} is re-issued with the next revision
 * only when the incident grows (severity rises, or the count reaches {@code regrowthFactor} times
 * the last alerted one, see {@link CallFloodSeverity}). After {@code quietPeriod} without a short
 * call the incident ends and its calls stop counting; the next flood is a new incident.
 *
 * <p>The Processor API rather than the DSL: windowed counts cannot re-issue per incident, name the
 * top caller or carry the call ids, and one sorted list per victim answers every rule at once. The
 * input is keyed by callee, so this needs no repartition.
 */
public final class CallFloodDetector {

  /** Per victim (callee id): its recent calls and open incident, {@link CallFloodState}. */
  public static final String STORE = "call-flood-state";

  public static final String PROCESSOR = "call-flood";

  /**
   * How often, in stream time, idle victims are purged from {@link #STORE}: each purge reads every
   * victim's state. Victims are kept a day and the quiet period (30 h by default) after their last
   * call, so every 3 h keeps one at most a tenth longer; every 30 min was 5 % of the stream
   * thread's samples when a world was replayed at full speed (JFR, bench).
   */
  public static final Duration PURGE_INTERVAL = Duration.ofHours(3);

  /** The grace assumed by {@link #addTo(StreamsBuilder, KStream, CallFloodRule)}. */
  public static final Duration DEFAULT_GRACE = Duration.ofHours(1);

  private CallFloodDetector() {}

  /**
   * As {@link #addTo(StreamsBuilder, KStream, CallFloodRule, Duration)} with {@link
   * #DEFAULT_GRACE}.
   */
  public static KStream<String, Alert> addTo(
      StreamsBuilder builder, KStream<String, CallRecord> calls, CallFloodRule rule) {
    return addTo(builder, calls, rule, DEFAULT_GRACE);
  }

  /**
   * Adds the detector and its state store to {@code builder}.
   *
   * @param calls decoded, on-time calls keyed by callee id, timestamped with their start time
   * @param grace how late a call may still arrive (enforced upstream); calls are kept long enough
   *     for a call this late to be measured against the whole day before it
   * @return alerts keyed by the victim (callee id)
   */
  public static KStream<String, Alert> addTo(
      StreamsBuilder builder,
      KStream<String, CallRecord> calls,
      CallFloodRule rule,
      Duration grace) {
    Objects.requireNonNull(rule, "rule");
    if (grace == null || grace.isNegative()) {
      throw new IllegalArgumentException("grace must be a non-negative duration, got " + grace);
    }
    builder.addStateStore(storeBuilder());
    return calls.process(() -> new CallFloodProcessor(rule, grace), Named.as(PROCESSOR), STORE);
  }

  static StoreBuilder<KeyValueStore<String, CallFloodState>> storeBuilder() {
    // caching: every call is a read-modify-write of the victim's list; the cache absorbs the
    // repeated writes of a flooded victim between commits
    return Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(STORE),
            Serdes.String(),
            AvroStateSerde.of(CallFloodState.class))
        .withCachingEnabled();
  }

  /** Ended while ringing, was refused, or was answered with at most {@code shortTalkSeconds}. */
  /**
   * Hung up within seconds: the caller hung up while it rang or at once after answer, or the callee
   * rejected it. A call that rang out or found the line busy is short but not hung up: a shop's
   * unanswered customers are those, a bomber's calls are not.
   */
  public static boolean isHungUp(CallRecord call, int shortTalkSeconds) {
    return switch (call.getOutcome()) {
      case CALLER_HANGUP, REJECTED -> true;
      case ANSWERED -> call.getTalkSeconds() <= shortTalkSeconds;
      default -> false;
    };
  }

  public static boolean isShort(CallRecord call, int shortTalkSeconds) {
    return call.getOutcome() != CallOutcome.ANSWERED || call.getTalkSeconds() <= shortTalkSeconds;
  }
}

package org.dunwatch.streams.behaviour;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.dunwatch.avro.telecom.CallOutcome;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.streams.state.AvroStateSerde;
import org.dunwatch.streams.state.CircleState;
import org.dunwatch.streams.state.StorePurge;
import org.dunwatch.streams.state.Tie;

/**
 * The social graph: per number, its circle, the numbers it had real contact with (an answered call
 * either way, or repeated calls) over the last {@code circleWindow}, at most {@code circleTopK}
 * ties, strongest first.
 *
 * <p>Calls are keyed by callee, so the callee's side of each call is folded where it arrives; the
 * caller's side goes through the named repartition topic {@link #BY_CALLER} and is folded into the
 * same store {@link #STORE}, which therefore holds both sides of every number's calls.
 *
 * <p>A tie's strength is 2 per answered call with talk and 1 per other call; it is renewed, not
 * decayed: a tie with no call for {@code circleWindow} is forgotten (and starts again from 0).
 * Beyond {@code circleTopK} the weakest (then the least recent) tie is dropped.
 */
public final class Circles {

  /** Per number: {@link CircleState}. */
  public static final String STORE = "circle-state";

  /** Internal topic: calls keyed by caller, for the caller's side of the circle. */
  public static final String BY_CALLER = "calls-by-caller";

  public static final String CALLER_KEY = "circle-caller-key";
  public static final String CALLER_PROCESSOR = "circle-caller";

  /**
   * How often, in stream time, numbers whose every tie is older than the circle window are deleted
   * from {@link #STORE}: without it the store keeps every number that ever called or was called.
   */
  static final Duration PURGE_INTERVAL = Duration.ofDays(1);

  private Circles() {}

  static StoreBuilder<KeyValueStore<String, CircleState>> storeBuilder() {
    return Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(STORE),
            Serdes.String(),
            AvroStateSerde.of(CircleState.class))
        .withCachingEnabled();
  }

  static int weight(CallRecord call) {
    return call.getOutcome() == CallOutcome.ANSWERED && call.getTalkSeconds() > 0 ? 2 : 1;
  }

  /** Adds one call with {@code other} to {@code owner}'s circle. */
  static void record(
      KeyValueStore<String, CircleState> store,
      FanOutRule rule,
      String owner,
      String other,
      int weight,
      long t) {
    if (owner.equals(other)) {
      return;
    }
    CircleState state = store.get(owner);
    List<Tie> ties = state == null ? new ArrayList<>() : new ArrayList<>(state.getTies());
    long horizon = t - rule.circleWindow().toMillis();
    ties.removeIf(x -> x.getLastTime() < horizon);
    Tie tie = ties.stream().filter(x -> x.getNumber().equals(other)).findFirst().orElse(null);
    if (tie == null) {
      ties.add(new Tie(other, weight, t));
    } else {
      tie.setStrength(tie.getStrength() + weight);
      tie.setLastTime(Math.max(tie.getLastTime(), t));
    }
    ties.sort(
        Comparator.comparingInt(Tie::getStrength)
            .thenComparingLong(Tie::getLastTime)
            .reversed()
            .thenComparing(Tie::getNumber));
    if (ties.size() > rule.circleTopK()) {
      ties.subList(rule.circleTopK(), ties.size()).clear();
    }
    store.put(owner, new CircleState(ties));
  }

  /** The ties of {@code state} that are real contact at {@code t}. */
  static List<Tie> circleAt(CircleState state, FanOutRule rule, long t) {
    if (state == null) {
      return List.of();
    }
    long horizon = t - rule.circleWindow().toMillis();
    return state.getTies().stream()
        .filter(x -> x.getLastTime() >= horizon && x.getStrength() >= rule.minStrength())
        .toList();
  }

  /**
   * How many numbers {@code owner} was in touch with over the circle window, {@code other}
   * included: every tie, whatever its strength (at most {@code circle.top_k} plus one).
   */
  static int contacts(CircleState state, FanOutRule rule, String other, long t) {
    if (state == null) {
      return 1;
    }
    long horizon = t - rule.circleWindow().toMillis();
    int n = 0;
    boolean withOther = false;
    for (Tie x : state.getTies()) {
      if (x.getLastTime() >= horizon) {
        n++;
        withOther |= x.getNumber().equals(other);
      }
    }
    return withOther ? n : n + 1;
  }

  /** No tie of {@code state} is within the circle window at {@code t}: the circle is empty. */
  static boolean forgotten(CircleState state, FanOutRule rule, long t) {
    long horizon = t - rule.circleWindow().toMillis();
    return state.getTies().stream().allMatch(x -> x.getLastTime() < horizon);
  }

  static boolean inCircle(CircleState state, FanOutRule rule, String number, long t) {
    return circleAt(state, rule, t).stream().anyMatch(x -> x.getNumber().equals(number));
  }

  /** Folds the caller's side of calls re-keyed by caller. */
  static final class CallerSide implements Processor<String, CallRecord, Void, Void> {
    private final FanOutRule rule;
    private KeyValueStore<String, CircleState> store;

    CallerSide(FanOutRule rule) {
      this.rule = rule;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      store = context.getStateStore(STORE);
      // the callee's side writes the same store in the same task: one purge serves both
      context.schedule(PURGE_INTERVAL, PunctuationType.STREAM_TIME, this::purgeForgotten);
    }

    private void purgeForgotten(long streamTime) {
      StorePurge.deleteWhere(store, s -> forgotten(s, rule, streamTime));
    }

    @Override
    public void process(Record<String, CallRecord> record) {
      CallRecord call = record.value();
      if (call == null || record.key() == null || call.getCallee() == null) {
        return;
      }
      Circles.record(
          store, rule, record.key(), call.getCallee().getId(), weight(call), record.timestamp());
    }
  }
}

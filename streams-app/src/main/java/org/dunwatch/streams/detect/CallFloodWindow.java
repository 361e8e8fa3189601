package org.dunwatch.streams.detect;

import java.util.List;
import org.dunwatch.streams.state.FloodRuleKind;
import org.dunwatch.streams.state.TrackedCall;

/**
 * One measured sliding window of a CALL_FLOOD rule: {@code [start, end]}, both ends inclusive (two
 * calls are in one window when their times differ by at most its length, as in Kafka Streams'
 * sliding windows).
 *
 * @param kind the rule measured
 * @param start window start, epoch ms
 * @param end window end, epoch ms: the time of a counted call
 * @param count counted calls in the window (short calls; for the pair rule only those of {@code
 *     caller})
 * @param firstCounted time of the earliest counted call in the window
 * @param caller the one caller of the pair rule, or null for the victim rules
 */
record CallFloodWindow(
    FloodRuleKind kind, long start, long end, int count, long firstCounted, String caller) {

  /**
   * The busiest window of {@code lengthMs} that contains {@code time}: the one with the most
   * counted calls, the latest on a tie. Only windows ending at a counted call are candidates, which
   * loses nothing: any window containing {@code time} can slide left until its end meets a counted
   * call at or after {@code time} without dropping one. With records in order the only candidate
   * ends at {@code time} itself, i.e. the hour (or day) up to the new call.
   *
   * @param calls sorted by time
   * @param caller count only this caller's calls, or null for every caller
   * @return null when no counted call lies in {@code [time, time + lengthMs]}
   */
  static CallFloodWindow busiest(
      FloodRuleKind kind, List<TrackedCall> calls, long time, long lengthMs, String caller) {
    long[] times =
        calls.stream()
            .filter(c -> c.getShortCall() && (caller == null || caller.equals(c.getCaller())))
            .mapToLong(TrackedCall::getTime)
            .toArray();
    CallFloodWindow best = null;
    int lo = 0;
    for (int hi = 0; hi < times.length; hi++) {
      long end = times[hi];
      if (end > time + lengthMs) {
        break;
      }
      while (times[lo] < end - lengthMs) {
        lo++;
      }
      if (end < time) {
        continue;
      }
      int count = hi - lo + 1;
      // >= : on a tie the later window wins, and among equal ends the one counting them all
      if (best == null || count >= best.count) {
        best = new CallFloodWindow(kind, end - lengthMs, end, count, times[lo], caller);
      }
    }
    return best;
  }

  boolean contains(long t) {
    return t >= start && t <= end;
  }

  /**
   * The busiest window of {@code lengthMs} containing {@code time} for the early rule: calls hung
   * up within seconds ({@link CallFloodDetector#isHungUp}) from callers with no tie to the victim
   * (no long answered call among {@code calls}), and only windows with calls from at least {@code
   * minCallers} of them.
   *
   * @return null when no such window reaches {@code minCallers}
   */
  static CallFloodWindow early(List<TrackedCall> calls, long time, long lengthMs, int minCallers) {
    java.util.Set<String> tied = new java.util.HashSet<>();
    for (TrackedCall c : calls) {
      if (!c.getShortCall()) {
        tied.add(c.getCaller());
      }
    }
    List<TrackedCall> counted =
        calls.stream().filter(c -> c.getHungUp() && !tied.contains(c.getCaller())).toList();
    CallFloodWindow best = null;
    int lo = 0;
    for (int hi = 0; hi < counted.size(); hi++) {
      long end = counted.get(hi).getTime();
      if (end > time + lengthMs) {
        break;
      }
      while (counted.get(lo).getTime() < end - lengthMs) {
        lo++;
      }
      if (end < time) {
        continue;
      }
      java.util.Set<String> callers = new java.util.HashSet<>();
      for (int i = lo; i <= hi; i++) {
        callers.add(counted.get(i).getCaller());
      }
      int count = hi - lo + 1;
      if (callers.size() >= minCallers && (best == null || count >= best.count)) {
        best =
            new CallFloodWindow(
                FloodRuleKind.VICTIM_EARLY,
                end - lengthMs,
                end,
                count,
                counted.get(lo).getTime(),
                null);
      }
    }
    return best;
  }
}

package org.dunwatch.streams.datatrade;

import java.util.ArrayList;
import java.util.List;
import org.dunwatch.streams.state.DataTradeCounts;
import org.dunwatch.streams.state.DayCount;

/**
 * Counts per day of event time, kept for a window: a count over two weeks is at most 15 numbers per
 * key, however many events it counts. A running total (no days) is stored as the one bucket {@link
 * #TOTAL_DAY}.
 */
final class DayCounts {

  static final long DAY_MS = 86_400_000L;

  /** The bucket of a running total, never purged by day. */
  static final long TOTAL_DAY = -1;

  private DayCounts() {}

  /**
   * {@code counts} (null: none) with {@code delta} added on the day of {@code t}, days older than
   * the window before {@code t} dropped.
   */
  static DataTradeCounts add(DataTradeCounts counts, long t, long delta, long windowMs) {
    long day = Math.floorDiv(t, DAY_MS);
    long oldest = Math.floorDiv(t - windowMs, DAY_MS);
    List<DayCount> days = new ArrayList<>();
    boolean added = false;
    if (counts != null) {
      for (DayCount d : counts.getDays()) {
        if (d.getDay() == day) {
          days.add(new DayCount(day, d.getCount() + delta));
          added = true;
        } else if (d.getDay() >= oldest) {
          days.add(d);
        }
      }
    }
    if (!added) {
      days.add(new DayCount(day, delta));
      days.sort(java.util.Comparator.comparingLong(DayCount::getDay));
    }
    return new DataTradeCounts(days);
  }

  /** The sum of the counts from {@code fromMs}'s day on; the whole when {@code fromMs} is MIN. */
  static long sumSince(DataTradeCounts counts, long fromMs) {
    if (counts == null) {
      return 0;
    }
    long from = fromMs == Long.MIN_VALUE ? Long.MIN_VALUE : Math.floorDiv(fromMs, DAY_MS);
    long sum = 0;
    for (DayCount d : counts.getDays()) {
      if (d.getDay() >= from) {
        sum += d.getCount();
      }
    }
    return sum;
  }

  static long total(DataTradeCounts counts) {
    return sumSince(counts, Long.MIN_VALUE);
  }

  /** A running total moved by {@code delta}. */
  static DataTradeCounts total(DataTradeCounts counts, long delta) {
    return new DataTradeCounts(List.of(new DayCount(TOTAL_DAY, total(counts) + delta)));
  }

  static boolean isTotal(DataTradeCounts counts) {
    return counts.getDays().size() == 1 && counts.getDays().get(0).getDay() == TOTAL_DAY;
  }

  /** The days from {@code fromMs}'s day on; the same instance when none is older. */
  static DataTradeCounts since(DataTradeCounts counts, long fromMs) {
    if (isTotal(counts)) {
      return counts;
    }
    long from = Math.floorDiv(fromMs, DAY_MS);
    List<DayCount> kept = counts.getDays().stream().filter(d -> d.getDay() >= from).toList();
    return kept.size() == counts.getDays().size() ? counts : new DataTradeCounts(kept);
  }
}

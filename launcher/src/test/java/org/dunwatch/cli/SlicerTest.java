package org.dunwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlicerTest {

  static final Instant T0 = Instant.parse("2024-07-26T00:00:00Z");

  /** Indexes of the events before which a run waits. */
  private static List<Integer> cuts(Slicer s, List<Instant> times) {
    List<Integer> cuts = new ArrayList<>();
    for (int i = 0; i < times.size(); i++) {
      if (s.closesBefore(times.get(i))) {
        cuts.add(i);
      }
    }
    return cuts;
  }

  private static List<Instant> everyMinutes(int count, int minutes) {
    List<Instant> times = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      times.add(T0.plus(Duration.ofMinutes((long) i * minutes)));
    }
    return times;
  }

  @Test
  void shouldCloseASliceAtTheFirstEventASpanAfterTheSlicesFirst() {
    // one event a minute, slices of an hour: cuts before 01:00, 02:00, 03:00
    List<Instant> times = everyMinutes(200, 1);

    assertEquals(List.of(60, 120, 180), cuts(new Slicer(Duration.ofHours(1), 1), times));
  }

  @Test
  void shouldKeepASliceOpenUntilItHoldsTheMinimumNumberOfEvents() {
    // one event an hour: a slice per event without the minimum, every 100 events with it
    List<Instant> times = everyMinutes(250, 60);

    assertEquals(List.of(100, 200), cuts(new Slicer(Duration.ofHours(1), 100), times));
  }

  @Test
  void shouldOpenTheNextSliceAtTheEventThatClosedTheLast() {
    // a gap of a day: the slice after it starts at the event after the gap, not at midnight
    List<Instant> times = new ArrayList<>(everyMinutes(3, 1));
    Instant later = T0.plus(Duration.ofDays(1));
    times.add(later);
    times.add(later.plus(Duration.ofMinutes(59)));
    times.add(later.plus(Duration.ofMinutes(60)));

    assertEquals(List.of(3, 5), cuts(new Slicer(Duration.ofHours(1), 1), times));
  }

  @Test
  void shouldRefuseASliceOfNoEventTime() {
    assertThrows(IllegalArgumentException.class, () -> new Slicer(Duration.ZERO, 1));
  }
}

package org.dunwatch.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Cuts a world, in event-time order, into slices for {@link WorldRun}: a slice closes at the first
 * event at least {@code span} of event time after the slice's first, once it holds {@code
 * minEvents} (so a sparse stretch, such as loans opened months before the world starts, is not a
 * slice per event).
 *
 * <p>Why: a world produced all at once is caught up at full speed, and the tasks of one stream
 * thread are given equal numbers of records, not equal stretches of event time. A task whose
 * partitions are denser (a flood lands on one partition) falls hours of event time behind the
 * others, and what it sends through the repartition topics reaches the others after they have
 * judged later calls without it. Holding the producer one slice ahead of what is processed bounds
 * that skew to about two slices, as the wall clock does on a live network.
 */
final class Slicer {

  private final Duration span;
  private final int minEvents;
  private Instant end;
  private long events;

  Slicer(Duration span, int minEvents) {
    this.span = Objects.requireNonNull(span, "span");
    if (span.isNegative() || span.isZero()) {
      throw new IllegalArgumentException("a slice must span some event time, got " + span);
    }
    this.minEvents = minEvents;
  }

  /**
   * Called for each event before it is sent, in event-time order: true when the slice so far is
   * complete, so that the run waits before sending this event, which opens the next slice.
   */
  boolean closesBefore(Instant eventTime) {
    boolean closes = end != null && !eventTime.isBefore(end) && events >= minEvents;
    if (closes) {
      end = null;
      events = 0;
    }
    if (end == null) {
      end = eventTime.plus(span);
    }
    events++;
    return closes;
  }
}

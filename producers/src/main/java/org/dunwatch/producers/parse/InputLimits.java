package org.dunwatch.producers.parse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What a producer accepts from an input line beyond its syntax: event times Kafka can store and
 * that are plausible, and text fields of bounded length.
 *
 * <p>Kafka refuses a timestamp before 1970 or more than the broker's {@code
 * message.timestamp.after.max.ms} (one hour in Kafka 4) ahead of its clock, and such a record fails
 * the whole batch it travels in; an event time past a {@code long} of milliseconds cannot be sent
 * at all. Those are checked here, on the line, where they can be reported with its number. The
 * plausibility window narrows that further: an event before {@code earliest} or more than {@code
 * maxAhead} ahead of this machine's clock is a typo or a broken clock, not an event, and would
 * carry the streams app's stream time with it.
 *
 * @param earliest the earliest event time accepted (default {@link #DEFAULT_EARLIEST})
 * @param maxAhead how far ahead of the clock an event time may be (default {@link
 *     #DEFAULT_MAX_AHEAD}); keep it below the broker's {@code message.timestamp.after.max.ms}
 * @param clock the clock {@code maxAhead} is measured from
 * @param maxFieldChars longest id, carrier, enum or number field accepted, in chars
 * @param maxBodyChars longest message body accepted, in chars
 */
public record InputLimits(
    Instant earliest, Duration maxAhead, Clock clock, int maxFieldChars, int maxBodyChars) {

  /** Before any digital CDR archive anyone replays; a year 0024 or 1924 is a typo. */
  public static final Instant DEFAULT_EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

  /** Clock skew between a switch and this machine, well inside Kafka's one hour. */
  public static final Duration DEFAULT_MAX_AHEAD = Duration.ofMinutes(15);

  /** Ids, carriers and numbers are short; 256 leaves room for any real one. */
  public static final int DEFAULT_MAX_FIELD_CHARS = 256;

  /** A long concatenated SMS is about 10 segments of 70-160 chars. */
  public static final int DEFAULT_MAX_BODY_CHARS = 2000;

  public static final InputLimits DEFAULT =
      new InputLimits(
          DEFAULT_EARLIEST,
          DEFAULT_MAX_AHEAD,
          Clock.systemUTC(),
          DEFAULT_MAX_FIELD_CHARS,
          DEFAULT_MAX_BODY_CHARS);

  public InputLimits {
    Objects.requireNonNull(earliest, "earliest");
    Objects.requireNonNull(maxAhead, "maxAhead");
    Objects.requireNonNull(clock, "clock");
    if (earliest.toEpochMilli() < 0) {
      throw new IllegalArgumentException(
          "earliest event time " + earliest + " is before 1970, which Kafka cannot store");
    }
    if (maxAhead.isNegative()) {
      throw new IllegalArgumentException("max ahead must not be negative, got " + maxAhead);
    }
    if (maxFieldChars < 1 || maxBodyChars < 1) {
      throw new IllegalArgumentException("field caps must be positive");
    }
  }

  public InputLimits withEarliest(Instant earliest) {
    return new InputLimits(earliest, maxAhead, clock, maxFieldChars, maxBodyChars);
  }

  public InputLimits withMaxAhead(Duration maxAhead) {
    return new InputLimits(earliest, maxAhead, clock, maxFieldChars, maxBodyChars);
  }

  public InputLimits withClock(Clock clock) {
    return new InputLimits(earliest, maxAhead, clock, maxFieldChars, maxBodyChars);
  }

  /**
   * Why an event time cannot be used, or {@code null} when it can.
   *
   * @param time a parsed instant (any the ISO parser accepts, years ±999999999 included)
   */
  public String judge(Instant time) {
    long millis;
    try {
      millis = time.toEpochMilli();
    } catch (ArithmeticException e) {
      return "is beyond what Kafka can store (milliseconds overflow a long)";
    }
    if (millis < 0) {
      return "is before 1970, which Kafka cannot store";
    }
    if (time.isBefore(earliest)) {
      return "is before the earliest accepted event time " + earliest + " (--earliest)";
    }
    Instant latest = clock.instant().plus(maxAhead);
    if (time.isAfter(latest)) {
      return "is more than " + maxAhead + " ahead of this machine's clock (--max-ahead)";
    }
    return null;
  }
}

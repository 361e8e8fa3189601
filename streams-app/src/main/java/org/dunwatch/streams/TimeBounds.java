package org.dunwatch.streams;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;

/**
 * How far ahead an input record's event time may be before it is taken for a typo or a broken clock
 * rather than an event: ahead of its partition's stream time, or ahead of the wall clock.
 *
 * <p>Stream time only moves forward. One record dated hours ahead would move it there, and every
 * true record after it would be later than the grace period and lost to the detectors (issue 17:
 * 126 valid calls dead-lettered as late behind three outliers). A record past either bound
 * therefore neither moves stream time ({@link PlausibleTimestampExtractor}) nor reaches a detector:
 * it goes to the dead-letter topic with {@code stage=timestamp} ({@link DecodeProcessor}).
 *
 * <p>The bound on stream time cannot tell an outlier from a quiet partition that resumes after a
 * gap longer than the bound; the default, 45 days, lets a small file with weeks between its calls
 * through and still stops a year or a month mistyped; a busy live feed can take hours (a telecom
 * partition is never quiet that long), and the lender topic, whose events of one loan come days
 * apart, is judged by the wall clock only.
 *
 * @param aheadOfStreamTime how far ahead of its partition's stream time a telecom record may be
 * @param aheadOfWallClock how far ahead of the wall clock any record may be
 */
public record TimeBounds(Duration aheadOfStreamTime, Duration aheadOfWallClock) {

  /** Environment variable overriding {@link #aheadOfStreamTime} (ISO-8601 duration). */
  public static final String AHEAD_OF_STREAM_TIME_ENV = "DUNWATCH_MAX_AHEAD_OF_STREAM_TIME";

  /** Environment variable overriding {@link #aheadOfWallClock} (ISO-8601 duration). */
  public static final String AHEAD_OF_WALL_CLOCK_ENV = "DUNWATCH_MAX_AHEAD_OF_WALL_CLOCK";

  /** 45 days ahead of stream time; an hour ahead of the clock, Kafka 4's own limit on appends. */
  public static final TimeBounds DEFAULT = new TimeBounds(Duration.ofDays(45), Duration.ofHours(1));

  /** No bound at all: what the topology did before these checks. */
  public static final TimeBounds NONE =
      new TimeBounds(Duration.ofMillis(Long.MAX_VALUE), Duration.ofMillis(Long.MAX_VALUE));

  public TimeBounds {
    Objects.requireNonNull(aheadOfStreamTime, "aheadOfStreamTime");
    Objects.requireNonNull(aheadOfWallClock, "aheadOfWallClock");
    if (aheadOfStreamTime.isNegative() || aheadOfWallClock.isNegative()) {
      throw new IllegalArgumentException("time bounds must not be negative");
    }
  }

  /**
   * The defaults with the environment's overrides.
   *
   * @throws IllegalArgumentException when a variable is not an ISO-8601 duration
   */
  public static TimeBounds fromEnvironment(Map<String, String> env) {
    return new TimeBounds(
        duration(env, AHEAD_OF_STREAM_TIME_ENV, DEFAULT.aheadOfStreamTime),
        duration(env, AHEAD_OF_WALL_CLOCK_ENV, DEFAULT.aheadOfWallClock));
  }

  private static Duration duration(Map<String, String> env, String name, Duration fallback) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return Duration.parse(v.strip());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(name + " must be an ISO-8601 duration such as P1D");
    }
  }

  /** {@code a + b}, capped at {@code Long.MAX_VALUE} instead of wrapping round. */
  static long plus(long a, Duration b) {
    long d = b.toMillis();
    return a > Long.MAX_VALUE - d ? Long.MAX_VALUE : a + d;
  }

  /**
   * Why an event time is implausible, or {@code null} when it is not.
   *
   * @param streamTime the partition's stream time, negative when none is known yet
   * @param judgeStreamTime whether the bound on stream time applies (not on the lender topic)
   */
  String judge(long eventTime, long streamTime, long wallClock, boolean judgeStreamTime) {
    if (eventTime < 0) {
      return "event time " + eventTime + " is before 1970";
    }
    if (eventTime > plus(wallClock, aheadOfWallClock)) {
      return "event time is more than "
          + aheadOfWallClock
          + " ahead of the wall clock ("
          + AHEAD_OF_WALL_CLOCK_ENV
          + ")";
    }
    if (judgeStreamTime && streamTime >= 0 && eventTime > plus(streamTime, aheadOfStreamTime)) {
      return "event time is "
          + Duration.ofMillis(eventTime - streamTime)
          + " ahead of stream time, more than "
          + aheadOfStreamTime
          + " ("
          + AHEAD_OF_STREAM_TIME_ENV
          + ")";
    }
    return null;
  }
}

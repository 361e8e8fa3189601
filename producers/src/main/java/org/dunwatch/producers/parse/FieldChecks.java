package org.dunwatch.producers.parse;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.dunwatch.avro.common.Party;
import org.dunwatch.producers.numbers.NumberNormalizer;
import org.dunwatch.producers.privacy.NumberMask;

/**
 * Converts the text fields of one input line and collects everything wrong with it, so that a bad
 * line is reported once with all its problems rather than one problem per attempt.
 *
 * <p>Each method returns {@code null} after recording a problem. Values are quoted in problems
 * (shortened), except number fields: those may be real phone numbers and are never quoted.
 */
public final class FieldChecks {

  private static final int MAX_QUOTED = 40;

  private final List<String> problems = new ArrayList<>();
  private final InputLimits limits;

  public FieldChecks() {
    this(InputLimits.DEFAULT);
  }

  public FieldChecks(InputLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  public void add(String problem) {
    problems.add(problem);
  }

  public boolean ok() {
    return problems.isEmpty();
  }

  /** All problems, joined with "; ". */
  public String reason() {
    return String.join("; ", problems);
  }

  public List<String> problems() {
    return List.copyOf(problems);
  }

  /** The value trimmed; a problem when it is missing or blank. */
  public String required(String name, String value) {
    if (value == null || value.isBlank()) {
      add(name + " is empty");
      return null;
    }
    return capped(name, value.strip(), limits.maxFieldChars());
  }

  /** The value, or {@code null} with a problem when it is longer than {@code max} chars. */
  public String capped(String name, String value, int max) {
    if (value != null && value.length() > max) {
      add(name + " is " + value.length() + " chars long; at most " + max + " are accepted");
      return null;
    }
    return value;
  }

  /** A message body as written, at most the body cap long; empty becomes {@code null}. */
  public String body(String name, String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    return capped(name, value, limits.maxBodyChars());
  }

  /**
   * An event time: an {@link #instant} that Kafka can store and that lies in the plausibility
   * window of the limits.
   */
  public Instant eventTime(String name, String value) {
    Instant t = instant(name, value);
    if (t == null) {
      return null;
    }
    String wrong = limits.judge(t);
    if (wrong != null) {
      add(name + " " + quote(value.strip()) + " " + wrong);
      return null;
    }
    return t;
  }

  /** The value trimmed, or {@code null} when missing or blank. */
  public static String optional(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  /**
   * An ISO-8601 date-time with an offset or {@code Z}, to the millisecond: the Avro fields are
   * {@code timestamp-millis}, so finer digits would be dropped on the wire anyway and a record
   * would no longer equal itself after a round trip.
   */
  public Instant instant(String name, String value) {
    String text = required(name, value);
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant().truncatedTo(ChronoUnit.MILLIS);
    } catch (DateTimeParseException e) {
      add(
          name
              + " "
              + quote(text)
              + " is not ISO-8601 with an offset (e.g. 2024-07-26T10:00:00+08:00 or"
              + " 2024-07-26T02:00:00Z)");
      return null;
    }
  }

  /** A whole number, 0 or more. */
  public Integer nonNegativeInt(String name, String value) {
    String text = required(name, value);
    if (text == null) {
      return null;
    }
    int n;
    try {
      n = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      add(name + " " + quote(text) + " is not a whole number");
      return null;
    }
    if (n < 0) {
      add(name + " " + quote(text) + " is negative");
      return null;
    }
    return n;
  }

  /** One of the enum's symbols, written exactly as in the contract. */
  public <E extends Enum<E>> E enumValue(String name, String value, Class<E> type) {
    String text = required(name, value);
    if (text == null) {
      return null;
    }
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(text)) {
        return constant;
      }
    }
    add("unknown " + name + " " + quote(text) + " (expected one of " + symbols(type) + ")");
    return null;
  }

  /** A number column: a phone number normalised to E.164, or a sender id. */
  public Party party(String name, String value, NumberNormalizer numbers, String defaultRegion) {
    if (value == null || value.isBlank()) {
      add(name + " is empty");
      return null;
    }
    if (capped(name, value, limits.maxFieldChars()) == null) {
      return null;
    }
    return numbers.normalize(value, defaultRegion).toParty();
  }

  public static <E extends Enum<E>> String symbols(Class<E> type) {
    return Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
  }

  /**
   * The value in double quotes, shortened when long and with anything that could be a phone number
   * masked ({@link NumberMask}), for a problem description.
   */
  public static String quote(String value) {
    String masked = NumberMask.mask(value);
    String v = masked.length() > MAX_QUOTED ? masked.substring(0, MAX_QUOTED) + "..." : masked;
    return "\"" + v + "\"";
  }
}

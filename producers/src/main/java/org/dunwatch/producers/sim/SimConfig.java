package org.dunwatch.producers.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * What world to simulate. The same config (seed included) always gives the same events, ids and
 * labels.
 *
 * @param seed drives every random choice
 * @param subscribers ordinary subscribers (heavy users, collectors and bombing numbers come on top)
 * @param days days of event time from {@code start}
 * @param start event time the world begins at (setup events such as loan openings are dated before)
 * @param usShare share of subscribers with US numbers, the rest CN
 * @param scenarios how many instances of each abuse pattern to inject
 */
public record SimConfig(
    long seed,
    int subscribers,
    int days,
    Instant start,
    double usShare,
    Map<ScenarioKind, Integer> scenarios) {

  public static final Instant DEFAULT_START = Instant.parse("2024-07-26T00:00:00Z");

  public SimConfig {
    if (subscribers < 50) {
      throw new IllegalArgumentException(
          "subscribers must be at least 50 (scenarios need circles to draw on), was "
              + subscribers);
    }
    if (days < 1 || days > 366) {
      throw new IllegalArgumentException("days must be 1..366, was " + days);
    }
    if (usShare < 0 || usShare > 1) {
      throw new IllegalArgumentException("us share must be within 0..1, was " + usShare);
    }
    EnumMap<ScenarioKind, Integer> copy = new EnumMap<>(ScenarioKind.class);
    scenarios.forEach(
        (k, v) -> {
          if (v < 0) {
            throw new IllegalArgumentException("scenario count must be 0 or more: " + k + "=" + v);
          }
          if (v > 0) {
            copy.put(k, v);
          }
        });
    scenarios = Collections.unmodifiableMap(copy);
  }

  /** A small world with one instance of every scenario: the demo default. */
  public static SimConfig defaults(long seed) {
    return new SimConfig(seed, 300, 2, DEFAULT_START, 0.15, parseScenarios("all"));
  }

  public Instant end() {
    return start.plus(Duration.ofDays(days));
  }

  public int totalScenarios() {
    return scenarios.values().stream().mapToInt(Integer::intValue).sum();
  }

  /**
   * Parses {@code --scenarios}: {@code all} (one of each), {@code all=2}, {@code none}, or a comma
   * list such as {@code CALL_BOMBING=2,SMS_BOMBING,WRONG_PARTY=0} (a kind without a count is 1;
   * after {@code all} a kind overrides its count).
   *
   * @throws IllegalArgumentException naming the known kinds when one is unknown
   */
  public static Map<ScenarioKind, Integer> parseScenarios(String spec) {
    EnumMap<ScenarioKind, Integer> out = new EnumMap<>(ScenarioKind.class);
    if (spec == null || spec.isBlank() || spec.strip().equalsIgnoreCase("none")) {
      return out;
    }
    for (String part : spec.split(",")) {
      String p = part.strip();
      if (p.isEmpty()) {
        continue;
      }
      String name = p;
      int count = 1;
      int eq = p.indexOf('=');
      if (eq >= 0) {
        name = p.substring(0, eq).strip();
        try {
          count = Integer.parseInt(p.substring(eq + 1).strip());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("scenario count in \"" + p + "\" is not a number");
        }
        if (count < 0) {
          throw new IllegalArgumentException("scenario count in \"" + p + "\" is negative");
        }
      }
      if (name.equalsIgnoreCase("all")) {
        for (ScenarioKind k : ScenarioKind.values()) {
          out.put(k, count);
        }
        continue;
      }
      try {
        out.put(ScenarioKind.valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_')), count);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown scenario \""
                + name
                + "\" (expected all, none or one of "
                + java.util.Arrays.toString(ScenarioKind.values())
                + ")");
      }
    }
    return out;
  }
}

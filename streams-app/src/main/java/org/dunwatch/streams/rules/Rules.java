package org.dunwatch.streams.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A rule pack: every threshold the detectors use, with rule ids and versions. Values missing from a
 * pack take the defaults in code; an unknown key is an error, so a typo never silently falls back
 * to a default.
 *
 * @param pack the pack's name
 * @param packVersion the pack's version
 * @param grace how late (event time) a record may arrive and still be judged; later ones go to the
 *     dead-letter topic and the late-record metric
 * @param callFlood CALL_FLOOD parameters
 */
public record Rules(
    String pack,
    int packVersion,
    Duration grace,
    CallFloodRule callFlood,
    Map<String, JsonNode> sections) {

  public static final String DEFAULT_RESOURCE = "/rules/default.json";

  /**
   * The detector sections a pack may have. {@code call_flood} is parsed here; every other section
   * is parsed by its own detector's rule class from {@link #section(String)}, so a new detector
   * adds its name here and its parsing next to it.
   */
  public static final Set<String> SECTIONS =
      Set.of("call_flood", "policy", "sms_flood", "fan_out", "wrong_party", "content");

  /** The feed sections a pack may have under {@code feeds}, parsed by each feed's rule class. */
  public static final Set<String> FEEDS = Set.of("blocklist", "scorecards", "incidents");

  private static final String FEED_PREFIX = "feeds.";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The pack shipped with dunwatch. */
  public static Rules defaults() {
    try (InputStream in = Rules.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new RuleException("the default rule pack " + DEFAULT_RESOURCE + " is missing");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), DEFAULT_RESOURCE);
    } catch (IOException e) {
      throw new RuleException("cannot read the default rule pack", e);
    }
  }

  public static Rules load(Path file) {
    try {
      return parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new RuleException("cannot read rule pack " + file + ": " + e.getMessage(), e);
    }
  }

  public static Rules parse(String json, String source) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new RuleException(
          "rule pack " + source + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
    try {
      onlyKeys(root, "", Set.of("pack", "version", "description", "grace", "detectors", "feeds"));
      JsonNode detectors = root.path("detectors");
      onlyKeys(detectors, "detectors.", SECTIONS);
      Map<String, JsonNode> sections = new TreeMap<>();
      detectors.fields().forEachRemaining(e -> sections.put(e.getKey(), e.getValue()));
      JsonNode feeds = root.path("feeds");
      onlyKeys(feeds, "feeds.", FEEDS);
      feeds.fields().forEachRemaining(e -> sections.put(FEED_PREFIX + e.getKey(), e.getValue()));
      return new Rules(
          root.path("pack").asText("unnamed"),
          root.path("version").asInt(1),
          duration(root, "grace", Duration.ofHours(1), ""),
          callFlood(detectors.path("call_flood")),
          Map.copyOf(sections));
    } catch (RuleException e) {
      throw new RuleException("rule pack " + source + ": " + e.getMessage(), e);
    }
  }

  /**
   * The pack's section for one detector ({@code detectors.<name>}), or a missing node when the pack
   * leaves it out (its detector then uses its defaults).
   */
  public JsonNode section(String name) {
    if (!SECTIONS.contains(name)) {
      throw new IllegalArgumentException("unknown rule section " + name);
    }
    return sections.getOrDefault(
        name, com.fasterxml.jackson.databind.node.MissingNode.getInstance());
  }

  /** The pack's section for one feed ({@code feeds.<name>}), or a missing node. */
  public JsonNode feed(String name) {
    if (!FEEDS.contains(name)) {
      throw new IllegalArgumentException("unknown feed section " + name);
    }
    return sections.getOrDefault(
        FEED_PREFIX + name, com.fasterxml.jackson.databind.node.MissingNode.getInstance());
  }

  /** For detectors' rule classes: refuses keys other than {@code allowed} under {@code at}. */
  public static void requireOnlyKeys(JsonNode node, String at, Set<String> allowed) {
    onlyKeys(node, at, allowed);
  }

  public static int intParam(JsonNode node, String key, int def, String at) {
    return integer(node, key, def, at);
  }

  public static double doubleParam(JsonNode node, String key, double def, String at) {
    return number(node, key, def, at);
  }

  public static Duration durationParam(JsonNode node, String key, Duration def, String at) {
    return duration(node, key, def, at);
  }

  private static CallFloodRule callFlood(JsonNode node) {
    CallFloodRule d = CallFloodRule.defaults();
    if (node.isMissingNode()) {
      return d;
    }
    String at = "detectors.call_flood.";
    onlyKeys(
        node,
        at,
        Set.of(
            "rules",
            "short_talk_seconds",
            "quiet_period",
            "regrowth_factor",
            "max_tracked_calls",
            "evidence_cap"));
    JsonNode rules = node.path("rules");
    onlyKeys(rules, at + "rules.", Set.of(d.victimRuleId(), d.pairRuleId()));
    JsonNode victim = rules.path(d.victimRuleId());
    JsonNode pair = rules.path(d.pairRuleId());
    String victimAt = at + "rules." + d.victimRuleId() + ".";
    String pairAt = at + "rules." + d.pairRuleId() + ".";
    onlyKeys(victim, victimAt, Set.of("version", "short_calls_1h", "short_calls_24h"));
    onlyKeys(pair, pairAt, Set.of("version", "calls_1h"));
    return new CallFloodRule(
        d.victimRuleId(),
        integer(victim, "version", d.victimRuleVersion(), victimAt),
        d.pairRuleId(),
        integer(pair, "version", d.pairRuleVersion(), pairAt),
        integer(node, "short_talk_seconds", d.shortTalkSeconds(), at),
        integer(victim, "short_calls_1h", d.shortCallsPerHour(), victimAt),
        integer(victim, "short_calls_24h", d.shortCallsPerDay(), victimAt),
        integer(pair, "calls_1h", d.pairCallsPerHour(), pairAt),
        duration(node, "quiet_period", d.quietPeriod(), at),
        number(node, "regrowth_factor", d.regrowthFactor(), at),
        integer(node, "max_tracked_calls", d.maxTrackedCalls(), at),
        integer(node, "evidence_cap", d.evidenceCap(), at));
  }

  private static void onlyKeys(JsonNode node, String at, Set<String> allowed) {
    if (node.isMissingNode() || node.isNull()) {
      return;
    }
    if (!node.isObject()) {
      throw new RuleException(
          at.isEmpty() ? "the pack must be a JSON object" : at + " must be an object");
    }
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new RuleException(
            "unknown key "
                + at
                + name
                + " (expected one of "
                + new java.util.TreeSet<>(allowed)
                + ")");
      }
    }
  }

  private static int integer(JsonNode node, String key, int def, String at) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return def;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      throw new RuleException(at + key + " must be a whole number, got " + v);
    }
    return v.intValue();
  }

  private static double number(JsonNode node, String key, double def, String at) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return def;
    }
    if (!v.isNumber()) {
      throw new RuleException(at + key + " must be a number, got " + v);
    }
    return v.doubleValue();
  }

  private static Duration duration(JsonNode node, String key, Duration def, String at) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return def;
    }
    try {
      Duration d = Duration.parse(v.asText());
      if (d.isNegative()) {
        throw new RuleException(at + key + " must not be negative, got " + v.asText());
      }
      return d;
    } catch (DateTimeParseException e) {
      throw new RuleException(at + key + " must be an ISO-8601 duration such as PT1H, got " + v, e);
    }
  }
}

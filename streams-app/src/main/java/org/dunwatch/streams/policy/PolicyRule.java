package org.dunwatch.streams.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.dunwatch.streams.rules.RuleException;
import org.dunwatch.streams.rules.Rules;

/**
 * The policy detectors' parameters, from {@code detectors.policy} of the rule pack: jurisdiction
 * packs (US, CN, and any added), which pack applies to which recipient region or lender, and the
 * detectors' bounds.
 *
 * @param matchWindow a telecom contact and a lender-reported attempt of the same lender, target and
 *     channel within this much of each other are one contact, counted once
 * @param contactRetention how long a recipient's collection contacts are kept and counted (the US
 *     third-party "more than once" looks back this far)
 * @param delinquencyWait a contact that may be third-party contact about a loan whose days past due
 *     are not known at its time waits this long in stream time for a report stamped a little after
 *     it (or still on its way through the pipeline) before the threshold is judged; every other
 *     check runs at once
 * @param maxContactsPerNumber cap on contacts kept per recipient
 * @param evidenceCap how many event ids an alert carries
 * @param regionPacks recipient region (Party.region) to pack name
 * @param lenderPacks lender id to pack name; wins over the region
 * @param packs pack name to its rules
 */
public record PolicyRule(
    Duration matchWindow,
    Duration contactRetention,
    Duration delinquencyWait,
    int maxContactsPerNumber,
    int evidenceCap,
    Map<String, String> regionPacks,
    Map<String, String> lenderPacks,
    Map<String, Pack> packs) {

  /** Rule kinds a pack may enable; each maps to one check in {@link PolicyProcessor}. */
  public static final Set<String> KINDS =
      Set.of(
          "calls_in_days",
          "call_after_conversation",
          "connected_calls_per_day",
          "unanswered_calls_per_day",
          "curfew",
          "third_party_repeat",
          "third_party_before_days_past_due",
          "third_party_undeclared",
          "cease");

  /**
   * One jurisdiction's rules.
   *
   * @param jurisdiction written into alerts ({@code US}, {@code CN})
   * @param zone the recipient's zone when its own is missing or untrusted
   * @param untrustedZones zones that number metadata gives for numbers it cannot place (e.g.
   *     libphonenumber's alphabetically first zone for US toll-free numbers, America/Adak)
   * @param rules kind to rule; a kind left out is not checked in this jurisdiction
   */
  public record Pack(
      String jurisdiction, ZoneId zone, Set<String> untrustedZones, Map<String, Spec> rules) {
    public Spec rule(String kind) {
      return rules.get(kind);
    }
  }

  /**
   * One rule. Only the parameters of its kind are set.
   *
   * @param max the largest count allowed (an alert when exceeded)
   * @param days the window in days
   * @param start curfew start, local time
   * @param end curfew end, local time
   * @param source what the rule rests on, quoted in the alert's explanation
   */
  public record Spec(
      String id, int version, int max, int days, LocalTime start, LocalTime end, String source) {}

  public static PolicyRule defaults() {
    return from(Rules.defaults());
  }

  public static PolicyRule from(Rules rules) {
    JsonNode node = rules.section("policy");
    String at = "detectors.policy.";
    Rules.requireOnlyKeys(
        node,
        at,
        Set.of(
            "reference",
            "match_window",
            "contact_retention",
            "delinquency_wait",
            "max_contacts_per_number",
            "evidence_cap",
            "region_packs",
            "lender_packs",
            "packs"));
    Map<String, Pack> packs = new LinkedHashMap<>();
    node.path("packs")
        .fields()
        .forEachRemaining(
            e -> packs.put(e.getKey(), pack(e.getValue(), at + "packs." + e.getKey() + ".")));
    Map<String, String> regionPacks = names(node.path("region_packs"), packs, at + "region_packs.");
    Map<String, String> lenderPacks = names(node.path("lender_packs"), packs, at + "lender_packs.");
    int maxContacts = Rules.intParam(node, "max_contacts_per_number", 500, at);
    int evidenceCap = Rules.intParam(node, "evidence_cap", 20, at);
    if (maxContacts <= 0 || evidenceCap <= 0) {
      throw new RuleException(at + "max_contacts_per_number and evidence_cap must be > 0");
    }
    return new PolicyRule(
        Rules.durationParam(node, "match_window", Duration.ofMinutes(5), at),
        Rules.durationParam(node, "contact_retention", Duration.ofDays(30), at),
        Rules.durationParam(node, "delinquency_wait", Duration.ofHours(6), at),
        maxContacts,
        evidenceCap,
        regionPacks,
        lenderPacks,
        Map.copyOf(packs));
  }

  /** The pack for a contact: the lender's override, else the recipient region's, else null. */
  public Pack packFor(String lenderId, String region) {
    String name = lenderId == null ? null : lenderPacks.get(lenderId);
    if (name == null && region != null) {
      name = regionPacks.get(region);
    }
    return name == null ? null : packs.get(name);
  }

  private static Map<String, String> names(JsonNode node, Map<String, Pack> packs, String at) {
    Map<String, String> names = new LinkedHashMap<>();
    node.fields()
        .forEachRemaining(
            e -> {
              String pack = e.getValue().asText();
              if (!packs.containsKey(pack)) {
                throw new RuleException(at + e.getKey() + " names unknown pack " + pack);
              }
              names.put(e.getKey(), pack);
            });
    return Map.copyOf(names);
  }

  private static Pack pack(JsonNode node, String at) {
    Rules.requireOnlyKeys(node, at, Set.of("jurisdiction", "zone", "untrusted_zones", "rules"));
    ZoneId zone;
    try {
      zone = ZoneId.of(node.path("zone").asText("UTC"));
    } catch (DateTimeException e) {
      throw new RuleException(at + "zone is not an IANA zone: " + node.path("zone"), e);
    }
    Set<String> untrusted = new LinkedHashSet<>();
    node.path("untrusted_zones").forEach(z -> untrusted.add(z.asText()));
    JsonNode rules = node.path("rules");
    Rules.requireOnlyKeys(rules, at + "rules.", KINDS);
    Map<String, Spec> specs = new LinkedHashMap<>();
    rules
        .fields()
        .forEachRemaining(
            e -> specs.put(e.getKey(), spec(e.getValue(), at + "rules." + e.getKey() + ".")));
    return new Pack(
        node.path("jurisdiction").asText(null), zone, Set.copyOf(untrusted), Map.copyOf(specs));
  }

  private static Spec spec(JsonNode node, String at) {
    Rules.requireOnlyKeys(
        node, at, Set.of("id", "version", "max", "days", "start", "end", "source"));
    if (!node.path("id").isTextual()) {
      throw new RuleException(at + "id is required");
    }
    return new Spec(
        node.path("id").asText(),
        Rules.intParam(node, "version", 1, at),
        Rules.intParam(node, "max", 0, at),
        Rules.intParam(node, "days", 0, at),
        time(node, "start", at),
        time(node, "end", at),
        node.path("source").asText(""));
  }

  private static LocalTime time(JsonNode node, String key, String at) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    try {
      return LocalTime.parse(v.asText());
    } catch (DateTimeParseException e) {
      throw new RuleException(at + key + " must be a local time such as 21:00, got " + v, e);
    }
  }
}

package org.dunwatch.streams.behaviour;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Set;
import org.dunwatch.streams.content.Lexicon;
import org.dunwatch.streams.rules.RuleException;
import org.dunwatch.streams.rules.Rules;

/**
 * Parameters of THIRD_PARTY_DISCLOSURE and THREAT_OR_ABUSE (section {@code content}).
 *
 * @param disclosureRuleId rule id of disclosure alerts
 * @param disclosureVersion its version
 * @param abuseRuleId rule id of threat/abuse alerts
 * @param abuseVersion its version
 * @param quietPeriod an incident (one victim, one sender or lender, one type) ends after this long
 *     without a matching message
 * @param regrowthFactor re-issue when the incident's message count reaches this multiple of the
 *     count last alerted (or its severity rises)
 * @param criticalMessages a threatening incident becomes CRITICAL at this many messages
 * @param maxOpenIncidents cap on open incidents kept per key (bounded state)
 * @param evidenceCap how many message ids an alert carries
 * @param maxQuotedPhrases how many matched phrases an alert quotes
 * @param lexicon the lexicon: built in, plus {@code lexicon_dir} when the pack names one
 */
public record ContentRule(
    String disclosureRuleId,
    int disclosureVersion,
    String abuseRuleId,
    int abuseVersion,
    Duration quietPeriod,
    double regrowthFactor,
    int criticalMessages,
    int maxOpenIncidents,
    int evidenceCap,
    int maxQuotedPhrases,
    Lexicon lexicon) {

  public static final String SECTION = "content";
  public static final String DISCLOSURE_RULE_ID = "content.disclosure";
  public static final String ABUSE_RULE_ID = "content.abuse";

  /** Longest quoted phrase, in characters: a quote, never the body. */
  public static final int MAX_PHRASE_CHARS = 40;

  public ContentRule {
    if (quietPeriod == null || quietPeriod.isZero() || quietPeriod.isNegative()) {
      throw new RuleException("quiet_period must be a positive duration");
    }
    if (regrowthFactor <= 1.0) {
      throw new RuleException("regrowth_factor must be > 1, got " + regrowthFactor);
    }
    positive("critical_messages", criticalMessages);
    positive("max_open_incidents", maxOpenIncidents);
    positive("evidence_cap", evidenceCap);
    positive("max_quoted_phrases", maxQuotedPhrases);
  }

  public static ContentRule defaults() {
    return new ContentRule(
        DISCLOSURE_RULE_ID,
        1,
        ABUSE_RULE_ID,
        1,
        Duration.ofDays(7),
        2.0,
        5,
        50,
        20,
        8,
        Lexicon.builtIn());
  }

  public static ContentRule from(Rules rules) {
    JsonNode node = rules.section(SECTION);
    ContentRule d = defaults();
    if (node.isMissingNode()) {
      return d;
    }
    String at = "detectors." + SECTION + ".";
    Rules.requireOnlyKeys(
        node,
        at,
        Set.of(
            "rules",
            "quiet_period",
            "regrowth_factor",
            "critical_messages",
            "max_open_incidents",
            "evidence_cap",
            "max_quoted_phrases",
            "lexicon_dir"));
    JsonNode r = node.path("rules");
    Rules.requireOnlyKeys(r, at + "rules.", Set.of(DISCLOSURE_RULE_ID, ABUSE_RULE_ID));
    String dat = at + "rules." + DISCLOSURE_RULE_ID + ".";
    String aat = at + "rules." + ABUSE_RULE_ID + ".";
    Rules.requireOnlyKeys(r.path(DISCLOSURE_RULE_ID), dat, Set.of("version"));
    Rules.requireOnlyKeys(r.path(ABUSE_RULE_ID), aat, Set.of("version"));
    JsonNode dir = node.get("lexicon_dir");
    Lexicon lexicon;
    try {
      lexicon = BehaviourDetectors.lexicon(dir == null || dir.isNull() ? null : dir.asText());
    } catch (RuntimeException e) {
      throw new RuleException(at + "lexicon_dir: " + e.getMessage(), e);
    }
    return new ContentRule(
        DISCLOSURE_RULE_ID,
        Rules.intParam(r.path(DISCLOSURE_RULE_ID), "version", d.disclosureVersion(), dat),
        ABUSE_RULE_ID,
        Rules.intParam(r.path(ABUSE_RULE_ID), "version", d.abuseVersion(), aat),
        Rules.durationParam(node, "quiet_period", d.quietPeriod(), at),
        Rules.doubleParam(node, "regrowth_factor", d.regrowthFactor(), at),
        Rules.intParam(node, "critical_messages", d.criticalMessages(), at),
        Rules.intParam(node, "max_open_incidents", d.maxOpenIncidents(), at),
        Rules.intParam(node, "evidence_cap", d.evidenceCap(), at),
        Rules.intParam(node, "max_quoted_phrases", d.maxQuotedPhrases(), at),
        lexicon);
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new RuleException(name + " must be > 0, got " + value);
    }
  }
}

package org.dunwatch.streams.datatrade;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Set;
import org.dunwatch.streams.rules.RuleException;
import org.dunwatch.streams.rules.Rules;

/**
 * Parameters of DATA_TRADE (section {@code data_trade}); the defaults are argued in {@code
 * docs/data-trade.md}.
 *
 * @param ruleId rule id of data-trade alerts
 * @param ruleVersion its version
 * @param minApplicants alert when a buyer's first contacts reach this many of one source's
 *     applicants ...
 * @param maxDaysAfter ... each within this long after the application ...
 * @param window ... within this window (also how long first contacts are kept) ...
 * @param minShare ... and they are at least this share of the buyer's first contacts in the window
 *     ...
 * @param minLift ... and at least this many times the source's share of all numbers
 * @param panelSample one number in this many is a panel number, tracked whether it applied or not,
 *     to estimate every party's first contacts and the number of subscribers (1: every number)
 * @param maxPartiesPerNumber parties remembered per tracked number (oldest dropped)
 * @param maxApplicationsPerNumber applications remembered per number (oldest dropped)
 * @param maxContactsPerPair first contacts kept per (source, buyer)
 * @param maxSourcesPerBuyer sources kept per buyer
 * @param evidenceCap first contacts an alert carries as evidence (two ids each)
 */
public record DataTradeRule(
    String ruleId,
    int ruleVersion,
    int minApplicants,
    Duration maxDaysAfter,
    Duration window,
    double minShare,
    double minLift,
    int panelSample,
    int maxPartiesPerNumber,
    int maxApplicationsPerNumber,
    int maxContactsPerPair,
    int maxSourcesPerBuyer,
    int evidenceCap) {

  public static final String SECTION = "data_trade";
  public static final String RULE_ID = "data_trade.pair";

  public DataTradeRule {
    positive("min_applicants", minApplicants);
    positive("panel_sample", panelSample);
    positive("max_parties_per_number", maxPartiesPerNumber);
    positive("max_applications_per_number", maxApplicationsPerNumber);
    positive("max_sources_per_buyer", maxSourcesPerBuyer);
    positive("evidence_cap", evidenceCap);
    positiveDuration("max_days_after", maxDaysAfter);
    positiveDuration("window", window);
    if (minShare <= 0 || minShare > 1) {
      throw new RuleException("min_share must be within (0, 1], got " + minShare);
    }
    if (minLift < 1) {
      throw new RuleException("min_lift must be at least 1, got " + minLift);
    }
    if (maxContactsPerPair < minApplicants) {
      throw new RuleException(
          "max_contacts_per_pair must be at least min_applicants, got " + maxContactsPerPair);
    }
  }

  /** 10 applicants within 7 days of applying, in 14 days, half the buyer's first contacts, 10x. */
  public static DataTradeRule defaults() {
    return new DataTradeRule(
        RULE_ID, 1, 10, Duration.ofDays(7), Duration.ofDays(14), 0.5, 10, 8, 100, 10, 200, 20, 20);
  }

  public static DataTradeRule from(Rules rules) {
    JsonNode node = rules.section(SECTION);
    DataTradeRule d = defaults();
    if (node.isMissingNode()) {
      return d;
    }
    String at = "detectors." + SECTION + ".";
    Rules.requireOnlyKeys(
        node,
        at,
        Set.of(
            "rules",
            "panel_sample",
            "max_parties_per_number",
            "max_applications_per_number",
            "max_contacts_per_pair",
            "max_sources_per_buyer",
            "evidence_cap"));
    JsonNode rulesNode = node.path("rules");
    Rules.requireOnlyKeys(rulesNode, at + "rules.", Set.of(RULE_ID));
    JsonNode r = rulesNode.path(RULE_ID);
    String rat = at + "rules." + RULE_ID + ".";
    Rules.requireOnlyKeys(
        r,
        rat,
        Set.of("version", "min_applicants", "max_days_after", "window", "min_share", "min_lift"));
    return new DataTradeRule(
        RULE_ID,
        Rules.intParam(r, "version", d.ruleVersion(), rat),
        Rules.intParam(r, "min_applicants", d.minApplicants(), rat),
        Rules.durationParam(r, "max_days_after", d.maxDaysAfter(), rat),
        Rules.durationParam(r, "window", d.window(), rat),
        Rules.doubleParam(r, "min_share", d.minShare(), rat),
        Rules.doubleParam(r, "min_lift", d.minLift(), rat),
        Rules.intParam(node, "panel_sample", d.panelSample(), at),
        Rules.intParam(node, "max_parties_per_number", d.maxPartiesPerNumber(), at),
        Rules.intParam(node, "max_applications_per_number", d.maxApplicationsPerNumber(), at),
        Rules.intParam(node, "max_contacts_per_pair", d.maxContactsPerPair(), at),
        Rules.intParam(node, "max_sources_per_buyer", d.maxSourcesPerBuyer(), at),
        Rules.intParam(node, "evidence_cap", d.evidenceCap(), at));
  }

  /** A copy with another panel sample (tests use 1: every number on the panel). */
  public DataTradeRule withPanelSample(int sample) {
    return new DataTradeRule(
        ruleId,
        ruleVersion,
        minApplicants,
        maxDaysAfter,
        window,
        minShare,
        minLift,
        sample,
        maxPartiesPerNumber,
        maxApplicationsPerNumber,
        maxContactsPerPair,
        maxSourcesPerBuyer,
        evidenceCap);
  }

  /**
   * Whether {@code number} is on the panel: a fixed hash of the id, so every partition and every
   * restart agrees, and independent of the partitioner's murmur2 so each partition holds its share.
   */
  public boolean onPanel(String number) {
    if (panelSample == 1) {
      return true;
    }
    int h = number.hashCode() * 0x9E3779B1;
    return Math.floorMod(h ^ (h >>> 16), panelSample) == 0;
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new RuleException(name + " must be > 0, got " + value);
    }
  }

  private static void positiveDuration(String name, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new RuleException(name + " must be a positive duration");
    }
  }
}

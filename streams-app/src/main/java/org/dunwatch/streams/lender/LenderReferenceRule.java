package org.dunwatch.streams.lender;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Set;
import org.dunwatch.streams.rules.RuleException;
import org.dunwatch.streams.rules.Rules;

/**
 * Bounds and timing of the lender reference data, from {@code detectors.policy.reference} of the
 * rule pack.
 *
 * @param joinWindow how long (stream time) a contact waits for lender facts about it that arrive
 *     late; detectors judge a contact at {@code time + joinWindow}
 * @param loanRetention a closed loan is forgotten this long (event time) after it closed
 * @param maxContactsPerLoan cap on declared contacts and cease requesters kept per loan
 * @param maxDelinquencyPoints cap on days-past-due reports kept per loan (oldest dropped)
 * @param maxLoansPerNumber cap on loans kept per number (closed, then oldest, dropped first)
 * @param maxRegistrationsPerNumber cap on collector registrations kept per number
 */
public record LenderReferenceRule(
    Duration joinWindow,
    Duration loanRetention,
    int maxContactsPerLoan,
    int maxDelinquencyPoints,
    int maxLoansPerNumber,
    int maxRegistrationsPerNumber) {

  public LenderReferenceRule {
    positive("max_contacts_per_loan", maxContactsPerLoan);
    positive("max_delinquency_points", maxDelinquencyPoints);
    positive("max_loans_per_number", maxLoansPerNumber);
    positive("max_registrations_per_number", maxRegistrationsPerNumber);
    if (loanRetention.isZero()) {
      throw new RuleException("loan_retention must be positive");
    }
  }

  public static LenderReferenceRule defaults() {
    return new LenderReferenceRule(Duration.ofMinutes(2), Duration.ofDays(30), 50, 400, 50, 20);
  }

  /** From {@code detectors.policy.reference}; missing keys take {@link #defaults()}. */
  public static LenderReferenceRule from(Rules rules) {
    JsonNode node = rules.section("policy").path("reference");
    String at = "detectors.policy.reference.";
    LenderReferenceRule d = defaults();
    Rules.requireOnlyKeys(
        node,
        at,
        Set.of(
            "join_window",
            "loan_retention",
            "max_contacts_per_loan",
            "max_delinquency_points",
            "max_loans_per_number",
            "max_registrations_per_number"));
    return new LenderReferenceRule(
        Rules.durationParam(node, "join_window", d.joinWindow(), at),
        Rules.durationParam(node, "loan_retention", d.loanRetention(), at),
        Rules.intParam(node, "max_contacts_per_loan", d.maxContactsPerLoan(), at),
        Rules.intParam(node, "max_delinquency_points", d.maxDelinquencyPoints(), at),
        Rules.intParam(node, "max_loans_per_number", d.maxLoansPerNumber(), at),
        Rules.intParam(node, "max_registrations_per_number", d.maxRegistrationsPerNumber(), at));
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new RuleException(name + " must be > 0, got " + value);
    }
  }
}

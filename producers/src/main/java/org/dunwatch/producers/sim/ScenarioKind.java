package org.dunwatch.producers.sim;

import org.dunwatch.avro.alert.AlertType;

/**
 * The abuse patterns of design.md the simulator injects, each with the alert type a detector is
 * expected to raise for it.
 */
public enum ScenarioKind {
  /** 呼死你: a call every few minutes from rotating unregistered numbers, hung up at once. */
  CALL_BOMBING(AlertType.CALL_FLOOD),
  /** The victim's number registered on many sites: verification codes from many senders. */
  SMS_BOMBING(AlertType.SMS_FLOOD),
  /** A collector number calling 20+ people of the borrower's circle, one declared contact. */
  CONTACT_FAN_OUT(AlertType.CONTACT_FAN_OUT),
  /** An SMS to a declared contact naming the borrower's debt and its amount. */
  DISCLOSURE(AlertType.THIRD_PARTY_DISCLOSURE),
  /** Threatening and insulting SMS to the borrower. */
  THREAT(AlertType.THREAT_OR_ABUSE),
  /** A declared contact called while the loan is below 60 days past due. */
  EARLY_RELATION_CONTACT(AlertType.THIRD_PARTY_CONTACT),
  /** CN: more than 3 connected calls in a day; US: 8 calls within 7 days. */
  FREQUENCY_BREACH(AlertType.CONTACT_FREQUENCY),
  /** Collection calls in the curfew at the debtor's local time (CN 22-08, US 21-08). */
  CURFEW_BREACH(AlertType.OFF_HOURS_CONTACT),
  /** Collection calls after the borrower asked in writing to stop. */
  CONTACT_AFTER_CEASE(AlertType.CONTACT_AFTER_CEASE),
  /** A number with no loan pursued by several lenders for strangers' debts. */
  WRONG_PARTY(AlertType.WRONG_PARTY),
  /**
   * Report 001 (CN): a loan with no declared contacts, 28-40 days past due; the lender's own number
   * calls a relation of the borrower nobody declared, connected, and reports the attempt naming
   * that person a third party.
   */
  UNDECLARED_RELATION_CONTACT(AlertType.THIRD_PARTY_CONTACT),
  /**
   * Report 000 (CN): the lender's registered SMS sender id (a 1069 service number) texts a person
   * who is neither borrower nor declared contact about a borrower 10-16 days past due.
   */
  SENDER_ID_STRANGER_SMS(AlertType.THIRD_PARTY_CONTACT),
  /** A platform's applicants called and texted by buyers of its list within days of applying. */
  DATA_TRADE(AlertType.DATA_TRADE);

  private final AlertType expected;

  ScenarioKind(AlertType expected) {
    this.expected = expected;
  }

  public AlertType expectedAlert() {
    return expected;
  }
}

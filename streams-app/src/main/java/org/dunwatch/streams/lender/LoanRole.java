package org.dunwatch.streams.lender;

/**
 * What one number is to one loan at one instant.
 *
 * @param role borrower, declared contact, or neither (known to the loan only as a cease requester)
 * @param relation the declared contact's relation ({@code ContactRelation} name), else null
 * @param borrower the loan's borrower id, null if the loan_opened has not arrived
 * @param daysPastDue the latest days-past-due reported at or before the instant, null if none
 * @param ceasedAt when this number asked the lender to stop about this loan, if at or before the
 *     instant, else null
 */
public record LoanRole(
    String lenderId,
    String loanId,
    Role role,
    String relation,
    String borrower,
    Integer daysPastDue,
    Long ceasedAt) {

  public enum Role {
    BORROWER,
    DECLARED_CONTACT,
    /** not a party of the loan: a third party (known here because it asked to stop) */
    UNDECLARED
  }
}

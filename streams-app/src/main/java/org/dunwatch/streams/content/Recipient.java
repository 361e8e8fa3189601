package org.dunwatch.streams.content;

/** What is known about who read a message, relative to the debt it may talk about. */
public enum Recipient {
  /** The debtor (a lender-reported attempt to the borrower, or to a guarantor, who is liable). */
  DEBTOR,
  /** Known not to be the debtor (a lender-reported attempt to a contact or a third party). */
  NOT_DEBTOR,
  /** Nothing known: a telecom SMS with no lender data, or an attempt with target role UNKNOWN. */
  UNKNOWN
}

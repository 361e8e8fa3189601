package org.dunwatch.producers.sim;

/**
 * Ordinary heavy users and lawful collection, labelled so that an alert about them can be counted
 * as a false positive and attributed.
 */
public enum ActorRole {
  /** Calls 40-80 different customers a day, briefly, in working hours. */
  COURIER,
  /** Receives 30-90 calls a day from many people in opening hours. */
  SHOP,
  /** Like a shop, shorter hours, longer calls. */
  CLINIC,
  /** A few outbound numbers calling 100-150 different people a day each, mostly unanswered. */
  CALL_CENTRE,
  /** A bank or platform sender id sending codes and notifications to many people. */
  OTP_PLATFORM,
  /** A relative calling the same person 5-9 times within two hours. */
  EMERGENCY_RELATIVE,
  /** One person messaging 20-60 contacts within a minute. */
  GROUP_SMS,
  /** A lender collecting a delinquent loan within the rules of its jurisdiction. */
  COMPLIANT_COLLECTION,
  /** A loan supermarket and lenders calling their own applicants and those forwarded to them. */
  LOAN_PLATFORM
}

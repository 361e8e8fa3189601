package org.dunwatch.producers.sim;

import java.time.Instant;
import java.util.List;
import org.dunwatch.avro.common.Party;
import org.dunwatch.avro.lender.AttemptChannel;
import org.dunwatch.avro.lender.AttemptOutcome;
import org.dunwatch.avro.lender.CeaseRequest;
import org.dunwatch.avro.lender.CloseReason;
import org.dunwatch.avro.lender.CollectionAttempt;
import org.dunwatch.avro.lender.CollectorNumber;
import org.dunwatch.avro.lender.DeclaredContact;
import org.dunwatch.avro.lender.Delinquency;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.avro.lender.LoanClosed;
import org.dunwatch.avro.lender.LoanOpened;
import org.dunwatch.avro.lender.TargetRole;
import org.dunwatch.avro.telecom.CallOutcome;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.avro.telecom.SmsCategory;
import org.dunwatch.avro.telecom.SmsRecord;

/**
 * Builds the contract's records with ids that are unique, stable for a seed and opaque: an id says
 * nothing about whether its event is part of a scenario.
 */
final class Records {

  /**
   * Source name of lender events without an attempt id: their id is {@code lender.jsonl:<line>}.
   */
  static final String LENDER_SOURCE = "lender.jsonl";

  static final String PENDING_ID = "pending";

  private final long seed;
  private final long stream;
  private long next;

  Records(long seed, long stream) {
    this.seed = seed;
    this.stream = stream;
  }

  String id(String prefix) {
    // mix is a bijection of its second argument for a fixed seed, so ids never collide
    return prefix + String.format("%016x", Rng.mix(seed, (stream << 32) + next++));
  }

  CallRecord call(
      Party caller,
      Party callee,
      Instant at,
      int ring,
      int talk,
      CallOutcome outcome,
      String carrier) {
    return CallRecord.newBuilder()
        .setCallId(id("c"))
        .setCarrier(carrier)
        .setCaller(caller)
        .setCallee(callee)
        .setStartTime(at)
        .setRingSeconds(ring)
        .setTalkSeconds(outcome == CallOutcome.ANSWERED ? talk : 0)
        .setOutcome(outcome)
        .build();
  }

  SmsRecord sms(
      Party sender,
      Party recipient,
      Instant at,
      SmsCategory category,
      String body,
      String carrier) {
    return SmsRecord.newBuilder()
        .setMessageId(id("m"))
        .setCarrier(carrier)
        .setSender(sender)
        .setRecipient(recipient)
        .setSentTime(at)
        .setCategory(category)
        .setBody(body == null || body.isEmpty() ? null : body)
        .build();
  }

  static LenderEvent lender(String lenderId, Instant at, Object payload) {
    return LenderEvent.newBuilder()
        .setEventId(PENDING_ID)
        .setLenderId(lenderId)
        .setAt(at)
        .setPayload(payload)
        .build();
  }

  static LenderEvent loanOpened(
      String lenderId,
      Instant at,
      String loanId,
      Party borrower,
      List<DeclaredContact> contacts,
      double principal,
      String currency) {
    return lender(
        lenderId,
        at,
        LoanOpened.newBuilder()
            .setLoanId(loanId)
            .setBorrower(borrower)
            .setContacts(contacts)
            .setPrincipal(principal)
            .setCurrency(currency)
            .build());
  }

  static LenderEvent delinquency(
      String lenderId, Instant at, String loanId, int dpd, double overdue, String currency) {
    return lender(
        lenderId,
        at,
        Delinquency.newBuilder()
            .setLoanId(loanId)
            .setDaysPastDue(dpd)
            .setAmountOverdue(overdue)
            .setCurrency(currency)
            .build());
  }

  static LenderEvent closed(String lenderId, Instant at, String loanId, CloseReason reason) {
    return lender(
        lenderId, at, LoanClosed.newBuilder().setLoanId(loanId).setReason(reason).build());
  }

  static LenderEvent collectorNumber(String lenderId, Instant at, Party number, String agencyId) {
    return lender(
        lenderId, at, CollectorNumber.newBuilder().setNumber(number).setAgencyId(agencyId).build());
  }

  static LenderEvent cease(String lenderId, Instant at, String loanId, Party requester) {
    return lender(
        lenderId, at, CeaseRequest.newBuilder().setLoanId(loanId).setRequester(requester).build());
  }

  LenderEvent attempt(
      String lenderId,
      Instant at,
      String loanId,
      AttemptChannel channel,
      Party target,
      TargetRole role,
      AttemptOutcome outcome,
      String agencyId,
      String body) {
    String attemptId = id("a");
    LenderEvent e =
        lender(
            lenderId,
            at,
            CollectionAttempt.newBuilder()
                .setLoanId(loanId)
                .setChannel(channel)
                .setTarget(target)
                .setTargetRole(role)
                .setOutcome(outcome)
                .setAgencyId(agencyId)
                .setBody(body)
                .setAttemptId(attemptId)
                .build());
    e.setEventId(attemptId);
    return e;
  }
}

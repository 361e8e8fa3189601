package org.dunwatch.streams.testdata;

import java.time.Instant;
import java.util.List;
import org.dunwatch.avro.common.Party;
import org.dunwatch.avro.common.PartyKind;
import org.dunwatch.avro.lender.AttemptChannel;
import org.dunwatch.avro.lender.AttemptOutcome;
import org.dunwatch.avro.lender.CeaseRequest;
import org.dunwatch.avro.lender.CloseReason;
import org.dunwatch.avro.lender.CollectionAttempt;
import org.dunwatch.avro.lender.CollectorNumber;
import org.dunwatch.avro.lender.ContactRelation;
import org.dunwatch.avro.lender.DeclaredContact;
import org.dunwatch.avro.lender.Delinquency;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.avro.lender.LoanClosed;
import org.dunwatch.avro.lender.LoanOpened;

/**
 * Readable lender events for tests. Numbers starting {@code +1} are US (New York), others CN
 * (Shanghai); event ids are {@code type:lender/subject@time}.
 */
public final class LenderEvents {

  /**
   * An application {@code id} to {@code platform} by {@code applicant}, passed on to {@code
   * forwardedTo}.
   */
  public static LenderEvent application(
      String platform, String id, String applicant, Instant at, String... forwardedTo) {
    return event(
        "application:" + platform + "/" + id,
        platform,
        at,
        new org.dunwatch.avro.lender.Application(id, party(applicant), List.of(forwardedTo)));
  }

  private LenderEvents() {}

  public static Party party(String number) {
    boolean us = number.startsWith("+1");
    return new Party(
        number, PartyKind.E164, us ? "US" : "CN", us ? "America/New_York" : "Asia/Shanghai");
  }

  /** An SMS sender id (a 106 service number, a name): kept as written, no region or zone. */
  public static Party senderId(String id) {
    return new Party(id, PartyKind.SENDER_ID, null, null);
  }

  /** A lender's registration of its SMS sender id as a collector number, no agency. */
  public static LenderEvent senderIdCollector(String lender, String sender, Instant at) {
    return event(
        "collector:" + lender + "/" + sender,
        lender,
        at,
        new CollectorNumber(senderId(sender), null, null));
  }

  public static LenderEvent loanOpened(
      String lender, String loan, String borrower, Instant at, String... contacts) {
    List<DeclaredContact> declared =
        java.util.Arrays.stream(contacts)
            .map(c -> new DeclaredContact(party(c), ContactRelation.FAMILY))
            .toList();
    return event(
        "opened:" + lender + "/" + loan,
        lender,
        at,
        new LoanOpened(loan, party(borrower), declared, null, null));
  }

  public static LenderEvent delinquency(String lender, String loan, int dpd, Instant at) {
    return event(
        "dpd:" + lender + "/" + loan + "@" + at,
        lender,
        at,
        new Delinquency(loan, dpd, null, null));
  }

  public static LenderEvent closed(String lender, String loan, Instant at) {
    return event(
        "closed:" + lender + "/" + loan, lender, at, new LoanClosed(loan, CloseReason.REPAID));
  }

  public static LenderEvent collector(String lender, String agency, String number, Instant at) {
    return event(
        "collector:" + lender + "/" + number,
        lender,
        at,
        new CollectorNumber(party(number), agency, null));
  }

  public static LenderEvent cease(String lender, String loan, String requester, Instant at) {
    return event(
        "cease:" + lender + "/" + loan + "/" + requester,
        lender,
        at,
        new CeaseRequest(loan, party(requester)));
  }

  public static LenderEvent attempt(
      String id,
      String lender,
      String agency,
      String loan,
      String target,
      AttemptChannel channel,
      AttemptOutcome outcome,
      Instant at) {
    return attempt(
        id,
        lender,
        agency,
        loan,
        target,
        channel,
        outcome,
        at,
        org.dunwatch.avro.lender.TargetRole.UNKNOWN);
  }

  public static LenderEvent attempt(
      String id,
      String lender,
      String agency,
      String loan,
      String target,
      AttemptChannel channel,
      AttemptOutcome outcome,
      Instant at,
      org.dunwatch.avro.lender.TargetRole role) {
    return event(
        id,
        lender,
        at,
        new CollectionAttempt(loan, channel, party(target), role, outcome, agency, null, id));
  }

  private static LenderEvent event(String id, String lender, Instant at, Object payload) {
    return LenderEvent.newBuilder()
        .setEventId(id)
        .setLenderId(lender)
        .setAt(at)
        .setPayload(payload)
        .build();
  }
}

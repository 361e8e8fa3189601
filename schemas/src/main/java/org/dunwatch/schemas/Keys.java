package org.dunwatch.schemas;

import java.time.Instant;
import org.dunwatch.avro.lender.Application;
import org.dunwatch.avro.lender.CeaseRequest;
import org.dunwatch.avro.lender.CollectionAttempt;
import org.dunwatch.avro.lender.CollectorNumber;
import org.dunwatch.avro.lender.Delinquency;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.avro.lender.LoanClosed;
import org.dunwatch.avro.lender.LoanOpened;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.avro.telecom.SmsRecord;

/**
 * The key and event time of each input topic's records, in one place for producers (which write
 * them) and the streams app (which checks them).
 *
 * <ul>
 *   <li>calls: the callee, so per-victim detectors need no repartition;
 *   <li>messages: the recipient, for the same reason;
 *   <li>lender events: {@code lender_id/loan_id}, so one loan's events stay in order; a collector
 *       number registration, which belongs to no loan, is keyed {@code lender_id/number}; an
 *       application, which has no loan yet, {@code lender_id/application_id}.
 * </ul>
 */
public final class Keys {

  private Keys() {}

  public static String of(CallRecord call) {
    return call.getCallee().getId();
  }

  public static String of(SmsRecord sms) {
    return sms.getRecipient().getId();
  }

  public static String of(LenderEvent event) {
    return event.getLenderId() + "/" + loanOrNumber(event.getPayload());
  }

  private static String loanOrNumber(Object payload) {
    if (payload instanceof LoanOpened p) {
      return p.getLoanId();
    } else if (payload instanceof Delinquency p) {
      return p.getLoanId();
    } else if (payload instanceof LoanClosed p) {
      return p.getLoanId();
    } else if (payload instanceof CollectionAttempt p) {
      return p.getLoanId();
    } else if (payload instanceof CeaseRequest p) {
      return p.getLoanId();
    } else if (payload instanceof CollectorNumber p) {
      return p.getNumber().getId();
    } else if (payload instanceof Application p) {
      return p.getApplicationId();
    }
    throw new IllegalArgumentException("unknown lender event payload " + payload);
  }

  public static Instant eventTime(CallRecord call) {
    return call.getStartTime();
  }

  public static Instant eventTime(SmsRecord sms) {
    return sms.getSentTime();
  }

  public static Instant eventTime(LenderEvent event) {
    return event.getAt();
  }
}

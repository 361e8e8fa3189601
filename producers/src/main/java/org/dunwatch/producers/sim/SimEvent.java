package org.dunwatch.producers.sim;

import java.time.Instant;
import java.util.Objects;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.avro.telecom.SmsRecord;
import org.dunwatch.schemas.Keys;

/**
 * One simulated event: a call, a message or a lender event, as the contract's Avro record.
 *
 * @param record a {@link CallRecord}, {@link SmsRecord} or {@link LenderEvent}
 */
public record SimEvent(Object record) {

  public SimEvent {
    Objects.requireNonNull(record, "record");
    if (!(record instanceof CallRecord
        || record instanceof SmsRecord
        || record instanceof LenderEvent)) {
      throw new IllegalArgumentException("not an input record: " + record.getClass());
    }
  }

  public Instant time() {
    if (record instanceof CallRecord c) {
      return Keys.eventTime(c);
    } else if (record instanceof SmsRecord s) {
      return Keys.eventTime(s);
    }
    return Keys.eventTime((LenderEvent) record);
  }

  /** The id a detector puts in its evidence: call id, message id, lender event id. */
  public String id() {
    if (record instanceof CallRecord c) {
      return c.getCallId();
    } else if (record instanceof SmsRecord s) {
      return s.getMessageId();
    }
    return ((LenderEvent) record).getEventId();
  }

  /** The record's key on its topic ({@link Keys}). */
  public String key() {
    if (record instanceof CallRecord c) {
      return Keys.of(c);
    } else if (record instanceof SmsRecord s) {
      return Keys.of(s);
    }
    return Keys.of((LenderEvent) record);
  }
}

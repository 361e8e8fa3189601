package org.dunwatch.producers.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.dunwatch.avro.lender.Application;
import org.dunwatch.avro.lender.CeaseRequest;
import org.dunwatch.avro.lender.CollectionAttempt;
import org.dunwatch.avro.lender.CollectorNumber;
import org.dunwatch.avro.lender.DeclaredContact;
import org.dunwatch.avro.lender.Delinquency;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.avro.lender.LoanClosed;
import org.dunwatch.avro.lender.LoanOpened;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.avro.telecom.SmsRecord;

/**
 * Writes events as the replay files of contracts.md: {@code calls.csv}, {@code sms.csv}, {@code
 * lender.jsonl} in one directory, UTF-8, times in UTC. Reading them back with the producers'
 * parsers gives the same records (lender events without an attempt id get {@code
 * lender.jsonl:<line>} as their id, which is the id the simulator gave them).
 */
public final class ContractFiles implements AutoCloseable {

  public static final String CALLS = "calls.csv";
  public static final String SMS = "sms.csv";
  public static final String LENDER = Records.LENDER_SOURCE;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Writer calls;
  private final Writer sms;
  private final Writer lender;
  private long callCount;
  private long smsCount;
  private long lenderCount;

  public ContractFiles(Path dir) throws IOException {
    Files.createDirectories(dir);
    calls = Files.newBufferedWriter(dir.resolve(CALLS), StandardCharsets.UTF_8);
    sms = Files.newBufferedWriter(dir.resolve(SMS), StandardCharsets.UTF_8);
    lender =
        new BufferedWriter(Files.newBufferedWriter(dir.resolve(LENDER), StandardCharsets.UTF_8));
    calls.write("call_id,carrier,caller,callee,start_time,ring_seconds,talk_seconds,outcome\n");
    sms.write("message_id,carrier,sender,recipient,sent_time,category,body\n");
  }

  public void write(SimEvent e) {
    try {
      if (e.record() instanceof CallRecord c) {
        csv(
            calls,
            c.getCallId(),
            c.getCarrier(),
            c.getCaller().getId(),
            c.getCallee().getId(),
            time(c.getStartTime()),
            Integer.toString(c.getRingSeconds()),
            Integer.toString(c.getTalkSeconds()),
            c.getOutcome().name());
        callCount++;
      } else if (e.record() instanceof SmsRecord s) {
        csv(
            sms,
            s.getMessageId(),
            s.getCarrier(),
            s.getSender().getId(),
            s.getRecipient().getId(),
            time(s.getSentTime()),
            s.getCategory().name(),
            s.getBody() == null ? "" : s.getBody());
        smsCount++;
      } else {
        lender.write(jsonLine((LenderEvent) e.record()));
        lender.write('\n');
        lenderCount++;
      }
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  public long calls() {
    return callCount;
  }

  public long messages() {
    return smsCount;
  }

  public long lenderEvents() {
    return lenderCount;
  }

  /** The contract's JSON line for one lender event. */
  public static String jsonLine(LenderEvent e) {
    ObjectNode o = JSON.createObjectNode();
    Object p = e.getPayload();
    if (p instanceof LoanOpened x) {
      o.put("type", "loan_opened");
      head(o, e);
      o.put("loan_id", x.getLoanId());
      o.put("borrower", x.getBorrower().getId());
      ArrayNode contacts = o.putArray("contacts");
      for (DeclaredContact c : x.getContacts()) {
        contacts
            .addObject()
            .put("number", c.getNumber().getId())
            .put("relation", c.getRelation().name());
      }
      if (x.getPrincipal() != null) {
        o.put("principal", x.getPrincipal());
      }
      if (x.getCurrency() != null) {
        o.put("currency", x.getCurrency());
      }
    } else if (p instanceof Delinquency x) {
      o.put("type", "delinquency");
      head(o, e);
      o.put("loan_id", x.getLoanId());
      o.put("days_past_due", x.getDaysPastDue());
      if (x.getAmountOverdue() != null) {
        o.put("amount_overdue", x.getAmountOverdue());
      }
      if (x.getCurrency() != null) {
        o.put("currency", x.getCurrency());
      }
    } else if (p instanceof LoanClosed x) {
      o.put("type", "loan_closed");
      head(o, e);
      o.put("loan_id", x.getLoanId());
      o.put("reason", x.getReason().name());
    } else if (p instanceof CollectorNumber x) {
      o.put("type", "collector_number");
      head(o, e);
      o.put("number", x.getNumber().getId());
      if (x.getAgencyId() != null) {
        o.put("agency_id", x.getAgencyId());
      }
      if (x.getValidTo() != null) {
        o.put("valid_to", time(x.getValidTo()));
      }
    } else if (p instanceof CollectionAttempt x) {
      o.put("type", "collection_attempt");
      head(o, e);
      o.put("loan_id", x.getLoanId());
      o.put("channel", x.getChannel().name());
      o.put("target", x.getTarget().getId());
      o.put("target_role", x.getTargetRole().name());
      o.put("outcome", x.getOutcome().name());
      if (x.getAgencyId() != null) {
        o.put("agency_id", x.getAgencyId());
      }
      if (x.getBody() != null) {
        o.put("body", x.getBody());
      }
      if (x.getAttemptId() != null) {
        o.put("attempt_id", x.getAttemptId());
      }
    } else if (p instanceof CeaseRequest x) {
      o.put("type", "cease_request");
      head(o, e);
      o.put("loan_id", x.getLoanId());
      o.put("requester", x.getRequester().getId());
    } else if (p instanceof Application x) {
      o.put("type", "application");
      head(o, e);
      o.put("application_id", x.getApplicationId());
      o.put("applicant", x.getApplicant().getId());
      if (!x.getForwardedTo().isEmpty()) {
        ArrayNode to = o.putArray("forwarded_to");
        x.getForwardedTo().forEach(to::add);
      }
    } else {
      throw new IllegalArgumentException("unknown lender payload " + p);
    }
    return o.toString();
  }

  private static void head(ObjectNode o, LenderEvent e) {
    o.put("lender_id", e.getLenderId());
    o.put("at", time(e.getAt()));
  }

  private static String time(Instant t) {
    return t.toString();
  }

  private static void csv(Writer w, String... fields) throws IOException {
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        w.write(',');
      }
      String f = fields[i];
      if (f.indexOf(',') >= 0
          || f.indexOf('"') >= 0
          || f.indexOf('\n') >= 0
          || f.indexOf('\r') >= 0) {
        w.write('"');
        w.write(f.replace("\"", "\"\""));
        w.write('"');
      } else {
        w.write(f);
      }
    }
    w.write('\n');
  }

  @Override
  public void close() throws IOException {
    try (calls;
        sms;
        lender) {
      calls.flush();
      sms.flush();
      lender.flush();
    }
  }
}

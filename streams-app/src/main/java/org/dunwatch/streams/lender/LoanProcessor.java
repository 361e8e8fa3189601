package org.dunwatch.streams.lender;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.dunwatch.avro.lender.Application;
import org.dunwatch.avro.lender.AttemptChannel;
import org.dunwatch.avro.lender.AttemptOutcome;
import org.dunwatch.avro.lender.CeaseRequest;
import org.dunwatch.avro.lender.CollectionAttempt;
import org.dunwatch.avro.lender.CollectorNumber;
import org.dunwatch.avro.lender.Delinquency;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.avro.lender.LoanClosed;
import org.dunwatch.avro.lender.LoanOpened;
import org.dunwatch.streams.state.CeaseAt;
import org.dunwatch.streams.state.CollectorReg;
import org.dunwatch.streams.state.DpdAt;
import org.dunwatch.streams.state.LoanContact;
import org.dunwatch.streams.state.LoanState;
import org.dunwatch.streams.state.NumberFact;
import org.dunwatch.streams.state.PolicyContact;
import org.dunwatch.streams.state.StorePurge;

/**
 * Per loan (input keyed {@code lender_id/loan_id}, so one loan's events meet in one task without a
 * repartition): folds the loan's events into a time-indexed {@link LoanState} and, after each
 * change, sends the whole loan to every number it involves. Collector registrations and collection
 * attempts concern a number, not the loan's state, and go straight on, keyed by that number.
 *
 * <p>Sending the whole loan, rather than the one event, is what lets the number side answer "as of
 * time t" for any t without ever reading another partition: each number holds a copy of the loan's
 * history. A loan involves a handful of numbers (borrower, declared contacts, cease requesters),
 * all capped.
 */
final class LoanProcessor implements Processor<String, LenderEvent, String, NumberFact> {

  /**
   * How often, in stream time, closed loans past the retention are looked for: a full scan of the
   * loans here and of the numbers' copies ({@link NumberFactProcessor}). A day against a retention
   * of weeks keeps a closed loan at most a day longer; hourly scans were 5 % of the stream thread
   * when a world is replayed at full speed (JFR, bench).
   */
  static final Duration PURGE_INTERVAL = Duration.ofDays(1);

  private final LenderReferenceRule rule;
  private ProcessorContext<String, NumberFact> context;
  private KeyValueStore<String, LoanState> store;

  LoanProcessor(LenderReferenceRule rule) {
    this.rule = rule;
  }

  @Override
  public void init(ProcessorContext<String, NumberFact> context) {
    this.context = context;
    this.store = context.getStateStore(LenderReference.LOAN_STORE);
    context.schedule(PURGE_INTERVAL, PunctuationType.STREAM_TIME, this::purgeClosedLoans);
  }

  @Override
  public void process(Record<String, LenderEvent> record) {
    LenderEvent event = record.value();
    if (event == null || event.getPayload() == null) {
      return;
    }
    long at = event.getAt().toEpochMilli();
    Object payload = event.getPayload();
    if (payload instanceof Application) {
      // no loan yet: the data-trade detector reads applications from the lender stream itself
      return;
    }
    if (payload instanceof CollectorNumber c) {
      CollectorReg reg =
          new CollectorReg(
              event.getLenderId(),
              c.getAgencyId(),
              at,
              c.getValidTo() == null ? null : c.getValidTo().toEpochMilli());
      forward(c.getNumber().getId(), NumberFact.newBuilder().setCollector(reg).build(), at);
      return;
    }
    if (payload instanceof CollectionAttempt a) {
      // the loan rides along: the target may be a number the loan does not list, whose partition
      // has no copy of it, and a third-party rule needs its delinquency
      PolicyContact contact = attempt(event, a);
      contact.setLoan(store.get(event.getLenderId() + "/" + a.getLoanId()));
      forward(a.getTarget().getId(), NumberFact.newBuilder().setAttempt(contact).build(), at);
      return;
    }
    String key = event.getLenderId() + "/" + loanId(payload);
    LoanState loan = store.get(key);
    if (loan == null) {
      loan =
          LoanState.newBuilder()
              .setLenderId(event.getLenderId())
              .setLoanId(loanId(payload))
              .build();
    }
    Set<String> before = numbers(loan);
    apply(loan, payload, at);
    store.put(key, loan);
    // numbers that left the loan (a corrected loan_opened) get the loan too, so they can see
    // they have no role in it any more
    Set<String> targets = new LinkedHashSet<>(before);
    targets.addAll(numbers(loan));
    for (String number : targets) {
      forward(
          number, NumberFact.newBuilder().setLoan(LoanState.newBuilder(loan).build()).build(), at);
    }
  }

  private void apply(LoanState loan, Object payload, long at) {
    if (payload instanceof LoanOpened o) {
      loan.setOpenedAt(at);
      loan.setBorrower(o.getBorrower().getId());
      loan.setBorrowerRegion(o.getBorrower().getRegion());
      List<LoanContact> contacts = new ArrayList<>();
      o.getContacts().stream()
          .limit(rule.maxContactsPerLoan())
          .forEach(
              c -> contacts.add(new LoanContact(c.getNumber().getId(), c.getRelation().name())));
      loan.setContacts(contacts);
    } else if (payload instanceof Delinquency d) {
      List<DpdAt> points = new ArrayList<>(loan.getDelinquency());
      int i = 0;
      while (i < points.size() && points.get(i).getAt() <= at) {
        i++;
      }
      points.add(i, new DpdAt(at, d.getDaysPastDue()));
      while (points.size() > rule.maxDelinquencyPoints()) {
        points.remove(0);
      }
      loan.setDelinquency(points);
    } else if (payload instanceof LoanClosed) {
      // the earliest closure wins: a re-sent closure must not reopen the time in between
      if (loan.getClosedAt() == null || at < loan.getClosedAt()) {
        loan.setClosedAt(at);
      }
    } else if (payload instanceof CeaseRequest c) {
      List<CeaseAt> ceases = new ArrayList<>(loan.getCeases());
      String requester = c.getRequester().getId();
      CeaseAt existing =
          ceases.stream().filter(x -> x.getRequester().equals(requester)).findFirst().orElse(null);
      if (existing == null) {
        if (ceases.size() < rule.maxContactsPerLoan()) {
          ceases.add(new CeaseAt(requester, at));
        }
      } else if (at < existing.getAt()) {
        existing.setAt(at);
      }
      loan.setCeases(ceases);
    }
  }

  private static Set<String> numbers(LoanState loan) {
    Set<String> numbers = new LinkedHashSet<>();
    if (loan.getBorrower() != null) {
      numbers.add(loan.getBorrower());
    }
    loan.getContacts().forEach(c -> numbers.add(c.getNumber()));
    loan.getCeases().forEach(c -> numbers.add(c.getRequester()));
    return numbers;
  }

  private void forward(String number, NumberFact fact, long at) {
    context.forward(new Record<>(number, fact, at));
  }

  static PolicyContact attempt(LenderEvent event, CollectionAttempt a) {
    boolean connected =
        a.getOutcome() == AttemptOutcome.CONNECTED || a.getOutcome() == AttemptOutcome.DELIVERED;
    return PolicyContact.newBuilder()
        .setId(event.getEventId())
        .setTime(event.getAt().toEpochMilli())
        .setChannel(a.getChannel().name())
        .setSource(LenderReference.SOURCE_LENDER)
        .setFrom(null)
        .setTo(a.getTarget().getId())
        .setToRegion(a.getTarget().getRegion())
        .setToTimeZone(a.getTarget().getTimeZone())
        .setConnected(connected)
        .setConversation(
            a.getChannel() == AttemptChannel.CALL && a.getOutcome() == AttemptOutcome.CONNECTED)
        .setLenderId(event.getLenderId())
        .setLoanId(a.getLoanId())
        .setAgencyId(a.getAgencyId())
        .build();
  }

  private static String loanId(Object payload) {
    if (payload instanceof LoanOpened p) {
      return p.getLoanId();
    } else if (payload instanceof Delinquency p) {
      return p.getLoanId();
    } else if (payload instanceof LoanClosed p) {
      return p.getLoanId();
    } else if (payload instanceof CeaseRequest p) {
      return p.getLoanId();
    }
    throw new IllegalArgumentException("not a loan event: " + payload.getClass().getSimpleName());
  }

  /**
   * Forgets loans closed more than {@code loanRetention} of stream time ago. The numbers' copies
   * are purged on the number side by the same rule.
   */
  private void purgeClosedLoans(long streamTime) {
    long cutoff = streamTime - rule.loanRetention().toMillis();
    StorePurge.deleteWhere(store, l -> l.getClosedAt() != null && l.getClosedAt() < cutoff);
  }
}

package org.dunwatch.streams.lender;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.dunwatch.streams.state.CollectorReg;
import org.dunwatch.streams.state.CollectorRegs;
import org.dunwatch.streams.state.LoanState;
import org.dunwatch.streams.state.NumberFact;
import org.dunwatch.streams.state.NumberLoans;
import org.dunwatch.streams.state.PolicyContact;
import org.dunwatch.streams.state.StorePurge;

/**
 * Per number, after the repartition: keeps each number's loans ({@link
 * LenderReference#NUMBER_STORE}) and this partition's copy of the collector registry ({@link
 * LenderReference#COLLECTOR_STORE}), and passes lender-reported attempts on, keyed by their target.
 */
final class NumberFactProcessor implements Processor<String, NumberFact, String, PolicyContact> {

  private final LenderReferenceRule rule;
  private ProcessorContext<String, PolicyContact> context;
  private KeyValueStore<String, NumberLoans> numbers;
  private KeyValueStore<String, CollectorRegs> collectors;

  NumberFactProcessor(LenderReferenceRule rule) {
    this.rule = rule;
  }

  @Override
  public void init(ProcessorContext<String, PolicyContact> context) {
    this.context = context;
    this.numbers = context.getStateStore(LenderReference.NUMBER_STORE);
    this.collectors = context.getStateStore(LenderReference.COLLECTOR_STORE);
    context.schedule(LoanProcessor.PURGE_INTERVAL, PunctuationType.STREAM_TIME, this::purge);
  }

  @Override
  public void process(Record<String, NumberFact> record) {
    NumberFact fact = record.value();
    String number = record.key();
    if (fact == null || number == null) {
      return;
    }
    if (fact.getAttempt() != null) {
      context.forward(new Record<>(number, fact.getAttempt(), record.timestamp()));
    } else if (fact.getCollector() != null) {
      addRegistration(number, fact.getCollector());
    } else if (fact.getLoan() != null) {
      putLoan(number, fact.getLoan());
    }
  }

  private void putLoan(String number, LoanState loan) {
    NumberLoans current = numbers.get(number);
    List<LoanState> loans =
        current == null ? new ArrayList<>() : new ArrayList<>(current.getLoans());
    loans.removeIf(
        l -> l.getLenderId().equals(loan.getLenderId()) && l.getLoanId().equals(loan.getLoanId()));
    if (LenderView.involves(loan, number)) {
      loans.add(loan);
    }
    if (loans.size() > rule.maxLoansPerNumber()) {
      // closed loans first, then the oldest: what is least likely to be collected on today
      loans.sort(
          Comparator.comparing((LoanState l) -> l.getClosedAt() == null)
              .thenComparing(l -> l.getOpenedAt() == null ? Long.MIN_VALUE : l.getOpenedAt()));
      loans = new ArrayList<>(loans.subList(loans.size() - rule.maxLoansPerNumber(), loans.size()));
    }
    if (loans.isEmpty()) {
      numbers.delete(number);
    } else {
      numbers.put(number, new NumberLoans(loans));
    }
  }

  private void addRegistration(String number, CollectorReg reg) {
    CollectorRegs current = collectors.get(number);
    List<CollectorReg> regs =
        current == null ? new ArrayList<>() : new ArrayList<>(current.getRegs());
    // a re-sent registration (same lender, agency and start) replaces the old one
    regs.removeIf(
        r ->
            r.getLenderId().equals(reg.getLenderId())
                && java.util.Objects.equals(r.getAgencyId(), reg.getAgencyId())
                && r.getValidFrom() == reg.getValidFrom());
    regs.add(reg);
    regs.sort(Comparator.comparingLong(CollectorReg::getValidFrom));
    while (regs.size() > rule.maxRegistrationsPerNumber()) {
      regs.remove(0);
    }
    collectors.put(number, new CollectorRegs(regs));
  }

  /** Forgets loans closed, and registrations ended, more than {@code loanRetention} ago. */
  private void purge(long streamTime) {
    long cutoff = streamTime - rule.loanRetention().toMillis();
    StorePurge.keepItems(
        numbers,
        NumberLoans::getLoans,
        l -> l.getClosedAt() == null || l.getClosedAt() >= cutoff,
        NumberLoans::new);
    StorePurge.keepItems(
        collectors,
        CollectorRegs::getRegs,
        r -> r.getValidTo() == null || r.getValidTo() >= cutoff,
        CollectorRegs::new);
  }
}

package org.dunwatch.streams.lender;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.dunwatch.streams.state.CeaseAt;
import org.dunwatch.streams.state.CollectorReg;
import org.dunwatch.streams.state.CollectorRegs;
import org.dunwatch.streams.state.DpdAt;
import org.dunwatch.streams.state.LoanContact;
import org.dunwatch.streams.state.LoanState;
import org.dunwatch.streams.state.NumberLoans;

/**
 * Read-only, as-of-time queries on the lender reference data, for a processor that was connected to
 * {@link LenderReference#stores()} and runs on records keyed by the number asked about (callee,
 * recipient): only that number's partition holds its loans. Collector lookups work for any number.
 */
public final class LenderView {

  private final KeyValueStore<String, NumberLoans> numbers;
  private final KeyValueStore<String, CollectorRegs> collectors;

  private LenderView(
      KeyValueStore<String, NumberLoans> numbers, KeyValueStore<String, CollectorRegs> collectors) {
    this.numbers = numbers;
    this.collectors = collectors;
  }

  /** Call from {@code Processor.init}. */
  public static LenderView connect(ProcessingContext context) {
    return new LenderView(
        context.getStateStore(LenderReference.NUMBER_STORE),
        context.getStateStore(LenderReference.COLLECTOR_STORE));
  }

  /**
   * The loans {@code number} is involved in at {@code at}: open then (opened at or before, not
   * closed at or before) as borrower or declared contact, and any loan it had asked to stop about
   * by then. Loans whose loan_opened has not arrived are not included.
   */
  public List<LoanRole> rolesOf(String number, long at) {
    return rolesOf(number, at, 0);
  }

  /**
   * As {@link #rolesOf(String, long)}, reading days past due with {@link #daysPastDue(LoanState,
   * long, long)}'s look-ahead.
   */
  public List<LoanRole> rolesOf(String number, long at, long lookaheadMs) {
    NumberLoans loans = numbers.get(number);
    List<LoanRole> roles = new ArrayList<>();
    if (loans == null) {
      return roles;
    }
    for (LoanState loan : loans.getLoans()) {
      LoanRole role = roleOf(loan, number, at, lookaheadMs);
      if (role != null) {
        roles.add(role);
      }
    }
    return roles;
  }

  /** What {@code number} is to {@code loan} at {@code at}, or null if nothing (see rolesOf). */
  public static LoanRole roleOf(LoanState loan, String number, long at) {
    return roleOf(loan, number, at, 0);
  }

  /** As {@link #roleOf(LoanState, String, long)}, with a days-past-due look-ahead. */
  public static LoanRole roleOf(LoanState loan, String number, long at, long lookaheadMs) {
    Long ceasedAt = ceasedAt(loan, number, at);
    boolean open =
        loan.getOpenedAt() != null
            && loan.getOpenedAt() <= at
            && (loan.getClosedAt() == null || loan.getClosedAt() > at);
    LoanRole.Role role = null;
    String relation = null;
    if (open && number.equals(loan.getBorrower())) {
      role = LoanRole.Role.BORROWER;
    } else if (open) {
      for (LoanContact c : loan.getContacts()) {
        if (c.getNumber().equals(number)) {
          role = LoanRole.Role.DECLARED_CONTACT;
          relation = c.getRelation();
          break;
        }
      }
    }
    if (role == null && ceasedAt == null) {
      return null;
    }
    if (role == null) {
      role = LoanRole.Role.UNDECLARED;
    }
    return new LoanRole(
        loan.getLenderId(),
        loan.getLoanId(),
        role,
        relation,
        loan.getBorrower(),
        daysPastDue(loan, at, lookaheadMs),
        ceasedAt);
  }

  /** The latest days past due reported at or before {@code at}, or null. */
  public static Integer daysPastDue(LoanState loan, long at) {
    Integer dpd = null;
    for (DpdAt p : loan.getDelinquency()) {
      if (p.getAt() <= at) {
        dpd = p.getDaysPastDue();
      }
    }
    return dpd;
  }

  /**
   * The days past due at {@code at}: the latest reported at or before it; if none was, the first
   * reported within {@code lookaheadMs} after it, less the whole days between (a report stamped a
   * little after the contact describes the loan as it was at the contact); else null.
   */
  public static Integer daysPastDue(LoanState loan, long at, long lookaheadMs) {
    Integer dpd = daysPastDue(loan, at);
    if (dpd != null || lookaheadMs <= 0) {
      return dpd;
    }
    DpdAt first = null;
    for (DpdAt p : loan.getDelinquency()) {
      if (p.getAt() > at
          && p.getAt() <= at + lookaheadMs
          && (first == null || p.getAt() < first.getAt())) {
        first = p;
      }
    }
    if (first == null) {
      return null;
    }
    return Math.max(0, first.getDaysPastDue() - (int) ((first.getAt() - at) / DAY_MS));
  }

  private static final long DAY_MS = 86_400_000L;

  /** When {@code number} asked to stop about {@code loan}, if at or before {@code at}. */
  public static Long ceasedAt(LoanState loan, String number, long at) {
    for (CeaseAt c : loan.getCeases()) {
      if (c.getRequester().equals(number) && c.getAt() <= at) {
        return c.getAt();
      }
    }
    return null;
  }

  /**
   * The registration of collector {@code number} valid at {@code at} (the latest begun), if any.
   */
  public Optional<CollectorReg> collectorAt(String number, long at) {
    if (number == null) {
      return Optional.empty();
    }
    CollectorRegs regs = collectors.get(number);
    if (regs == null) {
      return Optional.empty();
    }
    CollectorReg found = null;
    for (CollectorReg r : regs.getRegs()) {
      if (r.getValidFrom() <= at && (r.getValidTo() == null || r.getValidTo() > at)) {
        found = r;
      }
    }
    return Optional.ofNullable(found);
  }

  /**
   * The lenders that have a loan open at {@code at} on which {@code number} is borrower or declared
   * contact, and whether {@code other} is on one of those loans too (its borrower or a declared
   * contact): the relations a lender declared between two numbers.
   */
  public Relations relationsOf(String number, String other, long at) {
    NumberLoans loans = numbers.get(number);
    List<String> lenders = new ArrayList<>();
    boolean declaredTogether = false;
    if (loans != null) {
      for (LoanState loan : loans.getLoans()) {
        LoanRole role = roleOf(loan, number, at);
        if (role == null || role.role() == LoanRole.Role.UNDECLARED) {
          continue;
        }
        lenders.add(loan.getLenderId());
        declaredTogether |=
            other.equals(loan.getBorrower())
                || loan.getContacts().stream().anyMatch(c -> c.getNumber().equals(other));
      }
    }
    return new Relations(List.copyOf(lenders), declaredTogether);
  }

  /**
   * What lenders declared about a number (see {@link #relationsOf}).
   *
   * @param lenders lenders with an open loan the number is borrower or declared contact on
   * @param declaredTogether the other number is on one of those loans too
   */
  public record Relations(List<String> lenders, boolean declaredTogether) {}

  /**
   * Whether {@code number} is the borrower, a declared contact or a cease requester of the loan.
   */
  static boolean involves(LoanState loan, String number) {
    return number.equals(loan.getBorrower())
        || loan.getContacts().stream().anyMatch(c -> c.getNumber().equals(number))
        || loan.getCeases().stream().anyMatch(c -> c.getRequester().equals(number));
  }
}

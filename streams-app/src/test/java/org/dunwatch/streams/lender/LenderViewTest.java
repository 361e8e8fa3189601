package org.dunwatch.streams.lender;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.dunwatch.streams.state.AvroStateSerde;
import org.dunwatch.streams.state.BorrowerLoan;
import org.dunwatch.streams.state.BorrowerLoans;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The borrower queries of {@link LenderView}, on a store filled by hand. */
class LenderViewTest {

  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final String BORROWER = "+8618800000001";

  private LenderView view;

  @BeforeEach
  void setUp() {
    MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    KeyValueStore<String, BorrowerLoans> borrowers =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(LenderReference.BORROWER_STORE),
                Serdes.String(),
                AvroStateSerde.of(BorrowerLoans.class))
            .withLoggingDisabled()
            .build();
    borrowers.init(context.getStateStoreContext(), borrowers);
    context.addStateStore(borrowers);
    // loan-1 with L1 on days 0..10, loan-2 with L2 from day 20
    borrowers.put(
        BORROWER,
        new BorrowerLoans(
            List.of(
                new BorrowerLoan("L1", "loan-1", ms(day(0)), ms(day(10))),
                new BorrowerLoan("L2", "loan-2", ms(day(20)), null))));
    view = LenderView.connect(context);
  }

  private static Instant day(int d) {
    return T0.plus(Duration.ofDays(d));
  }

  private static long ms(Instant t) {
    return t.toEpochMilli();
  }

  @Test
  void shouldCountABorrowerWhoseLoanWasOpenAtAnyInstantOfTheInterval() {
    assertFalse(view.isBorrowerDuring(BORROWER, ms(day(-5)), ms(day(0)) - 1), "before it opened");
    assertTrue(view.isBorrowerDuring(BORROWER, ms(day(-5)), ms(day(0))), "opened at the end");
    assertTrue(view.isBorrowerDuring(BORROWER, ms(day(3)), ms(day(3))), "open at an instant");
    assertTrue(
        view.isBorrowerDuring(BORROWER, ms(day(10)) - 1, ms(day(15))),
        "closed within the interval");
    assertFalse(view.isBorrowerDuring(BORROWER, ms(day(10)), ms(day(15))), "closed at its start");
    assertTrue(view.isBorrowerDuring(BORROWER, ms(day(30)), ms(day(30))), "the second loan");
    assertFalse(view.isBorrowerDuring("+8618800000002", ms(day(0)), ms(day(30))), "no loans");
    assertFalse(view.isBorrowerDuring(null, ms(day(0)), ms(day(30))));
  }

  @Test
  void shouldCountOnlyTheGivenLendersLoansWhenALenderIsGiven() {
    assertTrue(view.borrowsFromDuring(BORROWER, "L1", ms(day(5)), ms(day(25))));
    assertTrue(view.borrowsFromDuring(BORROWER, "L2", ms(day(5)), ms(day(25))));
    assertFalse(view.borrowsFromDuring(BORROWER, "L1", ms(day(12)), ms(day(25))), "L1's is closed");
    assertFalse(view.borrowsFromDuring(BORROWER, "L2", ms(day(5)), ms(day(15))), "L2's not open");
    assertFalse(view.borrowsFromDuring(BORROWER, "L3", ms(day(0)), ms(day(30))));
    assertTrue(view.borrowsFromDuring(BORROWER, null, ms(day(12)), ms(day(25))), "any lender");
  }
}

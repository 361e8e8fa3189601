/**
 * Lender reference data: who owes whom, as of any instant, for detectors that run on telecom
 * traffic keyed by the callee or recipient.
 *
 * <h2>Use</h2>
 *
 * <pre>{@code
 * LenderReference ref = LenderReference.addTo(builder, in.lender(), LenderReferenceRule.from(rules));
 * calls.process(() -> new MyProcessor(...), Named.as("my-detector"), LenderReference.stores());
 * // in MyProcessor.init:  view = LenderView.connect(context);
 * // in process (record keyed by callee):
 * //   view.rolesOf(callee, t)  -> [LoanRole(lender, loan, BORROWER|DECLARED_CONTACT|UNDECLARED,
 * //                                relation, borrower, daysPastDue at t, ceasedAt)]
 * //   view.collectorAt(caller, t) -> Optional<CollectorReg(lender, agency, validFrom, validTo)>
 * }</pre>
 *
 * <ul>
 *   <li>{@link org.dunwatch.streams.lender.LenderReference#addTo} is called once per topology
 *       ({@code DunwatchTopology}); store names are constants there.
 *   <li>Every number's loans are copies of the whole time-indexed loan (opened, closed, days past
 *       due over time, cease requests), so "as of t" is answered locally; a loan's open interval is
 *       [loan_opened at, loan_closed at).
 *   <li>Collector registrations are on every partition, so {@code collectorAt} works for callers.
 *   <li>{@link org.dunwatch.streams.lender.LenderReference#attempts()} gives lender-reported
 *       collection attempts keyed by target, as {@code PolicyContact}s.
 *   <li>Lender facts that arrive after a call: the view reflects what has arrived; a detector that
 *       wants late facts to count waits {@code joinWindow} of stream time before judging a contact
 *       (the policy detectors do, see {@code org.dunwatch.streams.policy}).
 *   <li>Bounded: caps and the retention of closed loans are in {@link
 *       org.dunwatch.streams.lender.LenderReferenceRule} ({@code detectors.policy.reference}).
 * </ul>
 *
 * <p>"Person": the data gives one number per borrower per loan and no identity beyond it, so a
 * person is a number (party id); two loans with the same borrower number are the same person.
 */
package org.dunwatch.streams.lender;

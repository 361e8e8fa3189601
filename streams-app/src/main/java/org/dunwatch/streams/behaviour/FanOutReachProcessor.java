package org.dunwatch.streams.behaviour;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.streams.lender.LenderView;
import org.dunwatch.streams.lender.LoanRole;
import org.dunwatch.streams.state.CircleCall;
import org.dunwatch.streams.state.CircleState;
import org.dunwatch.streams.state.CollectorReg;
import org.dunwatch.streams.state.FanOutReaches;
import org.dunwatch.streams.state.Tie;

/**
 * On calls keyed by callee: the callee's side of the circle, and, for a call from a collection
 * source, one {@link FanOutReaches} for the members of the callee's circle (each a possible
 * borrower whose circle the source is working through), sent to each member's partition. A call
 * from an unregistered number goes first, as one {@link CircleCall} keyed by the caller, to {@link
 * SourceShareProcessor}, which adds how many numbers the caller is in touch with before spreading
 * it to the members.
 *
 * <p>A source is a number some lender registered (its lender), or, with {@code
 * unregisteredSources}, any caller who is a stranger to the callee (not in the callee's circle).
 * Whether the member really is a borrower is decided on the member's partition. The callee's
 * declared-contact roles are known here (its partition), so the reach says whether the callee is a
 * declared contact of that member's loans.
 */
final class FanOutReachProcessor implements Processor<String, CallRecord, String, SpecificRecord> {

  private final FanOutRule rule;
  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, CircleState> circles;
  private LenderView lender;

  FanOutReachProcessor(FanOutRule rule) {
    this.rule = rule;
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.circles = context.getStateStore(Circles.STORE);
    this.lender = LenderView.connect(context);
  }

  @Override
  public void process(Record<String, CallRecord> record) {
    CallRecord call = record.value();
    if (call == null || call.getCaller() == null || call.getCallee() == null) {
      return;
    }
    String callee = record.key() != null ? record.key() : call.getCallee().getId();
    String caller = call.getCaller().getId();
    long t = record.timestamp();
    CircleState circle = circles.get(callee);

    Optional<CollectorReg> reg = lender.collectorAt(caller, t);
    String source = null;
    if (reg.isPresent()) {
      source = "LENDER:" + reg.get().getLenderId();
    } else if (rule.unregisteredSources() && !Circles.inCircle(circle, rule, caller, t)) {
      source = "NUMBER:" + caller;
    }
    Set<String> declaredFor = new HashSet<>();
    if (source != null) {
      boolean ownDebt = false;
      for (LoanRole role : lender.rolesOf(callee, t)) {
        if (role.role() == LoanRole.Role.DECLARED_CONTACT && role.borrower() != null) {
          declaredFor.add(role.borrower());
        }
        ownDebt |=
            role.role() == LoanRole.Role.BORROWER
                && reg.isPresent()
                && role.lenderId().equals(reg.get().getLenderId());
      }
      // a lender calling its own borrower collects that borrower's debt, whoever his friends are
      if (ownDebt) {
        source = null;
      }
    }
    if (source != null) {
      List<String> members = new ArrayList<>();
      for (Tie tie : Circles.circleAt(circle, rule, t)) {
        if (!tie.getNumber().equals(caller)) {
          members.add(tie.getNumber());
        }
      }
      if (!members.isEmpty() && reg.isEmpty()) {
        // an unregistered number: its own ties, on its partition, tell whether it works this circle
        CircleCall cc =
            CircleCall.newBuilder()
                .setCaller(caller)
                .setCallee(callee)
                .setCalleeRegion(call.getCallee().getRegion())
                .setMembers(members)
                .setDeclaredFor(members.stream().filter(declaredFor::contains).toList())
                .setEventId(call.getCallId())
                .setTime(t)
                .build();
        context.forward(new Record<>(caller, cc, t));
      } else if (!members.isEmpty()) {
        FanOutReaches reach =
            Reaches.of(members, declaredFor)
                .setReached(callee)
                .setReachedRegion(call.getCallee().getRegion())
                .setSource(source)
                .setLenderId(reg.map(CollectorReg::getLenderId).orElse(null))
                .setAgencyId(reg.map(CollectorReg::getAgencyId).orElse(null))
                .setViaNumber(caller)
                .setEventId(call.getCallId())
                .setTime(t)
                .build();
        context.forward(new Record<>(callee, reach, t));
      }
    }
    // after the judgement: a collector's own calls must not make it a member of the circle first
    Circles.record(circles, rule, callee, caller, Circles.weight(call), t);
  }
}

package org.dunwatch.streams.behaviour;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.dunwatch.streams.state.CircleCall;
import org.dunwatch.streams.state.CircleState;
import org.dunwatch.streams.state.FanOutReaches;

/**
 * On calls from unregistered numbers into someone's circle, keyed by the caller (the caller's
 * partition, where {@link Circles.CallerSide} keeps the caller's own ties): adds to each reach how
 * many numbers the caller is in touch with, then spreads the call to the circle's members (one
 * {@link FanOutReaches} to each of their partitions). {@link FanOutProcessor} then asks whether the
 * people reached in one circle are a large share of the caller's contacts (a number working one
 * phone book) or a sliver of them (a call centre whose many calls land in every circle by chance).
 * A member the caller is in touch with itself is skipped: calling the friends of one's own friend
 * is how social graphs look.
 */
final class SourceShareProcessor implements Processor<String, CircleCall, String, FanOutReaches> {

  private final FanOutRule rule;
  private ProcessorContext<String, FanOutReaches> context;
  private KeyValueStore<String, CircleState> circles;

  SourceShareProcessor(FanOutRule rule) {
    this.rule = rule;
  }

  @Override
  public void init(ProcessorContext<String, FanOutReaches> context) {
    this.context = context;
    this.circles = context.getStateStore(Circles.STORE);
  }

  @Override
  public void process(Record<String, CircleCall> record) {
    CircleCall c = record.value();
    if (c == null) {
      return;
    }
    long t = record.timestamp();
    CircleState own = circles.get(c.getCaller());
    int contacts = Circles.contacts(own, rule, c.getCallee(), t);
    Set<String> known = new HashSet<>();
    Circles.circleAt(own, rule, t).forEach(tie -> known.add(tie.getNumber()));
    List<String> strangers = new ArrayList<>();
    for (String member : c.getMembers()) {
      // the caller knows this person itself: a friend of a friend, not a stranger
      if (!known.contains(member)) {
        strangers.add(member);
      }
    }
    if (strangers.isEmpty()) {
      return;
    }
    FanOutReaches reach =
        Reaches.of(strangers, new HashSet<>(c.getDeclaredFor()))
            .setReached(c.getCallee())
            .setReachedRegion(c.getCalleeRegion())
            .setSource("NUMBER:" + c.getCaller())
            .setViaNumber(c.getCaller())
            .setEventId(c.getEventId())
            .setTime(c.getTime())
            .setSourceContacts(contacts)
            .build();
    context.forward(new Record<>(c.getCallee(), reach, t));
  }
}

package org.dunwatch.streams.feeds;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.dunwatch.avro.feed.Scorecard;
import org.dunwatch.streams.state.ScoreIncident;
import org.dunwatch.streams.state.ScoreSignal;
import org.dunwatch.streams.state.ScoreState;

/** Per owner: folds signals into the owner's day and week, publishes revisions and finals. */
final class ScorecardProcessor implements Processor<String, ScoreSignal, String, Scorecard> {

  /** How often, in stream time, changed scorecards are published and closed periods finalised. */
  static final Duration PUBLISH_INTERVAL = Duration.ofMinutes(1);

  /** How often, on the wall clock, changed scorecards are published whatever event time does. */
  static final Duration WALL_CLOCK_PUBLISH = Duration.ofSeconds(10);

  private final ScorecardRule rule;
  private final long graceMs;
  private final long retentionMs;

  private ProcessorContext<String, Scorecard> context;
  private KeyValueStore<String, ScoreState> store;

  ScorecardProcessor(ScorecardRule rule) {
    this.rule = rule;
    this.graceMs = rule.grace().toMillis();
    this.retentionMs = rule.retention().toMillis();
  }

  @Override
  public void init(ProcessorContext<String, Scorecard> context) {
    this.context = context;
    this.store = context.getStateStore(ScorecardFeed.STORE);
    context.schedule(PUBLISH_INTERVAL, PunctuationType.STREAM_TIME, this::publish);
    // a revision that arrives after the clock's last tick (late data, or the last contacts before
    // a quiet spell) would otherwise wait for event time to move on; finality stays on event time
    context.schedule(
        WALL_CLOCK_PUBLISH,
        PunctuationType.WALL_CLOCK_TIME,
        now -> publish(context.currentStreamTimeMs()));
  }

  @Override
  public void process(Record<String, ScoreSignal> record) {
    String owner = record.key();
    ScoreSignal signal = record.value();
    if (owner == null || signal == null) {
      return;
    }
    long streamTime = context.currentStreamTimeMs();
    for (Periods.Period p : Periods.of(record.timestamp())) {
      if (p.end() + graceMs <= streamTime) {
        continue; // the period is final: its scorecard is no longer revised
      }
      String key = owner + "@" + p.name();
      ScoreState s = store.get(key);
      if (s == null) {
        int slash = owner.indexOf('/');
        s =
            new ScoreState(
                slash < 0 ? owner : owner.substring(0, slash),
                slash < 0 ? null : owner.substring(slash + 1),
                p.name(),
                p.start(),
                p.end(),
                new ArrayList<>(),
                false,
                new HashMap<>(),
                0L,
                false,
                false);
      }
      s.setContacts(s.getContacts() + signal.getContacts());
      if (signal.getIncident() != null) {
        add(s, signal.getIncident());
      }
      s.setDirty(true);
      store.put(key, s);
    }
  }

  /** The same incident once, with the severity and evidence of its highest revision. */
  private void add(ScoreState s, ScoreIncident i) {
    List<ScoreIncident> incidents = new ArrayList<>(s.getIncidents());
    for (ScoreIncident o : incidents) {
      if (o.getAlertId().equals(i.getAlertId())) {
        if (i.getRevision() >= o.getRevision()) {
          o.setRevision(i.getRevision());
          o.setSeverity(i.getSeverity());
          o.setEvidenceTotal(Math.max(o.getEvidenceTotal(), i.getEvidenceTotal()));
        }
        s.setIncidents(incidents);
        return;
      }
    }
    if (incidents.size() >= rule.maxIncidentsPerPeriod()) {
      s.setCapped(true);
      HashMap<String, Integer> overflow = new HashMap<>(s.getOverflowByType());
      overflow.merge(i.getType(), 1, Integer::sum);
      s.setOverflowByType(overflow);
      return;
    }
    incidents.add(ScoreIncident.newBuilder(i).build());
    s.setIncidents(incidents);
  }

  private void publish(long streamTime) {
    List<KeyValue<String, ScoreState>> due = new ArrayList<>();
    try (KeyValueIterator<String, ScoreState> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<String, ScoreState> e = it.next();
        ScoreState s = e.value;
        boolean closes = !s.getFinal$() && s.getEnd() + graceMs <= streamTime;
        boolean expired = s.getFinal$() && s.getEnd() + retentionMs <= streamTime;
        if (s.getDirty() || closes || expired) {
          due.add(e);
        }
      }
    }
    for (KeyValue<String, ScoreState> e : due) {
      ScoreState s = e.value;
      if (s.getFinal$()) {
        store.delete(e.key);
        continue;
      }
      if (s.getEnd() + graceMs <= streamTime) {
        s.setFinal$(true);
      }
      s.setDirty(false);
      store.put(e.key, s);
      context.forward(
          new Record<>(
              e.key,
              ScorecardFeed.toScorecard(s, rule.worstIncidents()),
              Math.min(streamTime, s.getEnd() + graceMs)));
    }
  }
}

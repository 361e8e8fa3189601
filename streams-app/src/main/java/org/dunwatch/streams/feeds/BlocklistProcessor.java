package org.dunwatch.streams.feeds;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.dunwatch.avro.alert.Severity;
import org.dunwatch.avro.feed.BlocklistAction;
import org.dunwatch.avro.feed.BlocklistEntry;
import org.dunwatch.streams.state.BlockCollectorReg;
import org.dunwatch.streams.state.BlockIncident;
import org.dunwatch.streams.state.BlocklistState;

/**
 * Per number: merges incident and registration signals into {@link BlocklistState}, publishes the
 * entry when it changes and a tombstone when the last incident behind it has been quiet long
 * enough.
 */
final class BlocklistProcessor
    implements Processor<String, BlocklistState, String, BlocklistEntry> {

  /** How often, in stream time, entries are checked for expiry. */
  static final Duration EXPIRY_INTERVAL = Duration.ofMinutes(5);

  private final BlocklistRule rule;
  private final long quietMs;

  private ProcessorContext<String, BlocklistEntry> context;
  private KeyValueStore<String, BlocklistState> states;
  private KeyValueStore<String, BlocklistEntry> entries;

  BlocklistProcessor(BlocklistRule rule) {
    this.rule = rule;
    this.quietMs = rule.quietPeriod().toMillis();
  }

  @Override
  public void init(ProcessorContext<String, BlocklistEntry> context) {
    this.context = context;
    this.states = context.getStateStore(BlocklistFeed.STATE_STORE);
    this.entries = context.getStateStore(BlocklistFeed.ENTRY_STORE);
    context.schedule(EXPIRY_INTERVAL, PunctuationType.STREAM_TIME, this::expire);
  }

  @Override
  public void process(Record<String, BlocklistState> record) {
    String number = record.key();
    BlocklistState signal = record.value();
    if (number == null || signal == null) {
      return;
    }
    long now = Math.max(context.currentStreamTimeMs(), record.timestamp());
    BlocklistState state = states.get(number);
    List<BlockIncident> incidents =
        state == null ? new ArrayList<>() : new ArrayList<>(state.getIncidents());
    List<BlockCollectorReg> regs =
        state == null ? new ArrayList<>() : new ArrayList<>(state.getCollectors());
    Long listedSince = state == null ? null : state.getListedSince();
    for (BlockCollectorReg r : signal.getCollectors()) {
      if (!regs.contains(r)) {
        regs.add(r);
      }
    }
    regs.sort(Comparator.comparingLong(BlockCollectorReg::getValidFrom));
    while (regs.size() > rule.maxRegistrationsPerNumber()) {
      regs.remove(0);
    }
    for (BlockIncident i : signal.getIncidents()) {
      // a revision that arrives after its incident would already have been lifted reopens
      // nothing: the quiet period is measured on event time, late data included
      if (i.getLastTime() + quietMs > now) {
        merge(incidents, i);
      }
    }
    incidents.removeIf(i -> i.getLastTime() + quietMs <= now);
    while (incidents.size() > rule.maxIncidentsPerNumber()) {
      incidents.remove(
          incidents.stream().min(Comparator.comparingLong(BlockIncident::getLastTime)).get());
    }
    listedSince = publish(number, incidents, regs, listedSince, record.timestamp(), now);
    save(number, incidents, regs, listedSince);
  }

  /** The same incident in the same role: one entry with the highest revision's severity. */
  private static void merge(List<BlockIncident> incidents, BlockIncident i) {
    for (BlockIncident o : incidents) {
      if (o.getAlertId().equals(i.getAlertId()) && o.getRole().equals(i.getRole())) {
        if (i.getRevision() >= o.getRevision()) {
          o.setRevision(i.getRevision());
          o.setSeverity(i.getSeverity());
        }
        o.setFirstTime(Math.min(o.getFirstTime(), i.getFirstTime()));
        o.setLastTime(Math.max(o.getLastTime(), i.getLastTime()));
        return;
      }
    }
    incidents.add(BlockIncident.newBuilder(i).build());
  }

  /** Lifts or lowers the entries whose incidents went quiet, in stream time. */
  private void expire(long streamTime) {
    List<KeyValue<String, BlocklistState>> changed = new ArrayList<>();
    try (KeyValueIterator<String, BlocklistState> it = states.all()) {
      while (it.hasNext()) {
        KeyValue<String, BlocklistState> e = it.next();
        if (e.value.getIncidents().stream()
            .anyMatch(i -> i.getLastTime() + quietMs <= streamTime)) {
          changed.add(e);
        }
      }
    }
    for (KeyValue<String, BlocklistState> e : changed) {
      List<BlockIncident> incidents = new ArrayList<>(e.value.getIncidents());
      incidents.removeIf(i -> i.getLastTime() + quietMs <= streamTime);
      List<BlockCollectorReg> regs = new ArrayList<>(e.value.getCollectors());
      Long since =
          publish(e.key, incidents, regs, e.value.getListedSince(), streamTime, streamTime);
      save(e.key, incidents, regs, since);
    }
  }

  /**
   * Publishes the entry {@code incidents} call for if it differs from the last one published, or a
   * tombstone if there is none any more.
   *
   * @return when the current listing began, null if the number is not listed
   */
  private Long publish(
      String number,
      List<BlockIncident> incidents,
      List<BlockCollectorReg> regs,
      Long listedSince,
      long eventTime,
      long now) {
    BlocklistEntry previous = entries.get(number);
    if (incidents.isEmpty()) {
      if (previous != null) {
        entries.delete(number);
        context.forward(
            new Record<>(
                number, null, Math.max(eventTime, previous.getExpiresAt().toEpochMilli())));
      }
      return null;
    }
    // a late first revision moves the start of the listing back
    long earliest = incidents.stream().mapToLong(BlockIncident::getFirstTime).min().getAsLong();
    long since = listedSince != null ? Math.min(listedSince, earliest) : earliest;
    BlocklistEntry entry = entryFor(number, incidents, regs, since, eventTime, now);
    if (previous == null || !sameListing(previous, entry)) {
      entries.put(number, entry);
      context.forward(new Record<>(number, entry, eventTime));
    }
    return since;
  }

  BlocklistEntry entryFor(
      String number,
      List<BlockIncident> incidents,
      List<BlockCollectorReg> regs,
      long since,
      long eventTime,
      long now) {
    List<BlockIncident> subject =
        incidents.stream().filter(i -> BlocklistFeed.SUBJECT.equals(i.getRole())).toList();
    List<BlockIncident> behind = subject.isEmpty() ? incidents : subject;
    Severity severity =
        behind.stream()
            .map(i -> Severity.valueOf(i.getSeverity()))
            .max(Comparator.naturalOrder())
            .get();
    TreeSet<String> types = new TreeSet<>();
    TreeSet<String> ids = new TreeSet<>();
    behind.forEach(
        i -> {
          types.add(i.getType());
          ids.add(i.getAlertId());
        });
    long lastActivity = incidents.stream().mapToLong(BlockIncident::getLastTime).max().getAsLong();
    Optional<BlockCollectorReg> reg = registrationAt(regs, now);
    BlocklistAction action;
    String reason;
    String what = String.join(", ", types) + " at " + severity;
    if (subject.isEmpty()) {
      action = BlocklistAction.PROTECT;
      reason = "victim of " + what + ": screen calls and messages from unknown numbers";
    } else if (severity.compareTo(rule.blockFrom()) < 0) {
      action = BlocklistAction.THROTTLE;
      reason = "caller or sender in " + count(ids.size()) + " (" + what + ")";
    } else if (reg.isPresent()) {
      action = BlocklistAction.THROTTLE;
      reason =
          "registered collector number of lender "
              + reg.get().getLenderId()
              + (reg.get().getAgencyId() == null ? "" : " (agency " + reg.get().getAgencyId() + ")")
              + ": throttled, not blocked, though its "
              + count(ids.size())
              + " reach "
              + severity
              + " ("
              + String.join(", ", types)
              + "); refer to the lender and the regulator";
    } else {
      action = BlocklistAction.BLOCK;
      reason = "caller or sender in " + count(ids.size()) + " (" + what + ")";
    }
    return BlocklistEntry.newBuilder()
        .setNumber(number)
        .setAction(action)
        .setReason(reason)
        .setSeverity(severity.name())
        .setAlertTypes(new ArrayList<>(types))
        .setAlertIds(new ArrayList<>(ids))
        .setSince(Instant.ofEpochMilli(since))
        .setExpiresAt(Instant.ofEpochMilli(lastActivity + quietMs))
        .setUpdatedAt(Instant.ofEpochMilli(eventTime))
        .setRegisteredCollector(reg.isPresent())
        .setLenderId(reg.map(BlockCollectorReg::getLenderId).orElse(null))
        .setAgencyId(reg.map(BlockCollectorReg::getAgencyId).orElse(null))
        .build();
  }

  private static String count(int n) {
    return n == 1 ? "1 open incident" : n + " open incidents";
  }

  /** The registration valid at {@code at}, the latest begun. */
  static Optional<BlockCollectorReg> registrationAt(List<BlockCollectorReg> regs, long at) {
    BlockCollectorReg found = null;
    for (BlockCollectorReg r : regs) {
      if (r.getValidFrom() <= at && (r.getValidTo() == null || r.getValidTo() > at)) {
        found = r;
      }
    }
    return Optional.ofNullable(found);
  }

  /** Equal but for when it was last touched: not worth a new record on the feed. */
  private static boolean sameListing(BlocklistEntry a, BlocklistEntry b) {
    return a.getAction() == b.getAction()
        && a.getSeverity().equals(b.getSeverity())
        && a.getAlertIds().equals(b.getAlertIds())
        && a.getExpiresAt().equals(b.getExpiresAt())
        && a.getRegisteredCollector() == b.getRegisteredCollector()
        && Objects.equals(a.getLenderId(), b.getLenderId())
        && a.getSince().equals(b.getSince());
  }

  private void save(
      String number, List<BlockIncident> incidents, List<BlockCollectorReg> regs, Long since) {
    if (incidents.isEmpty() && regs.isEmpty()) {
      states.delete(number);
    } else {
      states.put(number, new BlocklistState(incidents, regs, since));
    }
  }
}

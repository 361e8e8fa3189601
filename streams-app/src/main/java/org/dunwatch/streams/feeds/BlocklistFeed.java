package org.dunwatch.streams.feeds;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.alert.AlertType;
import org.dunwatch.avro.alert.SubjectKind;
import org.dunwatch.avro.feed.BlocklistEntry;
import org.dunwatch.avro.lender.CollectorNumber;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.schemas.Topic;
import org.dunwatch.streams.state.AvroStateSerde;
import org.dunwatch.streams.state.BlockCollectorReg;
import org.dunwatch.streams.state.BlockIncident;
import org.dunwatch.streams.state.BlocklistState;

/**
 * The telecom blocklist, {@code dunwatch.blocklist.v1}: for every caller or sender behind an open
 * CALL_FLOOD, SMS_FLOOD or CONTACT_FAN_OUT incident a THROTTLE or BLOCK entry, and for every victim
 * of an open call or SMS bombing a PROTECT entry, keyed by the number.
 *
 * <p>Built from the alerts inside the topology: each alert becomes a signal per number it names
 * (subject, victim), and each collector-number registration a signal for its number; both go
 * through one repartition topic keyed by number, so that one processor per number sees its
 * incidents and whether it is a lender's registered collector number (never blocked without saying
 * so). Entries follow event time: raised or lowered as incidents escalate or end, lifted with a
 * tombstone once every incident behind one has been quiet for {@code quiet_period}.
 */
public final class BlocklistFeed {

  /** Per number: {@link BlocklistState}, its open incidents and collector registrations. */
  public static final String STATE_STORE = "blocklist-state";

  /** Per number: the entry as last published, for the query API; absent when lifted. */
  public static final String ENTRY_STORE = "blocklist-entries";

  public static final String REPARTITION = "blocklist-by-number";
  public static final String PROCESSOR = "blocklist";
  public static final String SINK = "blocklist-sink";

  static final String SUBJECT = "SUBJECT";
  static final String VICTIM = "VICTIM";

  /** Alert types whose subjects are listed. */
  static final Set<AlertType> LISTED =
      EnumSet.of(AlertType.CALL_FLOOD, AlertType.SMS_FLOOD, AlertType.CONTACT_FAN_OUT);

  /** Alert types whose victims are protected (bombing). */
  static final Set<AlertType> PROTECTED = EnumSet.of(AlertType.CALL_FLOOD, AlertType.SMS_FLOOD);

  private BlocklistFeed() {}

  /**
   * Adds the feed to {@code builder} and writes it to {@code out}.
   *
   * @param alerts every alert, timestamped with the event time that raised or grew it
   * @param lender decoded lender events (for collector-number registrations)
   * @return the entries written (null values are tombstones)
   */
  public static KStream<String, BlocklistEntry> addTo(
      StreamsBuilder builder,
      KStream<String, Alert> alerts,
      KStream<String, LenderEvent> lender,
      Topic<String, BlocklistEntry> out,
      BlocklistRule rule) {
    builder.addStateStore(FeedStores.keyValue(STATE_STORE, BlocklistState.class));
    builder.addStateStore(FeedStores.keyValue(ENTRY_STORE, BlocklistEntry.class));
    KStream<String, BlocklistState> fromAlerts =
        alerts.flatMap((k, a) -> signalsOf(a), Named.as("blocklist-alert-signals"));
    KStream<String, BlocklistState> fromRegistrations =
        lender.flatMap((k, e) -> registrationOf(e), Named.as("blocklist-registration-signals"));
    KStream<String, BlocklistEntry> entries =
        fromAlerts
            .merge(fromRegistrations, Named.as("blocklist-signals"))
            .repartition(
                Repartitioned.<String, BlocklistState>as(REPARTITION)
                    .withKeySerde(Serdes.String())
                    .withValueSerde(AvroStateSerde.of(BlocklistState.class)))
            .process(
                () -> new BlocklistProcessor(rule), Named.as(PROCESSOR), STATE_STORE, ENTRY_STORE);
    entries.to(out.name(), Produced.with(out.keySerde(), out.valueSerde()).withName(SINK));
    return entries;
  }

  /** One signal per number the alert lists: its subject (a number) and a bombing's victim. */
  static List<KeyValue<String, BlocklistState>> signalsOf(Alert a) {
    List<KeyValue<String, BlocklistState>> out = new ArrayList<>();
    if (a == null || !LISTED.contains(a.getType())) {
      return out;
    }
    String subject =
        a.getSubject() != null && a.getSubject().getKind() == SubjectKind.NUMBER
            ? a.getSubject().getId()
            : null;
    if (subject != null) {
      out.add(KeyValue.pair(subject, fragment(a, SUBJECT)));
    }
    if (PROTECTED.contains(a.getType())
        && a.getVictim() != null
        && !a.getVictim().equals(subject)) {
      out.add(KeyValue.pair(a.getVictim(), fragment(a, VICTIM)));
    }
    return out;
  }

  private static BlocklistState fragment(Alert a, String role) {
    long t =
        a.getTriggeredAt() != null
            ? a.getTriggeredAt().toEpochMilli()
            : a.getWindowEnd().toEpochMilli();
    BlockIncident incident =
        new BlockIncident(
            a.getAlertId(),
            a.getType().name(),
            role,
            a.getSeverity().name(),
            a.getRevision() == null ? 1 : a.getRevision(),
            t,
            t);
    return new BlocklistState(List.of(incident), List.of(), null);
  }

  static List<KeyValue<String, BlocklistState>> registrationOf(LenderEvent e) {
    if (e == null || !(e.getPayload() instanceof CollectorNumber c) || c.getNumber() == null) {
      return List.of();
    }
    BlockCollectorReg reg =
        new BlockCollectorReg(
            e.getLenderId(),
            c.getAgencyId(),
            e.getAt().toEpochMilli(),
            c.getValidTo() == null ? null : c.getValidTo().toEpochMilli());
    return List.of(
        KeyValue.pair(c.getNumber().getId(), new BlocklistState(List.of(), List.of(reg), null)));
  }
}

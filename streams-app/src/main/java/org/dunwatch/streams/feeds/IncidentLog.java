package org.dunwatch.streams.feeds;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.streams.state.AvroStateSerde;
import org.dunwatch.streams.state.IncidentHistory;

/**
 * Every revision of every incident, keyed by alert id, for the query API ({@code GET
 * /api/v1/incidents/{alert_id}}): the alerts topic has them too, but keyed by victim and not
 * queryable. The alerts are repartitioned by alert id so that one incident is in one known
 * partition; histories are dropped {@code retention} of event time after their latest revision.
 */
public final class IncidentLog {

  public static final String STORE = "incidents";
  public static final String REPARTITION = "incidents-by-id";
  public static final String PROCESSOR = "incidents";

  /** How often, in stream time, old incidents are dropped. */
  static final Duration PURGE_INTERVAL = Duration.ofHours(1);

  private IncidentLog() {}

  public static void addTo(
      StreamsBuilder builder, KStream<String, Alert> alerts, IncidentRule rule) {
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STORE),
                Serdes.String(),
                AvroStateSerde.of(IncidentHistory.class))
            .withCachingEnabled());
    alerts
        .selectKey((k, a) -> a.getAlertId(), Named.as("incidents-by-alert-id"))
        .repartition(
            Repartitioned.<String, Alert>as(REPARTITION)
                .withKeySerde(Serdes.String())
                .withValueSerde(AvroStateSerde.of(Alert.class)))
        .process(() -> new Fold(rule), Named.as(PROCESSOR), STORE);
  }

  /** The alerts of one incident, oldest first. */
  public static List<Alert> revisions(IncidentHistory h) {
    List<Alert> out = new ArrayList<>();
    for (ByteBuffer b : h.getRevisions()) {
      try {
        out.add(Alert.fromByteBuffer(b.duplicate()));
      } catch (IOException e) {
        throw new UncheckedIOException("unreadable alert in incident " + h.getAlertId(), e);
      }
    }
    return out;
  }

  private static final class Fold implements Processor<String, Alert, Void, Void> {
    private final IncidentRule rule;
    private KeyValueStore<String, IncidentHistory> store;

    Fold(IncidentRule rule) {
      this.rule = rule;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      store = context.getStateStore(STORE);
      long retention = rule.retention().toMillis();
      context.schedule(
          PURGE_INTERVAL,
          PunctuationType.STREAM_TIME,
          now -> {
            List<String> old = new ArrayList<>();
            try (KeyValueIterator<String, IncidentHistory> it = store.all()) {
              while (it.hasNext()) {
                KeyValue<String, IncidentHistory> e = it.next();
                if (e.value.getLastTime() + retention <= now) {
                  old.add(e.key);
                }
              }
            }
            old.forEach(store::delete);
          });
    }

    @Override
    public void process(Record<String, Alert> record) {
      Alert a = record.value();
      if (a == null || record.key() == null) {
        return;
      }
      IncidentHistory h = store.get(record.key());
      List<ByteBuffer> revisions =
          h == null ? new ArrayList<>() : new ArrayList<>(h.getRevisions());
      List<Alert> known = h == null ? List.of() : revisions(h);
      int rev = a.getRevision() == null ? 1 : a.getRevision();
      if (known.stream().anyMatch(k -> (k.getRevision() == null ? 1 : k.getRevision()) == rev)) {
        return; // redelivered
      }
      int at = 0;
      while (at < known.size()
          && (known.get(at).getRevision() == null ? 1 : known.get(at).getRevision()) < rev) {
        at++;
      }
      try {
        revisions.add(at, a.toByteBuffer());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      while (revisions.size() > rule.maxRevisions()) {
        revisions.remove(1); // keep the first and the latest
      }
      long last = Math.max(h == null ? Long.MIN_VALUE : h.getLastTime(), record.timestamp());
      store.put(
          record.key(),
          IncidentHistory.newBuilder()
              .setAlertId(a.getAlertId())
              .setType(a.getType().name())
              .setVictim(a.getVictim())
              .setSubjectKind(a.getSubject().getKind().name())
              .setSubjectId(a.getSubject().getId())
              .setLenderId(a.getLenderId())
              .setAgencyId(a.getAgencyId())
              .setLastTime(last)
              .setRevisions(revisions)
              .build());
    }
  }
}

package org.dunwatch.streams.feeds;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.alert.Severity;
import org.dunwatch.avro.feed.Scorecard;
import org.dunwatch.schemas.Topic;
import org.dunwatch.streams.state.AvroStateSerde;
import org.dunwatch.streams.state.JudgedContact;
import org.dunwatch.streams.state.ScoreIncident;
import org.dunwatch.streams.state.ScoreSignal;
import org.dunwatch.streams.state.ScoreState;

/**
 * Lender and agency scorecards, {@code dunwatch.scorecards.v1}: per owner (a lender, or a lender's
 * agency as {@code lender/agency}) and per UTC day and ISO week, the incidents attributed to it by
 * type and severity, distinct victims, the collection contacts the policy detectors judged, the
 * breach rate per 1,000 contacts and the worst incidents.
 *
 * <p>A tumbling-window aggregation on event time, written with the Processor API so that one store
 * serves both period lengths, every revision and the final record, and the query API: alerts and
 * judged contacts go through one repartition topic partitioned by lender ({@link ByLender}), each
 * updates the owner's day and week; dirty scorecards are published every {@link
 * ScorecardProcessor#PUBLISH_INTERVAL} of stream time, and once a period's end plus {@code grace}
 * has passed it is published with {@code final = true} and takes no more data.
 */
public final class ScorecardFeed {

  /** Per {@code owner@period}: {@link ScoreState}. */
  public static final String STORE = "scorecards";

  public static final String REPARTITION = "scorecards-by-owner";
  public static final String PROCESSOR = "scorecards";
  public static final String SINK = "scorecards-sink";

  private ScorecardFeed() {}

  /**
   * Adds the feed to {@code builder} and writes it to {@code out}.
   *
   * @param alerts every alert; those with a lender count for it and its agency
   * @param judged every collection contact judged by the policy detectors
   */
  public static void addTo(
      StreamsBuilder builder,
      KStream<String, Alert> alerts,
      KStream<String, JudgedContact> judged,
      Topic<String, Scorecard> out,
      ScorecardRule rule) {
    builder.addStateStore(FeedStores.keyValue(STORE, ScoreState.class));
    KStream<String, ScoreSignal> incidents =
        alerts.flatMap(
            (k, a) ->
                signals(
                    a == null ? null : a.getLenderId(),
                    a == null ? null : a.getAgencyId(),
                    a == null ? null : incidentOf(a),
                    0),
            Named.as("scorecards-alert-signals"));
    KStream<String, ScoreSignal> contacts =
        judged.flatMap(
            (k, c) -> signals(c.getLenderId(), c.getAgencyId(), null, 1),
            Named.as("scorecards-contact-signals"));
    incidents
        .merge(contacts, Named.as("scorecards-signals"))
        .repartition(
            Repartitioned.<String, ScoreSignal>as(REPARTITION)
                .withKeySerde(Serdes.String())
                .withValueSerde(AvroStateSerde.of(ScoreSignal.class))
                .withStreamPartitioner(new ByLender<>()))
        .process(() -> new ScorecardProcessor(rule), Named.as(PROCESSOR), STORE)
        .to(out.name(), Produced.with(out.keySerde(), out.valueSerde()).withName(SINK));
  }

  private static ScoreIncident incidentOf(Alert a) {
    return new ScoreIncident(
        a.getAlertId(),
        a.getType().name(),
        a.getSeverity().name(),
        a.getRevision() == null ? 1 : a.getRevision(),
        a.getVictim(),
        a.getEvidence() == null ? 0 : a.getEvidence().getTotal());
  }

  /** The owners a lender and agency score for: the lender, and the agency within it. */
  private static List<KeyValue<String, ScoreSignal>> signals(
      String lender, String agency, ScoreIncident incident, long contacts) {
    List<KeyValue<String, ScoreSignal>> out = new ArrayList<>();
    if (lender == null || lender.isEmpty()) {
      return out;
    }
    out.add(KeyValue.pair(lender, new ScoreSignal(incident, contacts)));
    if (agency != null && !agency.isEmpty()) {
      out.add(KeyValue.pair(lender + "/" + agency, new ScoreSignal(incident, contacts)));
    }
    return out;
  }

  /** The published form of a scorecard. */
  public static Scorecard toScorecard(ScoreState s, int worst) {
    TreeMap<String, Integer> byType = new TreeMap<>(s.getOverflowByType());
    TreeMap<String, Integer> bySeverity = new TreeMap<>();
    Set<String> victims = new HashSet<>();
    for (ScoreIncident i : s.getIncidents()) {
      byType.merge(i.getType(), 1, Integer::sum);
      bySeverity.merge(i.getSeverity(), 1, Integer::sum);
      if (i.getVictim() != null) {
        victims.add(i.getVictim());
      }
    }
    int incidents = byType.values().stream().mapToInt(Integer::intValue).sum();
    List<String> worstIds =
        s.getIncidents().stream()
            .sorted(
                Comparator.comparing((ScoreIncident i) -> Severity.valueOf(i.getSeverity()))
                    .thenComparingLong(ScoreIncident::getEvidenceTotal)
                    .reversed()
                    .thenComparing(ScoreIncident::getAlertId))
            .limit(worst)
            .map(ScoreIncident::getAlertId)
            .toList();
    return Scorecard.newBuilder()
        .setLenderId(s.getLenderId())
        .setAgencyId(s.getAgencyId())
        .setPeriod(s.getPeriod())
        .setPeriodStart(Instant.ofEpochMilli(s.getStart()))
        .setPeriodEnd(Instant.ofEpochMilli(s.getEnd()))
        .setIncidents(incidents)
        .setIncidentsByType(new java.util.LinkedHashMap<>(byType))
        .setIncidentsBySeverity(new java.util.LinkedHashMap<>(bySeverity))
        .setDistinctVictims(victims.size())
        .setContactsJudged(s.getContacts())
        .setBreachesPer1000Contacts(
            s.getContacts() == 0 ? null : incidents * 1000.0 / s.getContacts())
        .setWorstIncidentIds(new ArrayList<>(worstIds))
        .setFinal$(s.getFinal$())
        .setIncidentsCapped(s.getCapped())
        .build();
  }
}

package org.dunwatch.producers.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.alert.AlertType;
import org.dunwatch.avro.alert.SubjectKind;

/**
 * Scores alerts against ground-truth labels: which injected scenarios were found, which were
 * missed, and what every other alert was about.
 *
 * <p>Alerts are first reduced to incidents (one per {@code alert_id}, its highest revision). An
 * incident <b>finds</b> a scenario label when all of these hold:
 *
 * <ul>
 *   <li>its type is the label's {@code alert_type};
 *   <li>its victim is one of the label's {@code victims} (not checked when the label has none or
 *       the alert names no victim);
 *   <li>its subject is one of the label's {@code subjects} (not checked when the label has none);
 *   <li>its {@code lender_id} equals the label's (not checked when either is null);
 *   <li>its window {@code [window_start, window_end]} overlaps {@code [start - slack, end +
 *       slack]}.
 * </ul>
 *
 * <p>An incident that finds no scenario is a false positive. It is <b>attributed</b> to an ordinary
 * actor when it names one of the actor's victims or subjects within the actor's time span, and
 * <b>related</b> to a scenario when it names one of that scenario's victims within its time span
 * but has another type (a scenario may rightly raise more than its expected type). Anything else is
 * unexplained.
 *
 * <p>Numbers in labels are E.164; when alerts carry pseudonyms, give the pseudonymiser as {@code
 * ids} so both sides compare in the same form.
 */
public final class LabelMatcher {

  /** How far outside a label's span an alert window may lie and still match. */
  public static final Duration DEFAULT_SLACK = Duration.ofMinutes(15);

  private final List<Label> labels;
  private final Duration slack;
  private final UnaryOperator<String> ids;

  public LabelMatcher(List<Label> labels) {
    this(labels, DEFAULT_SLACK, UnaryOperator.identity());
  }

  public LabelMatcher(List<Label> labels, Duration slack, UnaryOperator<String> ids) {
    this.labels = List.copyOf(labels);
    this.slack = Objects.requireNonNull(slack, "slack");
    this.ids = Objects.requireNonNull(ids, "ids");
  }

  /** A scenario label and the incidents that found it. */
  public record Outcome(Label label, List<Alert> incidents) {
    public boolean found() {
      return !incidents.isEmpty();
    }
  }

  /** A false positive and the label it is attributed or related to. */
  public record Explained(Alert incident, Label label) {}

  /**
   * Injected, found and missed scenarios of one expected type, and incidents of it no label found.
   */
  public record Tally(int injected, int found, int missed, int unmatchedIncidents) {}

  /** The scoring of one run. */
  public record Result(
      List<Outcome> scenarios,
      Map<AlertType, Tally> byType,
      List<Explained> onOrdinary,
      List<Explained> related,
      List<Alert> unexplained,
      int incidents) {

    public int injected() {
      return scenarios.size();
    }

    public long found() {
      return scenarios.stream().filter(Outcome::found).count();
    }

    /** The per-type table, with a header line. */
    public List<String> table() {
      List<String> out = new ArrayList<>();
      out.add(
          String.format(
              "%-24s %8s %6s %7s %13s", "ALERT TYPE", "INJECTED", "FOUND", "MISSED", "UNLABELLED"));
      byType.forEach(
          (type, t) ->
              out.add(
                  String.format(
                      "%-24s %8d %6d %7d %13d",
                      type, t.injected(), t.found(), t.missed(), t.unmatchedIncidents())));
      return out;
    }
  }

  public Result match(Collection<Alert> alerts) {
    List<Alert> incidents = incidents(alerts);
    List<Outcome> outcomes = new ArrayList<>();
    List<Alert> matched = new ArrayList<>();
    for (Label l : labels) {
      if (l.isOrdinary()) {
        continue;
      }
      List<Alert> found = new ArrayList<>();
      for (Alert a : incidents) {
        if (finds(a, l)) {
          found.add(a);
          matched.add(a);
        }
      }
      outcomes.add(new Outcome(l, found));
    }
    Map<AlertType, int[]> counts = new EnumMap<>(AlertType.class);
    for (Outcome o : outcomes) {
      int[] c = counts.computeIfAbsent(o.label().alertType(), t -> new int[3]);
      c[0]++;
      c[o.found() ? 1 : 2]++;
    }
    List<Explained> onOrdinary = new ArrayList<>();
    List<Explained> related = new ArrayList<>();
    List<Alert> unexplained = new ArrayList<>();
    Map<AlertType, Integer> unmatched = new EnumMap<>(AlertType.class);
    for (Alert a : incidents) {
      if (matched.stream().anyMatch(m -> m == a)) {
        continue;
      }
      unmatched.merge(a.getType(), 1, Integer::sum);
      Label actor =
          labels.stream().filter(l -> l.isOrdinary() && involves(a, l)).findFirst().orElse(null);
      if (actor != null) {
        onOrdinary.add(new Explained(a, actor));
        continue;
      }
      Label scenario =
          labels.stream()
              .filter(
                  l -> !l.isOrdinary() && victimIn(a, l) && a.getVictim() != null && overlaps(a, l))
              .findFirst()
              .orElse(null);
      if (scenario != null) {
        related.add(new Explained(a, scenario));
      } else {
        unexplained.add(a);
      }
    }
    Map<AlertType, Tally> byType = new LinkedHashMap<>();
    for (AlertType t : AlertType.values()) {
      int[] c = counts.getOrDefault(t, new int[3]);
      int u = unmatched.getOrDefault(t, 0);
      if (c[0] > 0 || u > 0) {
        byType.put(t, new Tally(c[0], c[1], c[2], u));
      }
    }
    return new Result(outcomes, byType, onOrdinary, related, unexplained, incidents.size());
  }

  /** One alert per incident: the highest revision of each alert id. */
  public static List<Alert> incidents(Collection<Alert> alerts) {
    Map<String, Alert> latest = new LinkedHashMap<>();
    Comparator<Alert> order =
        Comparator.comparing((Alert a) -> a.getRevision() == null ? 0 : a.getRevision())
            .thenComparing(Alert::getDetectedAt);
    for (Alert a : alerts) {
      latest.merge(a.getAlertId(), a, (x, y) -> order.compare(y, x) >= 0 ? y : x);
    }
    return new ArrayList<>(latest.values());
  }

  /** Whether an incident finds a scenario label (the rules in the class comment). */
  public boolean finds(Alert a, Label l) {
    if (l.isOrdinary() || a.getType() != l.alertType()) {
      return false;
    }
    if (a.getVictim() != null && !l.victims().isEmpty() && !victimIn(a, l)) {
      return false;
    }
    if (!l.subjects().isEmpty() && !subjectIn(a, l)) {
      return false;
    }
    if (l.lenderId() != null && a.getLenderId() != null && !l.lenderId().equals(a.getLenderId())) {
      return false;
    }
    return overlaps(a, l);
  }

  /**
   * Whether an incident that found nothing is one a scenario rightly raises besides finding it:
   * either a type of the label's {@code also_expected}, on one of its victims, within its span; or
   * an alert of the label's own or expected types by one of its subjects whose every evidence event
   * is one of the scenario's injected events (a collector working one borrower's phone book reaches
   * friends that another borrower of the same lender shares: the injected calls explain both).
   */
  public boolean expectedBy(Alert a, Label l) {
    if (l.isOrdinary()) {
      return false;
    }
    boolean also = l.alsoExpected().contains(a.getType());
    if (also && victimIn(a, l) && overlaps(a, l)) {
      return true;
    }
    List<String> evidence = a.getEvidence() == null ? List.of() : a.getEvidence().getEventIds();
    return (also || a.getType() == l.alertType())
        && !evidence.isEmpty()
        && subjectIn(a, l)
        && new java.util.HashSet<>(l.eventIds()).containsAll(evidence);
  }

  /** The scenario label that rightly raises this incident besides its own type, if any. */
  public java.util.Optional<Label> expectedBy(Alert a) {
    return labels.stream().filter(l -> expectedBy(a, l)).findFirst();
  }

  private boolean involves(Alert a, Label l) {
    return overlaps(a, l) && ((a.getVictim() != null && victimIn(a, l)) || subjectIn(a, l));
  }

  private boolean victimIn(Alert a, Label l) {
    return a.getVictim() != null
        && l.victims().stream().anyMatch(v -> ids.apply(v).equals(a.getVictim()));
  }

  private boolean subjectIn(Alert a, Label l) {
    SubjectKind kind = a.getSubject().getKind();
    String id = a.getSubject().getId();
    return l.subjects().stream()
        .anyMatch(
            s ->
                s.kind() == kind
                    && (kind == SubjectKind.NUMBER ? ids.apply(s.id()) : s.id()).equals(id));
  }

  private boolean overlaps(Alert a, Label l) {
    Instant from = l.start().minus(slack);
    Instant to = l.end().plus(slack);
    return !a.getWindowEnd().isBefore(from) && !a.getWindowStart().isAfter(to);
  }
}

package org.dunwatch.producers.sim;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.dunwatch.avro.alert.AlertType;
import org.dunwatch.avro.alert.SubjectKind;

/**
 * Ground truth for one injected scenario, or one ordinary actor that must not be alerted on. One
 * line of {@code labels.jsonl}; the format is in the producers README.
 *
 * @param id {@code s01}, {@code s02} ... for scenarios, {@code o001} ... for ordinary actors
 * @param kind the scenario kind, or {@code null} for an ordinary actor
 * @param role the ordinary actor's role, or {@code null} for a scenario
 * @param alertType the alert a detector should raise; {@code null} for an ordinary actor
 * @param jurisdiction {@code CN} or {@code US}: whose rules apply (the victim's number)
 * @param victim the person harmed (E.164), or {@code null} where there is none (an OTP platform)
 * @param victims every id an alert may name as victim and still match, {@code victim} first
 * @param subject who is responsible (primary), or {@code null} if any subject matches
 * @param subjects every subject an alert may name and still match, {@code subject} first
 * @param lenderId lender involved, where one is
 * @param agencyId collection agency involved, where one is
 * @param loanId loan involved, where one is
 * @param start event time of the first injected event
 * @param end event time of the last injected event
 * @param eventIds ids of the injected events (call ids, message ids, lender event ids), time order;
 *     every one lies within {@code [start, end]}
 * @param setupEventIds events the scenario needed that are not the abuse itself (the loan's
 *     opening, its delinquency, calls that make the circle visible), possibly before {@code start}
 * @param description one sentence for people
 * @param alsoExpected other alert types the scenario may rightly raise on its victim (a curfew
 *     breach at night can be a frequency breach too); an evaluation counts them neither as found
 *     nor as false positives
 */
public record Label(
    String id,
    ScenarioKind kind,
    ActorRole role,
    AlertType alertType,
    String jurisdiction,
    String victim,
    List<String> victims,
    LabelSubject subject,
    List<LabelSubject> subjects,
    String lenderId,
    String agencyId,
    String loanId,
    Instant start,
    Instant end,
    List<String> eventIds,
    List<String> setupEventIds,
    String description,
    List<AlertType> alsoExpected) {

  /** A label that expects no other alert types. */
  public Label(
      String id,
      ScenarioKind kind,
      ActorRole role,
      AlertType alertType,
      String jurisdiction,
      String victim,
      List<String> victims,
      LabelSubject subject,
      List<LabelSubject> subjects,
      String lenderId,
      String agencyId,
      String loanId,
      Instant start,
      Instant end,
      List<String> eventIds,
      List<String> setupEventIds,
      String description) {
    this(
        id,
        kind,
        role,
        alertType,
        jurisdiction,
        victim,
        victims,
        subject,
        subjects,
        lenderId,
        agencyId,
        loanId,
        start,
        end,
        eventIds,
        setupEventIds,
        description,
        List.of());
  }

  public Label {
    Objects.requireNonNull(id, "id");
    if ((kind == null) == (role == null)) {
      throw new IllegalArgumentException(
          "a label is either a scenario or an ordinary actor: " + id);
    }
    victims = List.copyOf(victims);
    subjects = List.copyOf(subjects);
    eventIds = List.copyOf(eventIds);
    setupEventIds = List.copyOf(setupEventIds);
    alsoExpected = alsoExpected == null ? List.of() : List.copyOf(alsoExpected);
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
  }

  /** The label's {@code kind} field: the scenario kind or {@code ORDINARY}. */
  public String kindName() {
    return kind != null ? kind.name() : ORDINARY;
  }

  public boolean isOrdinary() {
    return kind == null;
  }

  public static final String ORDINARY = "ORDINARY";

  /** Who an alert names as responsible: {@code NUMBER}, {@code LENDER} or {@code AGENCY}. */
  public record LabelSubject(SubjectKind kind, String id) {
    public LabelSubject {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(id, "id");
    }

    public static LabelSubject number(String id) {
      return new LabelSubject(SubjectKind.NUMBER, id);
    }

    public static LabelSubject lender(String id) {
      return new LabelSubject(SubjectKind.LENDER, id);
    }

    public static LabelSubject agency(String id) {
      return new LabelSubject(SubjectKind.AGENCY, id);
    }
  }
}

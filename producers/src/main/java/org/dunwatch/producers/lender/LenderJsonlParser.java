package org.dunwatch.producers.lender;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.io.IOException;
import java.io.Reader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.dunwatch.avro.common.Party;
import org.dunwatch.avro.lender.Application;
import org.dunwatch.avro.lender.AttemptChannel;
import org.dunwatch.avro.lender.AttemptOutcome;
import org.dunwatch.avro.lender.CeaseRequest;
import org.dunwatch.avro.lender.CloseReason;
import org.dunwatch.avro.lender.CollectionAttempt;
import org.dunwatch.avro.lender.CollectorNumber;
import org.dunwatch.avro.lender.ContactRelation;
import org.dunwatch.avro.lender.DeclaredContact;
import org.dunwatch.avro.lender.Delinquency;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.avro.lender.LoanClosed;
import org.dunwatch.avro.lender.LoanOpened;
import org.dunwatch.avro.lender.TargetRole;
import org.dunwatch.producers.numbers.NumberNormalizer;
import org.dunwatch.producers.parse.FieldChecks;
import org.dunwatch.producers.parse.InputLimits;
import org.dunwatch.producers.parse.LineConsumer;
import org.dunwatch.producers.parse.LineError;
import org.dunwatch.producers.parse.ParseSummary;

/**
 * Reads the lender events JSONL of contracts.md into {@link LenderEvent}s, one JSON object a line,
 * with the payload record of the line's {@code type}. Numbers are normalised to E.164 (not yet
 * pseudonymised) or kept as sender ids.
 *
 * <p>{@code event_id} is the {@code attempt_id} of a collection attempt when it has one, else
 * {@code <sourceName>:<line>}, which is stable as long as the file is replayed unchanged.
 *
 * <p>Every non-blank line becomes either an event or a {@link LineError} naming all that is wrong
 * with it: bad JSON, an unknown {@code type}, a missing or mistyped field, an unknown enum symbol.
 * Fields the contract does not name are ignored, so files may carry extra ones. Immutable and
 * thread-safe.
 */
public final class LenderJsonlParser {

  /** The {@code type} values of the contract, each with its payload. */
  public enum Type {
    LOAN_OPENED("loan_opened"),
    DELINQUENCY("delinquency"),
    LOAN_CLOSED("loan_closed"),
    COLLECTOR_NUMBER("collector_number"),
    COLLECTION_ATTEMPT("collection_attempt"),
    CEASE_REQUEST("cease_request"),
    APPLICATION("application");

    private final String wireName;

    Type(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    static Type of(String wireName) {
      for (Type t : values()) {
        if (t.wireName.equals(wireName)) {
          return t;
        }
      }
      return null;
    }

    static String allWireNames() {
      return Arrays.stream(values()).map(Type::wireName).collect(Collectors.joining(", "));
    }
  }

  /** Longer lines are reported as bad rather than held in memory whole. */
  public static final int DEFAULT_MAX_LINE_CHARS = 1 << 20;

  private final NumberNormalizer numbers;
  private final String defaultRegion;
  private final ObjectReader json;
  private final int maxLineChars;
  private final InputLimits limits;

  /**
   * @param defaultRegion region national-form numbers are read in, e.g. {@code CN}; {@code null}
   *     accepts E.164 only (other values become sender ids)
   * @throws IllegalArgumentException for a region libphonenumber does not know
   */
  public LenderJsonlParser(NumberNormalizer numbers, String defaultRegion) {
    this(numbers, defaultRegion, DEFAULT_MAX_LINE_CHARS);
  }

  public LenderJsonlParser(String defaultRegion) {
    this(new NumberNormalizer(), defaultRegion);
  }

  public LenderJsonlParser(NumberNormalizer numbers, String defaultRegion, int maxLineChars) {
    this(numbers, defaultRegion, maxLineChars, InputLimits.DEFAULT);
  }

  /** With the event-time window and field caps each line is checked against. */
  public LenderJsonlParser(
      NumberNormalizer numbers, String defaultRegion, int maxLineChars, InputLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.numbers = Objects.requireNonNull(numbers, "numbers");
    this.defaultRegion = numbers.checkRegion(defaultRegion);
    if (maxLineChars < 1) {
      throw new IllegalArgumentException("maxLineChars must be positive: " + maxLineChars);
    }
    this.maxLineChars = maxLineChars;
    this.json =
        JsonMapper.builder()
            // A key given twice is ambiguous; Jackson would silently keep the last one.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // One object a line: {"a":1} {"b":2} on one line is an error, not the first object.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build()
            .reader();
  }

  /**
   * Reads every line of {@code in}, handing each good one to {@code events} and each bad one to
   * {@code errors}, in file order. Blank lines are skipped. Does not close {@code in}.
   *
   * @param sourceName name used in event ids and line errors, usually the file name
   * @throws IOException when reading fails
   */
  public ParseSummary parse(
      Reader in, String sourceName, Consumer<LenderEvent> events, Consumer<LineError> errors)
      throws IOException {
    return parseLines(in, sourceName, (e, line) -> events.accept(e), errors);
  }

  /** As {@link #parse(Reader, String, Consumer, Consumer)}, each event with its line number. */
  public ParseSummary parseLines(
      Reader in, String sourceName, LineConsumer<LenderEvent> events, Consumer<LineError> errors)
      throws IOException {
    LineReader lines = new LineReader(in, maxLineChars);
    long ok = 0;
    long bad = 0;
    for (String line = lines.next(); line != null; line = lines.next()) {
      long lineNumber = lines.lineNumber();
      if (lines.tooLong()) {
        errors.accept(
            new LineError(sourceName, lineNumber, "line longer than " + maxLineChars + " chars"));
        bad++;
        continue;
      }
      if (line.isBlank()) {
        continue;
      }
      FieldChecks checks = new FieldChecks(limits);
      LenderEvent event = toEvent(line, sourceName, lineNumber, checks);
      if (event == null) {
        errors.accept(new LineError(sourceName, lineNumber, checks.reason()));
        bad++;
      } else {
        events.accept(event, lineNumber);
        ok++;
      }
    }
    return new ParseSummary(sourceName, ok, bad);
  }

  /** Parses one line; {@code null} with the problems in {@code checks} when it is bad. */
  LenderEvent toEvent(String line, String sourceName, long lineNumber, FieldChecks checks) {
    JsonNode node;
    try {
      node = json.readTree(line);
    } catch (JsonProcessingException e) {
      checks.add(
          "not valid JSON"
              + (e.getLocation() == null ? "" : " (column " + e.getLocation().getColumnNr() + ")")
              + ": "
              // Jackson quotes the offending token; digit runs could be part of a phone number.
              + e.getOriginalMessage().replaceAll("\\d{5,}", "<digits>"));
      return null;
    }
    if (node == null || !node.isObject()) {
      checks.add(
          "expected a JSON object, found "
              + (node == null ? "nothing" : node.getNodeType().name().toLowerCase(Locale.ROOT)));
      return null;
    }
    Fields f = new Fields(node, "", checks);
    String typeName = f.text("type");
    String lenderId = f.text("lender_id");
    Instant at = f.eventTime("at");
    Type type = null;
    if (typeName != null) {
      type = Type.of(typeName);
      if (type == null) {
        checks.add(
            "unknown type "
                + FieldChecks.quote(typeName)
                + " (expected one of "
                + Type.allWireNames()
                + ")");
      }
    }
    if (type == null) {
      return null;
    }
    String eventId = sourceName + ":" + lineNumber;
    Object payload;
    switch (type) {
      case LOAN_OPENED:
        payload = loanOpened(f);
        break;
      case DELINQUENCY:
        payload = delinquency(f);
        break;
      case LOAN_CLOSED:
        payload = loanClosed(f);
        break;
      case COLLECTOR_NUMBER:
        payload = collectorNumber(f);
        break;
      case COLLECTION_ATTEMPT:
        CollectionAttempt attempt = collectionAttempt(f);
        if (attempt != null && attempt.getAttemptId() != null) {
          eventId = attempt.getAttemptId();
        }
        payload = attempt;
        break;
      case CEASE_REQUEST:
        payload = ceaseRequest(f);
        break;
      case APPLICATION:
        payload = application(f);
        break;
      default:
        throw new IllegalStateException("type without a payload: " + type);
    }
    if (!checks.ok()) {
      return null;
    }
    return LenderEvent.newBuilder()
        .setEventId(eventId)
        .setLenderId(lenderId)
        .setAt(at)
        .setPayload(payload)
        .build();
  }

  private LoanOpened loanOpened(Fields f) {
    String loanId = f.text("loan_id");
    Party borrower = f.number("borrower");
    List<DeclaredContact> contacts = new ArrayList<>();
    f.forEachObject(
        "contacts",
        contact -> {
          Party number = contact.number("number");
          ContactRelation relation = contact.enumValue("relation", ContactRelation.class);
          if (number != null && relation != null) {
            contacts.add(new DeclaredContact(number, relation));
          }
        });
    Double principal = f.optionalAmount("principal");
    String currency = f.optionalText("currency");
    if (!f.checks.ok()) {
      return null;
    }
    return new LoanOpened(loanId, borrower, contacts, principal, currency);
  }

  private Delinquency delinquency(Fields f) {
    String loanId = f.text("loan_id");
    Integer days = f.nonNegativeInt("days_past_due");
    Double overdue = f.optionalAmount("amount_overdue");
    String currency = f.optionalText("currency");
    return f.checks.ok() ? new Delinquency(loanId, days, overdue, currency) : null;
  }

  private LoanClosed loanClosed(Fields f) {
    String loanId = f.text("loan_id");
    CloseReason reason = f.enumValue("reason", CloseReason.class);
    return f.checks.ok() ? new LoanClosed(loanId, reason) : null;
  }

  private CollectorNumber collectorNumber(Fields f) {
    Party number = f.number("number");
    String agencyId = f.optionalText("agency_id");
    Instant validTo = f.optionalTime("valid_to");
    return f.checks.ok() ? new CollectorNumber(number, agencyId, validTo) : null;
  }

  private CollectionAttempt collectionAttempt(Fields f) {
    String loanId = f.text("loan_id");
    AttemptChannel channel = f.enumValue("channel", AttemptChannel.class);
    Party target = f.number("target");
    TargetRole role = f.enumValue("target_role", TargetRole.class);
    AttemptOutcome outcome = f.enumValue("outcome", AttemptOutcome.class);
    String agencyId = f.optionalText("agency_id");
    String body = f.checks.body("body", f.optionalRawText("body"));
    String attemptId = f.optionalText("attempt_id");
    if (!f.checks.ok()) {
      return null;
    }
    return new CollectionAttempt(loanId, channel, target, role, outcome, agencyId, body, attemptId);
  }

  private CeaseRequest ceaseRequest(Fields f) {
    String loanId = f.text("loan_id");
    Party requester = f.number("requester");
    return f.checks.ok() ? new CeaseRequest(loanId, requester) : null;
  }

  private Application application(Fields f) {
    String applicationId = f.text("application_id");
    Party applicant = f.number("applicant");
    List<String> forwardedTo = f.optionalTextList("forwarded_to");
    if (!f.checks.ok()) {
      return null;
    }
    return new Application(applicationId, applicant, forwardedTo);
  }

  /** Typed access to the fields of one JSON object, recording problems with their path. */
  private final class Fields {
    final JsonNode node;
    final String path;
    final FieldChecks checks;

    Fields(JsonNode node, String path, FieldChecks checks) {
      this.node = node;
      this.path = path;
      this.checks = checks;
    }

    private String name(String field) {
      return path + field;
    }

    /** The node of a field, or {@code null} when absent or JSON null. */
    private JsonNode present(String field) {
      JsonNode v = node.get(field);
      return v == null || v.isNull() ? null : v;
    }

    private String typeOf(JsonNode v) {
      JsonNodeType t = v.getNodeType();
      return t == JsonNodeType.POJO ? "object" : t.name().toLowerCase(Locale.ROOT);
    }

    /** A required string, trimmed. */
    String text(String field) {
      JsonNode v = present(field);
      if (v == null) {
        checks.add("missing " + name(field));
        return null;
      }
      if (!v.isTextual()) {
        checks.add(name(field) + " must be a string, found " + typeOf(v));
        return null;
      }
      return checks.required(name(field), v.textValue());
    }

    /** An optional string, trimmed; blank counts as absent. */
    String optionalText(String field) {
      String raw = optionalRawText(field);
      return checks.capped(name(field), FieldChecks.optional(raw), limits.maxFieldChars());
    }

    /** An optional string as written; empty counts as absent. */
    String optionalRawText(String field) {
      JsonNode v = present(field);
      if (v == null) {
        return null;
      }
      if (!v.isTextual()) {
        checks.add(name(field) + " must be a string, found " + typeOf(v));
        return null;
      }
      return v.textValue().isEmpty() ? null : v.textValue();
    }

    Instant time(String field) {
      String t = text(field);
      return t == null ? null : checks.instant(name(field), t);
    }

    Instant eventTime(String field) {
      String t = text(field);
      return t == null ? null : checks.eventTime(name(field), t);
    }

    Instant optionalTime(String field) {
      String t = optionalText(field);
      return t == null ? null : checks.instant(name(field), t);
    }

    Party number(String field) {
      String t = text(field);
      return t == null ? null : checks.party(name(field), t, numbers, defaultRegion);
    }

    <E extends Enum<E>> E enumValue(String field, Class<E> type) {
      String t = text(field);
      return t == null ? null : checks.enumValue(name(field), t, type);
    }

    Integer nonNegativeInt(String field) {
      JsonNode v = present(field);
      if (v == null) {
        checks.add("missing " + name(field));
        return null;
      }
      if (!v.isIntegralNumber() || !v.canConvertToInt()) {
        checks.add(name(field) + " must be a whole number, found " + describe(v));
        return null;
      }
      if (v.intValue() < 0) {
        checks.add(name(field) + " is negative (" + v.intValue() + ")");
        return null;
      }
      return v.intValue();
    }

    Double optionalAmount(String field) {
      JsonNode v = present(field);
      if (v == null) {
        return null;
      }
      if (!v.isNumber()) {
        checks.add(name(field) + " must be a number, found " + describe(v));
        return null;
      }
      if (v.doubleValue() < 0 || !Double.isFinite(v.doubleValue())) {
        checks.add(name(field) + " must be 0 or more, found " + v.asText());
        return null;
      }
      return v.doubleValue();
    }

    /** An optional list of non-blank strings, trimmed; absent or null is an empty list. */
    List<String> optionalTextList(String field) {
      JsonNode v = present(field);
      List<String> out = new ArrayList<>();
      if (v == null) {
        return out;
      }
      if (!v.isArray()) {
        checks.add(name(field) + " must be a list, found " + typeOf(v));
        return out;
      }
      for (int i = 0; i < v.size(); i++) {
        JsonNode item = v.get(i);
        String itemName = name(field) + "[" + i + "]";
        if (!item.isTextual()) {
          checks.add(itemName + " must be a string, found " + typeOf(item));
        } else {
          String t = checks.required(itemName, item.textValue());
          if (t != null) {
            out.add(t);
          }
        }
      }
      return out;
    }

    /** Each element of a required array of objects, checked under {@code field[i].} in order. */
    void forEachObject(String field, Consumer<Fields> action) {
      JsonNode v = present(field);
      if (v == null) {
        checks.add("missing " + name(field) + " (give [] for none)");
        return;
      }
      if (!v.isArray()) {
        checks.add(name(field) + " must be a list, found " + typeOf(v));
        return;
      }
      for (int i = 0; i < v.size(); i++) {
        JsonNode item = v.get(i);
        String itemName = name(field) + "[" + i + "]";
        if (item.isObject()) {
          action.accept(new Fields(item, itemName + ".", checks));
        } else {
          checks.add(itemName + " must be an object, found " + typeOf(item));
        }
      }
    }

    private String describe(JsonNode v) {
      if (v.isTextual()) {
        return "string " + FieldChecks.quote(v.textValue());
      }
      return v.isValueNode() ? typeOf(v) + " " + v : typeOf(v);
    }
  }
}

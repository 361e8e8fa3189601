package org.dunwatch.producers.calls;

import java.io.IOException;
import java.io.Reader;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.dunwatch.avro.common.Party;
import org.dunwatch.avro.telecom.CallOutcome;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.producers.csv.CsvRecords;
import org.dunwatch.producers.csv.CsvRow;
import org.dunwatch.producers.numbers.NumberNormalizer;
import org.dunwatch.producers.parse.FieldChecks;
import org.dunwatch.producers.parse.InputLimits;
import org.dunwatch.producers.parse.LineConsumer;
import org.dunwatch.producers.parse.LineError;
import org.dunwatch.producers.parse.ParseSummary;

/**
 * Reads the calls CSV of contracts.md into {@link CallRecord}s with parties in E.164 (not yet
 * pseudonymised) or as sender ids.
 *
 * <p>Every line becomes either a record or a {@link LineError}; none is skipped silently. Immutable
 * and thread-safe; {@link #parse} may run on several inputs at once.
 */
public final class CallCsvParser {

  public static final List<String> COLUMNS =
      List.of(
          "call_id",
          "carrier",
          "caller",
          "callee",
          "start_time",
          "ring_seconds",
          "talk_seconds",
          "outcome");

  private final NumberNormalizer numbers;
  private final String defaultRegion;
  private final InputLimits limits;

  /**
   * @param defaultRegion region national-form numbers are read in, e.g. {@code CN}; {@code null}
   *     accepts E.164 only (other values become sender ids)
   * @throws IllegalArgumentException for a region libphonenumber does not know
   */
  public CallCsvParser(NumberNormalizer numbers, String defaultRegion) {
    this(numbers, defaultRegion, InputLimits.DEFAULT);
  }

  /** With the event-time window and field caps each row is checked against. */
  public CallCsvParser(NumberNormalizer numbers, String defaultRegion, InputLimits limits) {
    this.numbers = Objects.requireNonNull(numbers, "numbers");
    this.defaultRegion = numbers.checkRegion(defaultRegion);
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  public CallCsvParser(String defaultRegion) {
    this(new NumberNormalizer(), defaultRegion);
  }

  /**
   * Reads every row of {@code in}, handing each good one to {@code records} and each bad one to
   * {@code errors}, in file order. Does not close {@code in}.
   *
   * @param sourceName name used in line errors, usually the file name
   * @throws org.dunwatch.producers.csv.CsvHeaderException when the header is missing or lacks a
   *     column
   * @throws IOException when reading fails
   */
  public ParseSummary parse(
      Reader in, String sourceName, Consumer<CallRecord> records, Consumer<LineError> errors)
      throws IOException {
    return parseLines(in, sourceName, (r, line) -> records.accept(r), errors);
  }

  /** As {@link #parse(Reader, String, Consumer, Consumer)}, each record with its line number. */
  public ParseSummary parseLines(
      Reader in, String sourceName, LineConsumer<CallRecord> records, Consumer<LineError> errors)
      throws IOException {
    return CsvRecords.parse(in, sourceName, COLUMNS, limits, this::toRecord, records, errors);
  }

  private CallRecord toRecord(CsvRow row, FieldChecks checks) {
    String callId = checks.required("call_id", row.get("call_id"));
    String carrier = checks.required("carrier", row.get("carrier"));
    Party caller = checks.party("caller", row.get("caller"), numbers, defaultRegion);
    Party callee = checks.party("callee", row.get("callee"), numbers, defaultRegion);
    Instant start = checks.eventTime("start_time", row.get("start_time"));
    Integer ring = checks.nonNegativeInt("ring_seconds", row.get("ring_seconds"));
    Integer talk = checks.nonNegativeInt("talk_seconds", row.get("talk_seconds"));
    CallOutcome outcome = checks.enumValue("outcome", row.get("outcome"), CallOutcome.class);
    if (talk != null && talk > 0 && outcome != null && outcome != CallOutcome.ANSWERED) {
      checks.add(
          "talk_seconds is "
              + talk
              + " but outcome is "
              + outcome
              + " (only ANSWERED calls have talk time)");
    }
    if (!checks.ok()) {
      return null;
    }
    return CallRecord.newBuilder()
        .setCallId(callId)
        .setCarrier(carrier)
        .setCaller(caller)
        .setCallee(callee)
        .setStartTime(start)
        .setRingSeconds(ring)
        .setTalkSeconds(talk)
        .setOutcome(outcome)
        .build();
  }
}

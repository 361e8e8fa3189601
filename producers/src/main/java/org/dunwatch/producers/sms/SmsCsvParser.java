package org.dunwatch.producers.sms;

import java.io.IOException;
import java.io.Reader;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.dunwatch.avro.common.Party;
import org.dunwatch.avro.telecom.SmsCategory;
import org.dunwatch.avro.telecom.SmsRecord;
import org.dunwatch.producers.csv.CsvRecords;
import org.dunwatch.producers.csv.CsvRow;
import org.dunwatch.producers.numbers.NumberNormalizer;
import org.dunwatch.producers.parse.FieldChecks;
import org.dunwatch.producers.parse.InputLimits;
import org.dunwatch.producers.parse.LineConsumer;
import org.dunwatch.producers.parse.LineError;
import org.dunwatch.producers.parse.ParseSummary;

/**
 * Reads the sms CSV of contracts.md into {@link SmsRecord}s with parties in E.164 (not yet
 * pseudonymised) or as sender ids. The body is kept exactly as written, line breaks and spaces
 * included; an empty body becomes {@code null}.
 *
 * <p>Every line becomes either a record or a {@link LineError}; none is skipped silently. Immutable
 * and thread-safe.
 */
public final class SmsCsvParser {

  public static final List<String> COLUMNS =
      List.of("message_id", "carrier", "sender", "recipient", "sent_time", "category", "body");

  private final NumberNormalizer numbers;
  private final String defaultRegion;
  private final InputLimits limits;

  /**
   * @param defaultRegion region national-form numbers are read in, e.g. {@code CN}; {@code null}
   *     accepts E.164 only (other values become sender ids)
   * @throws IllegalArgumentException for a region libphonenumber does not know
   */
  public SmsCsvParser(NumberNormalizer numbers, String defaultRegion) {
    this(numbers, defaultRegion, InputLimits.DEFAULT);
  }

  /** With the event-time window and field caps each row is checked against. */
  public SmsCsvParser(NumberNormalizer numbers, String defaultRegion, InputLimits limits) {
    this.numbers = Objects.requireNonNull(numbers, "numbers");
    this.defaultRegion = numbers.checkRegion(defaultRegion);
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  public SmsCsvParser(String defaultRegion) {
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
      Reader in, String sourceName, Consumer<SmsRecord> records, Consumer<LineError> errors)
      throws IOException {
    return parseLines(in, sourceName, (r, line) -> records.accept(r), errors);
  }

  /** As {@link #parse(Reader, String, Consumer, Consumer)}, each record with its line number. */
  public ParseSummary parseLines(
      Reader in, String sourceName, LineConsumer<SmsRecord> records, Consumer<LineError> errors)
      throws IOException {
    return CsvRecords.parse(in, sourceName, COLUMNS, limits, this::toRecord, records, errors);
  }

  private SmsRecord toRecord(CsvRow row, FieldChecks checks) {
    String messageId = checks.required("message_id", row.get("message_id"));
    String carrier = checks.required("carrier", row.get("carrier"));
    Party sender = checks.party("sender", row.get("sender"), numbers, defaultRegion);
    Party recipient = checks.party("recipient", row.get("recipient"), numbers, defaultRegion);
    Instant sent = checks.eventTime("sent_time", row.get("sent_time"));
    SmsCategory category = checks.enumValue("category", row.get("category"), SmsCategory.class);
    String body = checks.body("body", row.get("body"));
    if (!checks.ok()) {
      return null;
    }
    return SmsRecord.newBuilder()
        .setMessageId(messageId)
        .setCarrier(carrier)
        .setSender(sender)
        .setRecipient(recipient)
        .setSentTime(sent)
        .setCategory(category)
        .setBody(body)
        .build();
  }
}

package org.dunwatch.producers.ingest;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import org.dunwatch.avro.lender.CollectionAttempt;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.avro.telecom.SmsRecord;
import org.dunwatch.producers.calls.CallCsvParser;
import org.dunwatch.producers.lender.LenderJsonlParser;
import org.dunwatch.producers.numbers.NumberNormalizer;
import org.dunwatch.producers.parse.LineError;
import org.dunwatch.producers.parse.ParseSummary;
import org.dunwatch.producers.privacy.Pseudonymizer;
import org.dunwatch.producers.sms.SmsCsvParser;
import org.dunwatch.schemas.Keys;

/**
 * Reads contract files into a {@link RecordSink}: parse, normalise numbers, pseudonymise, drop
 * bodies if asked, key by {@link Keys} and send with the event time. Used by {@code dunwatch
 * produce} and {@code dunwatch replay}.
 *
 * <p>Order matters for privacy: the parsers derive region and time zone from the real number, then
 * the number is replaced by its pseudonym, and only then is the record keyed, so neither the key
 * nor the value that reaches the sink holds a real number.
 *
 * <p>Nothing is dropped silently. Each bad line is reported (file and line number, never a phone
 * number) to the error consumer, appended to a rejects file and counted; in strict mode the input
 * stops at the first bad line and the result says where. A file whose header is unusable stops with
 * {@link org.dunwatch.producers.csv.CsvHeaderException} before any of its records is sent.
 *
 * <p>One instance may ingest several inputs one after the other; close it to close the rejects
 * files. Not thread-safe.
 */
public final class FileIngest implements AutoCloseable {

  public static final Duration DEFAULT_PROGRESS_EVERY = Duration.ofSeconds(2);

  /** Appended to an input's path to name its rejects file when none is given. */
  public static final String REJECTS_SUFFIX = ".rejects";

  private final CallCsvParser callParser;
  private final SmsCsvParser smsParser;
  private final LenderJsonlParser lenderParser;
  private final Pseudonymizer pseudonymizer;
  private final boolean dropBodies;
  private final boolean strict;
  private final Path rejectsFile;
  private final Consumer<String> errors;
  private final Consumer<String> progress;
  private final long progressEveryNanos;
  private final LongSupplier nanoTime;
  private final Map<Path, Writer> rejectWriters = new LinkedHashMap<>();

  private FileIngest(Builder b) {
    NumberNormalizer numbers = new NumberNormalizer();
    this.callParser = new CallCsvParser(numbers, b.defaultRegion);
    this.smsParser = new SmsCsvParser(numbers, b.defaultRegion);
    this.lenderParser = new LenderJsonlParser(numbers, b.defaultRegion);
    this.pseudonymizer = b.pseudonymizer;
    this.dropBodies = b.dropBodies;
    this.strict = b.strict;
    this.rejectsFile = b.rejectsFile;
    this.errors = b.errors;
    this.progress = b.progress;
    this.progressEveryNanos = b.progressEvery.toNanos();
    this.nanoTime = b.nanoTime;
  }

  public static Builder builder() {
    return new Builder();
  }

  public IngestResult calls(IngestInput input, RecordSink<String, CallRecord> sink)
      throws IOException {
    UnaryOperator<CallRecord> prepare = pseudonymizer == null ? c -> c : pseudonymizer::apply;
    return run(input, InputKind.CALLS, callParser::parse, prepare, Keys::of, Keys::eventTime, sink);
  }

  public IngestResult sms(IngestInput input, RecordSink<String, SmsRecord> sink)
      throws IOException {
    UnaryOperator<SmsRecord> prepare =
        s -> {
          SmsRecord out = pseudonymizer == null ? s : pseudonymizer.apply(s);
          return dropBodies && out.getBody() != null
              ? SmsRecord.newBuilder(out).setBody(null).build()
              : out;
        };
    return run(input, InputKind.SMS, smsParser::parse, prepare, Keys::of, Keys::eventTime, sink);
  }

  public IngestResult lender(IngestInput input, RecordSink<String, LenderEvent> sink)
      throws IOException {
    UnaryOperator<LenderEvent> prepare =
        e -> {
          LenderEvent out = pseudonymizer == null ? e : pseudonymizer.apply(e);
          if (dropBodies
              && out.getPayload() instanceof CollectionAttempt a
              && a.getBody() != null) {
            out =
                LenderEvent.newBuilder(out)
                    .setPayload(CollectionAttempt.newBuilder(a).setBody(null).build())
                    .build();
          }
          return out;
        };
    return run(
        input, InputKind.LENDER, lenderParser::parse, prepare, Keys::of, Keys::eventTime, sink);
  }

  /** Ingests an input of the given kind; the sink's value type must match the kind. */
  @SuppressWarnings("unchecked")
  public IngestResult ingest(InputKind kind, IngestInput input, RecordSink<String, ?> sink)
      throws IOException {
    return switch (kind) {
      case CALLS -> calls(input, (RecordSink<String, CallRecord>) sink);
      case SMS -> sms(input, (RecordSink<String, SmsRecord>) sink);
      case LENDER -> lender(input, (RecordSink<String, LenderEvent>) sink);
    };
  }

  @FunctionalInterface
  private interface Parser<T> {
    ParseSummary parse(
        Reader in, String sourceName, Consumer<T> records, Consumer<LineError> errors)
        throws IOException;
  }

  /** Thrown out of the parser's error callback to stop reading in strict mode. */
  private static final class StopAtBadLine extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient LineError error;

    StopAtBadLine(LineError error) {
      super(error.toString(), null, false, false);
      this.error = error;
    }
  }

  private <T> IngestResult run(
      IngestInput input,
      InputKind kind,
      Parser<T> parser,
      UnaryOperator<T> prepare,
      Function<T, String> key,
      Function<T, Instant> eventTime,
      RecordSink<String, T> sink)
      throws IOException {
    Progress p = new Progress(input);
    LineError stoppedAt = null;
    Reader reader = input.open();
    try {
      parser.parse(
          reader,
          input.name(),
          record -> {
            T out = prepare.apply(record);
            sink.send(key.apply(out), out, eventTime.apply(out));
            p.records++;
            p.tick();
          },
          error -> {
            p.reject(error);
            if (strict) {
              throw new StopAtBadLine(error);
            }
            p.tick();
          });
    } catch (StopAtBadLine stop) {
      stoppedAt = stop.error;
    } finally {
      // Standard input belongs to the process; closing it would stop a later reader of it.
      if (!input.isStdin()) {
        reader.close();
      }
    }
    sink.flush();
    if (p.rejectsWriter != null) {
      p.rejectsWriter.flush();
    }
    IngestResult result =
        new IngestResult(
            input.name(),
            kind,
            p.records,
            p.rejected,
            Duration.ofNanos(nanoTime.getAsLong() - p.started),
            p.rejectsPath,
            stoppedAt);
    progress.accept(done(result));
    return result;
  }

  private static String done(IngestResult r) {
    StringBuilder s =
        new StringBuilder()
            .append(r.input())
            .append(": ")
            .append(r.records())
            .append(" records in ")
            .append(String.format(Locale.ROOT, "%.1f s", r.elapsed().toNanos() / 1e9))
            .append(" (")
            .append(Math.round(r.recordsPerSecond()))
            .append("/s), ")
            .append(r.rejected())
            .append(" rejected");
    if (r.rejectsFile() != null) {
      s.append(" (see ").append(r.rejectsFile()).append(')');
    }
    if (r.stopped()) {
      s.append("; stopped at line ").append(r.stoppedAt().lineNumber()).append(" (--strict)");
    }
    return s.toString();
  }

  /** Counters and the rejects file of one input. */
  private final class Progress {
    final IngestInput input;
    final long started = nanoTime.getAsLong();
    long lastReport = started;
    long records;
    long rejected;
    Path rejectsPath;
    Writer rejectsWriter;
    boolean rejectsUnwritable;

    Progress(IngestInput input) {
      this.input = input;
    }

    void tick() {
      long now = nanoTime.getAsLong();
      if (now - lastReport >= progressEveryNanos) {
        lastReport = now;
        double seconds = (now - started) / 1e9;
        progress.accept(
            input.name()
                + ": "
                + records
                + " records ("
                + Math.round(records / seconds)
                + "/s), "
                + rejected
                + " rejected");
      }
    }

    void reject(LineError error) {
      rejected++;
      // LineError reasons never quote a number field, so this line is safe in any log.
      errors.accept("rejected " + error);
      if (rejectsWriter == null && !rejectsUnwritable) {
        Path path = rejectsPathFor(input);
        try {
          rejectsWriter = rejectsWriter(path);
          rejectsPath = path;
        } catch (IOException e) {
          rejectsUnwritable = true;
          errors.accept(
              "warning: cannot write rejects file "
                  + path
                  + " ("
                  + e.getClass().getSimpleName()
                  + "); bad lines of "
                  + input.name()
                  + " are reported here only");
        }
      }
      if (rejectsWriter != null) {
        try {
          rejectsWriter.write(error.toString());
          rejectsWriter.write('\n');
        } catch (IOException e) {
          throw new java.io.UncheckedIOException("cannot write rejects file " + rejectsPath, e);
        }
      }
    }
  }

  private Path rejectsPathFor(IngestInput input) {
    if (rejectsFile != null) {
      return rejectsFile;
    }
    if (input.path() != null) {
      return input.path().resolveSibling(input.path().getFileName() + REJECTS_SUFFIX);
    }
    return Path.of(input.name() + REJECTS_SUFFIX);
  }

  /** Opened on the first bad line (a clean input leaves no file), truncating an older one. */
  private Writer rejectsWriter(Path path) throws IOException {
    Path key = path.toAbsolutePath().normalize();
    Writer w = rejectWriters.get(key);
    if (w == null) {
      Path parent = key.getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      w = new BufferedWriter(Files.newBufferedWriter(key, StandardCharsets.UTF_8));
      rejectWriters.put(key, w);
    }
    return w;
  }

  /** Closes the rejects files. */
  @Override
  public void close() throws IOException {
    IOException first = null;
    for (Writer w : rejectWriters.values()) {
      try {
        w.close();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    rejectWriters.clear();
    if (first != null) {
      throw first;
    }
  }

  public static final class Builder {
    private String defaultRegion;
    private Pseudonymizer pseudonymizer;
    private boolean pseudonymsDecided;
    private boolean dropBodies;
    private boolean strict;
    private Path rejectsFile;
    private Consumer<String> errors = System.err::println;
    private Consumer<String> progress = m -> {};
    private Duration progressEvery = DEFAULT_PROGRESS_EVERY;
    private LongSupplier nanoTime = System::nanoTime;

    private Builder() {}

    /** Region national-form numbers are read in ({@code CN}); {@code null}: E.164 only. */
    public Builder defaultRegion(String region) {
      this.defaultRegion = region;
      return this;
    }

    /** Replace every E.164 number by its pseudonym before the record is keyed and sent. */
    public Builder pseudonymize(Pseudonymizer pseudonymizer) {
      this.pseudonymizer = Objects.requireNonNull(pseudonymizer, "pseudonymizer");
      this.pseudonymsDecided = true;
      return this;
    }

    /** Send numbers in E.164. Must be chosen explicitly: there is no silent default. */
    public Builder withoutPseudonyms() {
      this.pseudonymizer = null;
      this.pseudonymsDecided = true;
      return this;
    }

    /** Drop message text: SMS bodies and collection-attempt bodies become {@code null}. */
    public Builder dropBodies(boolean drop) {
      this.dropBodies = drop;
      return this;
    }

    /** Stop an input at its first bad line. */
    public Builder strict(boolean strict) {
      this.strict = strict;
      return this;
    }

    /**
     * One rejects file for every input (each line names its input); {@code null} for the default,
     * {@code <input>.rejects} beside each input file ({@code stdin.rejects} in the working
     * directory for standard input).
     */
    public Builder rejectsFile(Path file) {
      this.rejectsFile = file;
      return this;
    }

    /** Where each bad line is reported; default standard error. */
    public Builder errors(Consumer<String> errors) {
      this.errors = Objects.requireNonNull(errors, "errors");
      return this;
    }

    /** Where progress and each input's final line go; default nowhere. */
    public Builder progress(Consumer<String> progress) {
      this.progress = Objects.requireNonNull(progress, "progress");
      return this;
    }

    public Builder progressEvery(Duration every) {
      this.progressEvery = Objects.requireNonNull(every, "every");
      return this;
    }

    /** The clock for progress and elapsed time; tests pass a fake one. */
    public Builder nanoTime(LongSupplier nanoTime) {
      this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
      return this;
    }

    /**
     * @throws IllegalStateException when neither {@link #pseudonymize} nor {@link
     *     #withoutPseudonyms} was called
     * @throws IllegalArgumentException for a region libphonenumber does not know
     */
    public FileIngest build() {
      if (!pseudonymsDecided) {
        throw new IllegalStateException(
            "choose pseudonymize(key) or withoutPseudonyms(): numbers are not sent in clear by"
                + " default");
      }
      return new FileIngest(this);
    }
  }
}

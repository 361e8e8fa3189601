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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
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
import org.dunwatch.producers.parse.InputLimits;
import org.dunwatch.producers.parse.LineConsumer;
import org.dunwatch.producers.parse.LineError;
import org.dunwatch.producers.parse.ParseSummary;
import org.dunwatch.producers.privacy.BodyNumbers;
import org.dunwatch.producers.privacy.NumberMask;
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
  private final String defaultRegion;
  private final boolean strict;
  private final Path rejectsFile;
  private final Consumer<String> errors;
  private final Consumer<String> progress;
  private final long progressEveryNanos;
  private final LongSupplier nanoTime;
  private final Map<Path, Writer> rejectWriters = new LinkedHashMap<>();

  private FileIngest(Builder b) {
    NumberNormalizer numbers = new NumberNormalizer();
    this.callParser = new CallCsvParser(numbers, b.defaultRegion, b.limits);
    this.smsParser = new SmsCsvParser(numbers, b.defaultRegion, b.limits);
    this.lenderParser =
        new LenderJsonlParser(
            numbers, b.defaultRegion, LenderJsonlParser.DEFAULT_MAX_LINE_CHARS, b.limits);
    this.pseudonymizer = b.pseudonymizer;
    this.dropBodies = b.dropBodies;
    this.defaultRegion = numbers.checkRegion(b.defaultRegion);
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
    return ingest(InputKind.CALLS, input, sink);
  }

  public IngestResult sms(IngestInput input, RecordSink<String, SmsRecord> sink)
      throws IOException {
    return ingest(InputKind.SMS, input, sink);
  }

  public IngestResult lender(IngestInput input, RecordSink<String, LenderEvent> sink)
      throws IOException {
    return ingest(InputKind.LENDER, input, sink);
  }

  /** Ingests an input of the given kind; the sink's value type must match the kind. */
  public IngestResult ingest(InputKind kind, IngestInput input, RecordSink<String, ?> sink)
      throws IOException {
    Tally tally = new Tally(new Job(kind, input, sink));
    try {
      read(kind, input, tally::accept);
    } catch (StopAtBadLine stop) {
      tally.stoppedAt = stop.error;
    }
    return tally.finish();
  }

  /** One input and where its records go, for {@link #interleaved}. */
  public record Job(InputKind kind, IngestInput input, RecordSink<String, ?> sink) {
    public Job {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(input, "input");
      Objects.requireNonNull(sink, "sink");
    }
  }

  /** Records each input reader may hold ahead of the merge: bounds memory, not throughput. */
  static final int MERGE_BUFFER = 4096;

  /**
   * Ingests several inputs at once, sending their records merged by event time: each input is read
   * in its own order and the earliest record at the head of any input goes next.
   *
   * <p>A replay sends files that cover the same days. Sent one after the other, the first file
   * would carry the streams app's stream time to its end and the next file's records would all
   * arrive later than the grace period; merged, they arrive as they happened (to the extent each
   * file is in time order). Bad lines are reported as they are met.
   *
   * @return one result per job, in the jobs' order
   */
  public List<IngestResult> interleaved(List<Job> jobs) throws IOException {
    if (jobs.size() == 1) {
      Job j = jobs.get(0);
      return List.of(ingest(j.kind(), j.input(), j.sink()));
    }
    List<Tally> tallies = new ArrayList<>();
    List<BlockingQueue<Item>> queues = new ArrayList<>();
    List<Thread> readers = new ArrayList<>();
    for (Job job : jobs) {
      Tally tally = new Tally(job);
      BlockingQueue<Item> queue = new ArrayBlockingQueue<>(MERGE_BUFFER);
      tallies.add(tally);
      queues.add(queue);
      Thread t =
          new Thread(
              () -> {
                Item last = END;
                try {
                  read(job.kind(), job.input(), item -> put(queue, item));
                } catch (Cancelled c) {
                  return;
                } catch (IOException | RuntimeException e) {
                  last = new Failed(e);
                } catch (Error e) {
                  // Whatever ends this thread must reach the merge, or it would wait forever.
                  last = new Failed(new IllegalStateException("reading " + job.input(), e));
                }
                try {
                  queue.put(last);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "dunwatch-ingest-" + job.input().name());
      t.setDaemon(true);
      readers.add(t);
    }
    readers.forEach(Thread::start);
    Item[] heads = new Item[jobs.size()];
    boolean[] ended = new boolean[jobs.size()];
    try {
      while (true) {
        int next = -1;
        for (int i = 0; i < heads.length; i++) {
          if (ended[i]) {
            continue;
          }
          if (heads[i] == null) {
            heads[i] = queues.get(i).take();
          }
          if (heads[i] instanceof Failed f) {
            throw f.rethrow();
          }
          if (heads[i] == END) {
            ended[i] = true;
            continue;
          }
          // A bad line has no time of its own: report it at once.
          if (heads[i] instanceof Rejected) {
            next = i;
            break;
          }
          if (next < 0 || ((Sent) heads[i]).time.isBefore(((Sent) heads[next]).time)) {
            next = i;
          }
        }
        if (next < 0) {
          break;
        }
        Item item = heads[next];
        heads[next] = null;
        try {
          tallies.get(next).accept(item);
        } catch (StopAtBadLine stop) {
          tallies.get(next).stoppedAt = stop.error;
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while merging inputs");
    } finally {
      readers.forEach(Thread::interrupt);
    }
    List<IngestResult> results = new ArrayList<>();
    for (Tally t : tallies) {
      results.add(t.finish());
    }
    return results;
  }

  private static void put(BlockingQueue<Item> queue, Item item) {
    try {
      queue.put(item);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Cancelled();
    }
  }

  /** What an input reader hands on: a record, a bad line, its end, or its failure. */
  private sealed interface Item permits Sent, Rejected, End, Failed {}

  private record Sent(String key, Object value, Instant time, String source, long line)
      implements Item {}

  private record Rejected(LineError error) implements Item {}

  private record End() implements Item {}

  private static final Item END = new End();

  private record Failed(Exception failure) implements Item {
    IOException rethrow() {
      if (failure instanceof IOException io) {
        return io;
      }
      throw (RuntimeException) failure;
    }
  }

  /** Stops a reader thread once the merge no longer wants its records. */
  private static final class Cancelled extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Cancelled() {
      super(null, null, false, false);
    }
  }

  private void read(InputKind kind, IngestInput input, Consumer<Item> out) throws IOException {
    switch (kind) {
      case CALLS ->
          this.<CallRecord>read(
              input, callParser::parseLines, this::prepare, Keys::of, Keys::eventTime, out);
      case SMS ->
          this.<SmsRecord>read(
              input, smsParser::parseLines, this::prepare, Keys::of, Keys::eventTime, out);
      case LENDER ->
          this.<LenderEvent>read(
              input, lenderParser::parseLines, this::prepare, Keys::of, Keys::eventTime, out);
    }
  }

  private CallRecord prepare(CallRecord call) {
    return pseudonymizer == null ? call : pseudonymizer.apply(call);
  }

  private SmsRecord prepare(SmsRecord sms) {
    SmsRecord out = pseudonymizer == null ? sms : pseudonymizer.apply(sms);
    if (out.getBody() == null) {
      return out;
    }
    if (dropBodies) {
      return SmsRecord.newBuilder(out).setBody(null).build();
    }
    if (pseudonymizer != null) {
      String body = bodyNumbers(out.getBody(), out.getRecipient().getRegion());
      out = SmsRecord.newBuilder(out).setBody(body).build();
    }
    return out;
  }

  /**
   * A body with the numbers written in it pseudonymised, read in the recipient's region (the
   * default region when the recipient has none), with the parties' key.
   */
  private String bodyNumbers(String body, String recipientRegion) {
    return BodyNumbers.pseudonymize(
        body, recipientRegion != null ? recipientRegion : defaultRegion, pseudonymizer);
  }

  private LenderEvent prepare(LenderEvent event) {
    LenderEvent out = pseudonymizer == null ? event : pseudonymizer.apply(event);
    if (out.getPayload() instanceof CollectionAttempt a && a.getBody() != null) {
      String body =
          dropBodies
              ? null
              : pseudonymizer == null
                  ? a.getBody()
                  : bodyNumbers(a.getBody(), a.getTarget().getRegion());
      out =
          LenderEvent.newBuilder(out)
              .setPayload(CollectionAttempt.newBuilder(a).setBody(body).build())
              .build();
    }
    return out;
  }

  @FunctionalInterface
  private interface Parser<T> {
    ParseSummary parse(
        Reader in, String sourceName, LineConsumer<T> records, Consumer<LineError> errors)
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

  /** Parses, pseudonymises, keys: everything up to the sink. */
  private <T> void read(
      IngestInput input,
      Parser<T> parser,
      UnaryOperator<T> prepare,
      Function<T, String> key,
      Function<T, Instant> eventTime,
      Consumer<Item> out)
      throws IOException {
    Reader reader = input.open();
    try {
      parser.parse(
          reader,
          input.name(),
          (record, line) -> {
            T prepared = prepare.apply(record);
            out.accept(
                new Sent(
                    key.apply(prepared), prepared, eventTime.apply(prepared), input.name(), line));
          },
          error -> out.accept(new Rejected(error)));
    } finally {
      // Standard input belongs to the process; closing it would stop a later reader of it.
      if (!input.isStdin()) {
        reader.close();
      }
    }
  }

  private record SendFailure(Sent record, Exception failure) {}

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

  /** Sends one input's records and counts them; reports and writes its bad lines. */
  private final class Tally {
    final Job job;
    final IngestInput input;
    final RecordSink<String, Object> sink;
    final long started = nanoTime.getAsLong();
    long lastReport = started;
    long records;
    long rejected;
    LineError stoppedAt;

    /** Records the sink could not store, reported from its I/O thread. */
    final Queue<SendFailure> failures = new ConcurrentLinkedQueue<>();

    final Set<Sent> resent = new HashSet<>();
    Path rejectsPath;
    Writer rejectsWriter;
    boolean rejectsUnwritable;

    @SuppressWarnings("unchecked")
    Tally(Job job) {
      this.job = job;
      this.input = job.input();
      // The job's kind decides both the parser and the sink's value type.
      this.sink = (RecordSink<String, Object>) job.sink();
    }

    void accept(Item item) {
      if (item instanceof Sent r) {
        send(r);
        records++;
      } else if (item instanceof Rejected r) {
        reject(r.error());
        if (strict) {
          throw new StopAtBadLine(r.error());
        }
      }
      drainFailures();
      tick();
    }

    void send(Sent r) {
      sink.send(r.key(), r.value(), r.time(), e -> failures.add(new SendFailure(r, e)));
    }

    /**
     * Turns records the sink could not store into bad lines. A record refused only because it
     * shared a batch with a refused one is sent once more; it fails for good only on its own
     * account.
     *
     * @return whether a record was sent again (and a flush is needed to learn its outcome)
     */
    boolean drainFailures() {
      boolean again = false;
      for (SendFailure f = failures.poll(); f != null; f = failures.poll()) {
        if (RecordSink.refusedForABatchMate(f.failure()) && resent.add(f.record())) {
          send(f.record());
          again = true;
          continue;
        }
        records--;
        LineError error =
            new LineError(
                f.record().source(),
                f.record().line(),
                "not stored by Kafka: "
                    + NumberMask.mask(String.valueOf(f.failure().getMessage())));
        reject(error);
        if (strict && stoppedAt == null) {
          stoppedAt = error;
        }
      }
      return again;
    }

    IngestResult finish() throws IOException {
      do {
        sink.flush();
      } while (drainFailures());
      if (rejectsWriter != null) {
        rejectsWriter.flush();
      }
      IngestResult result =
          new IngestResult(
              input.name(),
              job.kind(),
              records,
              rejected,
              Duration.ofNanos(nanoTime.getAsLong() - started),
              rejectsPath,
              stoppedAt);
      progress.accept(done(result));
      return result;
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
    private InputLimits limits = InputLimits.DEFAULT;
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

    /** The event-time window and field caps every line is checked against. */
    public Builder limits(InputLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
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

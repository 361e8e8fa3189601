package org.dunwatch.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.dunwatch.producers.ingest.FileIngest;
import org.dunwatch.producers.numbers.NumberNormalizer;
import org.dunwatch.producers.parse.InputLimits;
import org.dunwatch.producers.privacy.PseudonymKeyException;
import org.dunwatch.producers.privacy.Pseudonymizer;
import picocli.CommandLine.Option;

/** How files are read and what is done to them before Kafka: shared by produce and replay. */
public final class IngestOptions {

  @Option(
      names = "--default-region",
      paramLabel = "CC",
      description =
          "Region for numbers written in national form, e.g. CN, US, GB. Default: E.164 only.")
  String defaultRegion;

  @Option(
      names = "--pseudonymize",
      paramLabel = "on|off",
      defaultValue = "on",
      description =
          "Replace every phone number by its keyed pseudonym (pn_...) before it reaches Kafka"
              + " (default ${DEFAULT-VALUE}; needs a key: env "
              + Pseudonymizer.KEY_ENV
              + " or --pseudonym-key-file). off sends E.164.")
  String pseudonymize;

  @Option(
      names = "--pseudonym-key-file",
      paramLabel = "FILE",
      description =
          "File holding the pseudonym key (at least 16 bytes; trailing newlines ignored).")
  Path keyFile;

  @Option(
      names = "--drop-bodies",
      description = "Drop message text: SMS bodies and collection-attempt bodies are not sent.")
  boolean dropBodies;

  @Option(
      names = "--strict",
      description =
          "Stop at the first bad line (exit code 2) instead of rejecting it and going on.")
  boolean strict;

  @Option(
      names = "--rejects",
      paramLabel = "FILE",
      description =
          "Write bad lines (file, line number, reason) here. Default: <input>.rejects beside each"
              + " input, created only when it has a bad line (stdin.rejects for standard input).")
  Path rejects;

  @Option(
      names = "--earliest",
      paramLabel = "TIME",
      description =
          "Earliest event time accepted (ISO-8601, e.g. 2020-01-01T00:00:00Z); an earlier one is"
              + " a bad line. Default: 2000-01-01T00:00:00Z. Kafka stores nothing before 1970.")
  String earliest;

  @Option(
      names = "--max-ahead",
      paramLabel = "DURATION",
      description =
          "How far ahead of this machine's clock an event time may be (ISO-8601 duration, e.g."
              + " PT15M); a later one is a bad line. Default: PT15M. Keep it below the broker's"
              + " message.timestamp.after.max.ms (1 h in Kafka 4).")
  String maxAhead;

  /** The event-time window and field caps; a user error for a bad flag. */
  InputLimits limits() {
    InputLimits limits = InputLimits.DEFAULT;
    if (earliest != null) {
      Instant t;
      try {
        t = OffsetDateTime.parse(earliest.strip()).toInstant();
      } catch (DateTimeParseException e) {
        throw new UserError(
            "--earliest must be an ISO-8601 time with an offset, e.g. 2020-01-01T00:00:00Z");
      }
      if (t.isBefore(Instant.EPOCH)) {
        throw new UserError("--earliest must not be before 1970: Kafka cannot store such times");
      }
      limits = limits.withEarliest(t);
    }
    if (maxAhead != null) {
      Duration d;
      try {
        d = Duration.parse(maxAhead.strip());
      } catch (DateTimeParseException e) {
        throw new UserError("--max-ahead must be an ISO-8601 duration such as PT15M");
      }
      if (d.isNegative()) {
        throw new UserError("--max-ahead must not be negative");
      }
      limits = limits.withMaxAhead(d);
    }
    return limits;
  }

  /** The region, upper case, or {@code null}; a user error when libphonenumber does not know it. */
  String region() {
    if (defaultRegion == null) {
      return null;
    }
    String region = defaultRegion.toUpperCase(Locale.ROOT);
    try {
      return new NumberNormalizer().checkRegion(region);
    } catch (IllegalArgumentException e) {
      throw new UserError(
          "--default-region must be a region code such as CN, US or GB, got " + defaultRegion);
    }
  }

  /**
   * The pseudonymizer, or {@code null} when pseudonymisation is off. Loaded before anything starts,
   * so that a missing key stops the command before a single record could leave in clear.
   */
  Pseudonymizer pseudonymizer() {
    return PseudonymKeys.pseudonymizer(pseudonymize, keyFile, System.getenv());
  }

  /** A builder with these options; the caller adds its progress and rejects handling. */
  FileIngest.Builder builder(Consumer<String> progress) {
    String region = region();
    Pseudonymizer pseudonyms = pseudonymizer();
    FileIngest.Builder b =
        FileIngest.builder()
            .defaultRegion(region)
            .dropBodies(dropBodies)
            .strict(strict)
            .limits(limits())
            .rejectsFile(rejects)
            .progress(progress);
    return pseudonyms == null ? b.withoutPseudonyms() : b.pseudonymize(pseudonyms);
  }

  /** Turns key problems into one-line user errors that say every way out. */
  static final class PseudonymKeys {
    private PseudonymKeys() {}

    static Pseudonymizer pseudonymizer(String mode, Path keyFile, Map<String, String> env) {
      if (!"on".equals(mode) && !"off".equals(mode)) {
        throw new UserError("--pseudonymize must be on or off, got " + mode);
      }
      if ("off".equals(mode)) {
        if (keyFile != null) {
          throw new UserError(
              "--pseudonym-key-file is given but --pseudonymize is off; drop one of them");
        }
        return null;
      }
      return load(keyFile, env);
    }

    static Pseudonymizer load(Path keyFile, Map<String, String> env) {
      String fromEnv = env.get(Pseudonymizer.KEY_ENV);
      if (keyFile == null && (fromEnv == null || fromEnv.isBlank())) {
        throw new UserError(
            "no pseudonym key: numbers are pseudonymised before they reach Kafka and there is no"
                + " default key. Set "
                + Pseudonymizer.KEY_ENV
                + " (e.g. export "
                + Pseudonymizer.KEY_ENV
                + "=$(openssl rand -hex 32)) or give --pseudonym-key-file FILE, at least "
                + Pseudonymizer.MIN_KEY_BYTES
                + " bytes; or pass --pseudonymize off to send numbers in E.164 (synthetic data"
                + " only)");
      }
      try {
        return Pseudonymizer.fromEnvironmentOrFile(env, keyFile);
      } catch (PseudonymKeyException e) {
        throw new UserError(e.getMessage(), e);
      }
    }
  }
}

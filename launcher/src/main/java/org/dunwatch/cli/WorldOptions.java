package org.dunwatch.cli;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.dunwatch.producers.sim.SimConfig;
import org.dunwatch.producers.sim.SimulatedWorld;
import picocli.CommandLine.Option;

/** The options that describe a simulated world, shared by {@code simulate} and {@code demo}. */
public final class WorldOptions {

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Random seed (default ${DEFAULT-VALUE}); the same seed gives the same world.")
  long seed;

  @Option(
      names = "--subscribers",
      defaultValue = "300",
      description = "Subscribers in the network (default ${DEFAULT-VALUE}).")
  int subscribers;

  @Option(
      names = "--days",
      defaultValue = "2",
      description = "Days of event time (default ${DEFAULT-VALUE}).")
  int days;

  @Option(
      names = "--start",
      paramLabel = "TIME",
      defaultValue = "2024-07-26T00:00:00Z",
      description =
          "Event time the world starts at, ISO-8601 with offset (default ${DEFAULT-VALUE}).")
  String start;

  @Option(
      names = "--scenarios",
      paramLabel = "SPEC",
      defaultValue = "all",
      description = {
        "Abuse to inject: all (one of each), all=2, none, or e.g. CALL_BOMBING=2,SMS_BOMBING,WRONG_PARTY=0.",
        "Kinds: CALL_BOMBING, SMS_BOMBING, CONTACT_FAN_OUT, DISCLOSURE, THREAT, EARLY_RELATION_CONTACT,",
        "FREQUENCY_BREACH, CURFEW_BREACH, CONTACT_AFTER_CEASE, WRONG_PARTY, UNDECLARED_RELATION_CONTACT,",
        "SENDER_ID_STRANGER_SMS (default ${DEFAULT-VALUE})."
      })
  String scenarios;

  @Option(
      names = "--us-share",
      defaultValue = "0.15",
      description = "Share of US numbers; the rest are CN (default ${DEFAULT-VALUE}).")
  double usShare;

  SimConfig config() {
    Instant at;
    try {
      at = OffsetDateTime.parse(start).toInstant();
    } catch (DateTimeParseException e) {
      throw new UserError(
          "--start must be ISO-8601 with an offset, e.g. 2024-07-26T00:00:00Z, got " + start);
    }
    try {
      return new SimConfig(
          seed, subscribers, days, at, usShare, SimConfig.parseScenarios(scenarios));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  /** The world of {@code config}; one that cannot be built is the user's error. */
  SimulatedWorld generate(SimConfig config) {
    try {
      return SimulatedWorld.generate(config);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new UserError(e.getMessage(), e);
    }
  }
}

package org.dunwatch.cli;

import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code dunwatch} command. */
@Command(
    name = "dunwatch",
    mixinStandardHelpOptions = true,
    version = "dunwatch 0.1.0",
    description = "Catches abusive debt collection in call, SMS and lender events as it happens.",
    subcommands = {
      DemoCommand.class,
      SimulateCommand.class,
      ReplayCommand.class,
      ChaosCommand.class,
      AlertsCommand.class,
      RunCommand.class,
      TopicsCommand.class,
      ResetCommand.class,
      ProduceCommand.class,
      PseudonymizeCommand.class,
      EvalCommand.class,
      BenchCommand.class
    })
public final class Dunwatch implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }

  public static void main(String[] args) {
    formatNumbersTheSameEverywhere();
    System.exit(execute(args));
  }

  /**
   * Sets the JVM's format locale to {@link Locale#US}: figures print alike on every machine, and
   * JDK 17's {@code Formatter} looks up no {@code DecimalFormatSymbols} per call. Kafka Streams
   * 4.3.1 {@code String.format}s a log line for every empty input partition each time it asks
   * whether a task may process ({@code PartitionGroup.readyToProcess}, not guarded by the log
   * level); with a task reading seven partitions, several of them sparse, that was 11–13 % of the
   * stream thread (project README, Performance, 2026-12-04).
   */
  static void formatNumbersTheSameEverywhere() {
    Locale.setDefault(Locale.Category.FORMAT, Locale.US);
  }

  /** Runs a command line and returns its exit code: 0 ok, 2 usage or user error, 1 failure. */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new Dunwatch());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof UserError) {
            commandLine.getErr().println("error: " + e.getMessage());
            return 2;
          }
          commandLine.getErr().println("error: " + e);
          e.printStackTrace(commandLine.getErr());
          return 1;
        });
    return cli.execute(args);
  }
}

package org.dunwatch.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code --slice}, for the commands that produce a backlog and run the pipeline over it ({@code
 * eval}, {@code replay}, {@code demo}): how far ahead of what is processed the producer may run
 * ({@link Slicer} says why).
 */
final class SliceOptions {

  @Option(
      names = "--slice",
      paramLabel = "DURATION",
      defaultValue = "PT2H",
      description = {
        "Produce at most this much event time (and 100 events) ahead of what the pipeline has",
        "processed (default ${DEFAULT-VALUE}; PT0S: all at once, which skews event time across tasks",
        "and costs detections that join lender data or circles)."
      })
  Duration slice;

  /** The slice, or null for all at once; a clear error for a negative one. */
  Duration slice() {
    if (slice.isNegative()) {
      throw new UserError("--slice must be a duration of event time, PT0S or more, got " + slice);
    }
    return slice.isZero() ? null : slice;
  }
}

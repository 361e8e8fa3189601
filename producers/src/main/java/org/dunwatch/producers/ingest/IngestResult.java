package org.dunwatch.producers.ingest;

import java.nio.file.Path;
import java.time.Duration;
import org.dunwatch.producers.parse.LineError;

/**
 * What ingesting one input did.
 *
 * @param input the input's name (file name or {@code stdin})
 * @param kind what it held
 * @param records records handed to the sink (and flushed)
 * @param rejected bad lines, each reported and written to the rejects file
 * @param elapsed time from opening the input to the final flush
 * @param rejectsFile where the bad lines were written, or {@code null} when there were none
 * @param stoppedAt the bad line {@code --strict} stopped at, or {@code null} when the input was
 *     read to its end
 */
public record IngestResult(
    String input,
    InputKind kind,
    long records,
    long rejected,
    Duration elapsed,
    Path rejectsFile,
    LineError stoppedAt) {

  public boolean stopped() {
    return stoppedAt != null;
  }

  public double recordsPerSecond() {
    double s = elapsed.toNanos() / 1e9;
    return s <= 0 ? 0 : records / s;
  }

  /** {@code calls.csv: 260 records, 0 rejected lines}, as summaries print it. */
  @Override
  public String toString() {
    return input + ": " + records + " records, " + rejected + " rejected lines";
  }
}

package org.dunwatch.producers.parse;

/**
 * What one pass over an input produced: how many records went to the record consumer and how many
 * line errors to the error consumer.
 */
public record ParseSummary(String source, long records, long errors) {

  @Override
  public String toString() {
    return source + ": " + records + " records, " + errors + " bad lines";
  }
}

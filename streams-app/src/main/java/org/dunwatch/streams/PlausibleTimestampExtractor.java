package org.dunwatch.streams;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * The record's own timestamp (the producers stamp event time), unless it is implausible by {@link
 * TimeBounds}: then the partition's current time, so that the record can neither move stream time
 * nor be dropped by Kafka Streams for a negative timestamp. {@link DecodeProcessor} applies the
 * same bounds to the payload's event time and sends the record to the dead-letter topic.
 */
final class PlausibleTimestampExtractor implements TimestampExtractor {

  private final TimeBounds bounds;
  private final boolean judgeStreamTime;

  PlausibleTimestampExtractor(TimeBounds bounds, boolean judgeStreamTime) {
    this.bounds = bounds;
    this.judgeStreamTime = judgeStreamTime;
  }

  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    long ts = record.timestamp();
    if (bounds.judge(ts, partitionTime, System.currentTimeMillis(), judgeStreamTime) == null) {
      return ts;
    }
    return Math.max(partitionTime, 0);
  }
}

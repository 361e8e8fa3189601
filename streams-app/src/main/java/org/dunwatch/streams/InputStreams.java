package org.dunwatch.streams;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.avro.telecom.SmsRecord;
import org.dunwatch.schemas.Keys;
import org.dunwatch.schemas.Topic;
import org.dunwatch.schemas.Topics;
import org.dunwatch.streams.metrics.Metering;

/**
 * The decoded input streams every detector reads, each source read once. Records that cannot be
 * used are written to the dead-letter topic here, before any detector sees them.
 */
public final class InputStreams {

  /**
   * How long an event id is remembered, in stream time: a repeat within it is processed once
   * (telecom CDR feeds re-send records after a failover, typically within minutes to hours).
   */
  public static final Duration DEDUP_WINDOW = Duration.ofDays(1);

  /** The de-duplication stores, one per input: {@code <input>-dedup}, event id to fingerprint. */
  public static final String CALLS_DEDUP_STORE = "calls-dedup";

  public static final String SMS_DEDUP_STORE = "sms-dedup";
  public static final String LENDER_DEDUP_STORE = "lender-dedup";

  private final KStream<String, CallRecord> calls;
  private final KStream<String, SmsRecord> sms;
  private final KStream<String, LenderEvent> lender;

  private InputStreams(
      KStream<String, CallRecord> calls,
      KStream<String, SmsRecord> sms,
      KStream<String, LenderEvent> lender) {
    this.calls = calls;
    this.sms = sms;
    this.lender = lender;
  }

  public static InputStreams from(StreamsBuilder builder, Topics topics, Duration grace) {
    return from(builder, topics, grace, TimeBounds.DEFAULT);
  }

  /** With the bounds beyond which an event time is taken for an error ({@link TimeBounds}). */
  public static InputStreams from(
      StreamsBuilder builder, Topics topics, Duration grace, TimeBounds bounds) {
    KStream<String, CallRecord> calls =
        decode(
            builder,
            topics,
            topics.calls(),
            "calls",
            Keys::of,
            Keys::eventTime,
            "callee id",
            grace,
            bounds,
            true,
            CallRecord::getCallId,
            CALLS_DEDUP_STORE);
    KStream<String, SmsRecord> sms =
        decode(
            builder,
            topics,
            topics.sms(),
            "sms",
            Keys::of,
            Keys::eventTime,
            "recipient id",
            grace,
            bounds,
            true,
            SmsRecord::getMessageId,
            SMS_DEDUP_STORE);
    KStream<String, LenderEvent> lender =
        decode(
            builder,
            topics,
            topics.lender(),
            "lender",
            Keys::of,
            Keys::eventTime,
            "lender_id/loan_id (lender_id/number for collector numbers,"
                + " lender_id/application_id for applications)",
            grace,
            bounds,
            // one loan's events come days apart: a quiet partition is normal here
            false,
            LenderEvent::getEventId,
            LENDER_DEDUP_STORE);
    return new InputStreams(calls, sms, lender);
  }

  /** Calls keyed by callee id, timestamped with their start time, within grace. */
  public KStream<String, CallRecord> calls() {
    return calls;
  }

  /** Messages keyed by recipient id, timestamped with their sent time, within grace. */
  public KStream<String, SmsRecord> sms() {
    return sms;
  }

  /** Lender events keyed as {@link Keys#of(LenderEvent)}, timestamped with {@code at}. */
  public KStream<String, LenderEvent> lender() {
    return lender;
  }

  private static <V> KStream<String, V> decode(
      StreamsBuilder builder,
      Topics topics,
      Topic<String, V> topic,
      String name,
      Function<V, String> keyOf,
      Function<V, Instant> eventTimeOf,
      String keyMeaning,
      Duration grace,
      TimeBounds bounds,
      boolean judgeStreamTime,
      Function<V, String> idOf,
      String dedupStore) {
    String timeStore = name + DecodeProcessor.TIME_STORE_SUFFIX;
    // in memory and changelogged: one key per partition, restored when the task restarts or moves
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(timeStore), Serdes.Integer(), Serdes.Long())
            .withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(dedupStore), Serdes.String(), Serdes.ByteArray()));
    KStream<String, Decoded<V>> decoded =
        builder.stream(
                topic.name(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                    .withTimestampExtractor(
                        new PlausibleTimestampExtractor(bounds, judgeStreamTime))
                    .withName(name + "-source"))
            .processValues(Metering.input(topic.name()), Named.as(name + "-metered"))
            .process(
                () ->
                    new DecodeProcessor<>(
                        topic.name(),
                        topic.valueSerde().deserializer(),
                        keyOf,
                        eventTimeOf,
                        keyMeaning,
                        grace,
                        bounds,
                        judgeStreamTime,
                        timeStore,
                        idOf,
                        dedupStore,
                        DEDUP_WINDOW),
                Named.as(name + "-decode"),
                timeStore,
                dedupStore);
    decoded
        .filter((k, d) -> d.isDead(), Named.as(name + "-dead"))
        .map((k, d) -> KeyValue.pair(d.rawKey(), d.dead()), Named.as(name + "-dead-letter"))
        .processValues(Metering.deadLetters(), Named.as(name + "-dead-metered"))
        .to(
            topics.dlq().name(),
            Produced.with(topics.dlq().keySerde(), topics.dlq().valueSerde())
                .withName(name + "-dlq-sink"));
    return decoded
        .filter((k, d) -> !d.isDead(), Named.as(name + "-ok"))
        .mapValues(Decoded::value, Named.as(name + "-value"));
  }
}

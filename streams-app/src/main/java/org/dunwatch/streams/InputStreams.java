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
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.avro.telecom.SmsRecord;
import org.dunwatch.schemas.Keys;
import org.dunwatch.schemas.Topic;
import org.dunwatch.schemas.Topics;

/**
 * The decoded input streams every detector reads, each source read once. Records that cannot be
 * used are written to the dead-letter topic here, before any detector sees them.
 */
public final class InputStreams {

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
    KStream<String, CallRecord> calls =
        decode(
            builder,
            topics,
            topics.calls(),
            "calls",
            Keys::of,
            Keys::eventTime,
            "callee id",
            grace);
    KStream<String, SmsRecord> sms =
        decode(
            builder, topics, topics.sms(), "sms", Keys::of, Keys::eventTime, "recipient id", grace);
    KStream<String, LenderEvent> lender =
        decode(
            builder,
            topics,
            topics.lender(),
            "lender",
            Keys::of,
            Keys::eventTime,
            "lender_id/loan_id (lender_id/number for collector numbers, lender_id/application_id for applications)",
            grace);
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
      Duration grace) {
    KStream<String, Decoded<V>> decoded =
        builder.stream(
                topic.name(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(name + "-source"))
            .process(
                () ->
                    new DecodeProcessor<>(
                        topic.name(),
                        topic.valueSerde().deserializer(),
                        keyOf,
                        eventTimeOf,
                        keyMeaning,
                        grace),
                Named.as(name + "-decode"));
    decoded
        .filter((k, d) -> d.isDead(), Named.as(name + "-dead"))
        .map((k, d) -> KeyValue.pair(d.rawKey(), d.dead()), Named.as(name + "-dead-letter"))
        .to(
            topics.dlq().name(),
            Produced.with(topics.dlq().keySerde(), topics.dlq().valueSerde())
                .withName(name + "-dlq-sink"));
    return decoded
        .filter((k, d) -> !d.isDead(), Named.as(name + "-ok"))
        .mapValues(Decoded::value, Named.as(name + "-value"));
  }
}

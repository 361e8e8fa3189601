package org.dunwatch.streams.feeds;

import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.registry.RegistryConfig;
import org.dunwatch.registry.SchemaRegistryClient;
import org.dunwatch.schemas.Keys;
import org.dunwatch.schemas.Topic;
import org.dunwatch.schemas.TopicNames;
import org.dunwatch.schemas.Topics;

/**
 * One feed on a {@link TopologyTestDriver}, fed alerts and lender events straight from their topics
 * (the detectors are tested elsewhere), with the real registry serdes.
 */
public final class FeedHarness implements AutoCloseable {

  /** What a feed adds: the alerts and lender events in, the topics to write to. */
  public interface Feed {
    void addTo(
        StreamsBuilder builder,
        KStream<String, Alert> alerts,
        KStream<String, LenderEvent> lender,
        Topics topics);
  }

  public final Topics topics =
      Topics.create(
          TopicNames.defaults(),
          SchemaRegistryClient.create(RegistryConfig.of("mock://feeds-" + UUID.randomUUID())));
  public final TopologyTestDriver driver;
  private final TestInputTopic<String, Alert> alerts;
  private final TestInputTopic<String, LenderEvent> lender;

  public FeedHarness(Feed feed, Path stateDir) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "feeds-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
    KStream<String, Alert> a =
        builder.stream(
            topics.alerts().name(),
            Consumed.with(topics.alerts().keySerde(), topics.alerts().valueSerde())
                .withName("test-alerts"));
    KStream<String, LenderEvent> l =
        builder.stream(
            topics.lender().name(),
            Consumed.with(topics.lender().keySerde(), topics.lender().valueSerde())
                .withName("test-lender"));
    feed.addTo(builder, a, l, topics);
    driver = new TopologyTestDriver(builder.build(props), props);
    alerts =
        driver.createInputTopic(
            topics.alerts().name(),
            topics.alerts().keySerde().serializer(),
            topics.alerts().valueSerde().serializer());
    lender =
        driver.createInputTopic(
            topics.lender().name(),
            topics.lender().keySerde().serializer(),
            topics.lender().valueSerde().serializer());
  }

  /** An alert as the detectors write it: keyed by victim, timestamped when raised or grown. */
  public void send(Alert a) {
    String key = a.getVictim() != null ? a.getVictim() : a.getSubject().getId();
    alerts.pipeInput(key, a, a.getTriggeredAt());
  }

  public void send(LenderEvent e) {
    lender.pipeInput(Keys.of(e), e, e.getAt());
  }

  public <V> TestOutputTopic<String, V> output(Topic<String, V> topic) {
    return driver.createOutputTopic(
        topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
  }

  @Override
  public void close() {
    driver.close();
  }
}

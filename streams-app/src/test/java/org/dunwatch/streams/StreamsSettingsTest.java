package org.dunwatch.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.dunwatch.streams.policy.PolicyDetector;
import org.junit.jupiter.api.Test;

class StreamsSettingsTest {

  private static Properties create(Map<String, String> overrides) {
    return StreamsSettings.create("app", "localhost:1", Path.of("state"), true, overrides);
  }

  @Test
  void shouldNotWaitForAPartitionWithNothingMoreOnTheBroker() {
    assertEquals(0L, create(Map.of()).get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG));
  }

  @Test
  void shouldKeepAnIdleTimeGivenExplicitly() {
    Properties p = create(Map.of(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "300"));
    assertEquals("300", p.get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG));
  }

  @Test
  void shouldLingerUntilTheCommitUnderExactlyOnce() {
    Properties p = create(Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100"));
    assertEquals(100L, p.get(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG)));
    assertEquals(
        StreamsSettings.EOS_BATCH_BYTES,
        p.get(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG)));
  }

  @Test
  void shouldSendAtOnceUnderAtLeastOnce() {
    Properties p = StreamsSettings.create("app", "localhost:1", Path.of("state"), false, Map.of());
    assertEquals(5, p.get(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG)));
  }

  @Test
  void shouldKeepALingerGivenExplicitly() {
    Properties p =
        create(Map.of(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), "7"));
    assertEquals("7", p.get(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG)));
  }

  @Test
  void shouldHoldPolicyContactsTwoCommitIntervalsAnd100MsOnTheWallClock() {
    assertEquals(500L, create(Map.of()).get(PolicyDetector.HOLD_CONFIG));
    Properties slower = create(Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "1000"));
    assertEquals(2100L, slower.get(PolicyDetector.HOLD_CONFIG));
  }

  @Test
  void shouldKeepAHoldGivenExplicitlyAndRefuseOneThatIsNotMilliseconds() {
    assertEquals(
        "0", create(Map.of(PolicyDetector.HOLD_CONFIG, "0")).get(PolicyDetector.HOLD_CONFIG));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> create(Map.of(PolicyDetector.HOLD_CONFIG, "later")));
    assertEquals(
        "dunwatch.policy.hold.ms must be milliseconds, 0 or more, got 'later'", e.getMessage());
  }

  @Test
  void shouldNameTheCommitIntervalWhenItIsNotANumber() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> create(Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "abc")));
    assertEquals("commit.interval.ms must be milliseconds, got 'abc'", e.getMessage());
  }
}

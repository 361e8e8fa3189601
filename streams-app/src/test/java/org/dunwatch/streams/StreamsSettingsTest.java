package org.dunwatch.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsSettingsTest {

  private static Properties create(Map<String, String> overrides) {
    return StreamsSettings.create("app", "localhost:1", Path.of("state"), true, overrides);
  }

  @Test
  void shouldWaitForAnEmptyPartitionOneCommitIntervalAnd100Ms() {
    assertEquals(300L, create(Map.of()).get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG));
  }

  @Test
  void shouldWaitLongerWhenCommitsAreFurtherApart() {
    Properties p = create(Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "1000"));
    assertEquals(1100L, p.get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG));
  }

  @Test
  void shouldKeepAnIdleTimeGivenExplicitly() {
    Properties p = create(Map.of(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "0"));
    assertEquals("0", p.get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG));
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
  void shouldNameTheCommitIntervalWhenItIsNotANumber() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> create(Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "abc")));
    assertEquals("commit.interval.ms must be milliseconds, got 'abc'", e.getMessage());
  }
}

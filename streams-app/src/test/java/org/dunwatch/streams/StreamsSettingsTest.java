package org.dunwatch.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
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
}

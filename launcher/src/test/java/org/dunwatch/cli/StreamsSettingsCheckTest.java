package org.dunwatch.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad Kafka Streams, producer or consumer setting stops every command that runs the streams app
 * with one line naming it, before the embedded broker and registry are started.
 */
class StreamsSettingsCheckTest {

  @TempDir Path tmp;

  private Path config(String line) throws IOException {
    return Files.writeString(tmp.resolve("dunwatch.properties"), line + "\n");
  }

  private static void assertRefusedBeforeStarting(Cli.Run run, String setting) {
    assertEquals(2, run.exit(), run.err());
    assertTrue(run.err().contains("invalid Kafka Streams setting"), run.err());
    assertTrue(run.err().contains(setting), run.err());
    assertFalse(run.err().contains("starting embedded"), run.err());
  }

  @Test
  void shouldAcceptTheDefaultsAndGoodSettingsUnderBothGuarantees() throws IOException {
    Settings settings =
        Settings.resolve(
            Map.of(),
            config(
                "kafka.commit.interval.ms=100\nkafka.producer.acks=all\nkafka.max.task.idle.ms=0"),
            Map.of(),
            Map.of());
    for (boolean exactlyOnce : new boolean[] {true, false}) {
      assertDoesNotThrow(
          () ->
              StreamsRunner.checkSettings(
                  Settings.resolve(Map.of(), null, Map.of(), Map.of()), exactlyOnce));
      assertDoesNotThrow(() -> StreamsRunner.checkSettings(settings, exactlyOnce));
    }
  }

  @Test
  void shouldRefuseACommitIntervalThatIsNotANumberBeforeStartingAnything() throws IOException {
    Path bad = config("kafka.commit.interval.ms=soon");
    for (String command : new String[] {"run", "eval", "bench", "demo"}) {
      assertRefusedBeforeStarting(
          Cli.run(command, "--config", bad.toString()), "commit.interval.ms");
    }
  }

  @Test
  void shouldRefuseABadProducerSettingBeforeStartingAnything() throws IOException {
    assertRefusedBeforeStarting(
        Cli.run("run", "--config", config("kafka.producer.acks=maybe").toString()), "acks");
  }

  @Test
  void shouldRefuseABadConsumerSettingBeforeStartingAnything() throws IOException {
    assertRefusedBeforeStarting(
        Cli.run("run", "--config", config("kafka.consumer.max.poll.records=many").toString()),
        "max.poll.records");
  }
}

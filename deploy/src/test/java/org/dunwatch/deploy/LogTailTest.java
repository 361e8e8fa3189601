package org.dunwatch.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {

  @Test
  void shouldQuoteOnlyTheLastThirtyLines(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("broker.log");
    Files.write(
        log, IntStream.rangeClosed(1, 100).mapToObj(i -> "line " + i).collect(Collectors.toList()));

    List<String> tail = LogTail.of(log).lines().collect(Collectors.toList());

    assertEquals(30, tail.size());
    assertEquals("line 71", tail.get(0));
    assertEquals("line 100", tail.get(29));
  }

  @Test
  void shouldSayWhenThereIsNoLogToQuote(@TempDir Path dir) {
    String message = LogTail.message("kafka broker exited", dir.resolve("missing.log"));

    assertTrue(message.startsWith("kafka broker exited"), message);
    assertTrue(message.contains("no log at"), message);
  }
}

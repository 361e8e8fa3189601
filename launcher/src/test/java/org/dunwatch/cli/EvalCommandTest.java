package org.dunwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EvalCommandTest {

  @Test
  void shouldRefuseANegativeSliceBeforeStartingAnything() {
    Cli.Run run = Cli.run("eval", "--slice", "-PT1H");

    assertEquals(2, run.exit());
    assertTrue(run.err().contains("--slice must be a duration of event time"), run.err());
    assertTrue(!run.err().contains("starting embedded Kafka broker"), run.err());
  }

  @Test
  void shouldRefuseASliceThatIsNotADuration() {
    Cli.Run run = Cli.run("eval", "--slice", "2h");

    assertEquals(2, run.exit());
    assertTrue(run.err().contains("--slice"), run.err());
  }
}

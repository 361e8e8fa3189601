package org.dunwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --slice} as eval, replay and demo read it, before anything is started. */
class SliceOptionsTest {

  private static String[] withSlice(String command, String slice) {
    List<String> args = new ArrayList<>(List.of(command));
    if (command.equals("replay")) {
      args.addAll(List.of("--calls", ReplayIT.SEED.toString()));
    }
    args.addAll(List.of("--slice", slice));
    return args.toArray(String[]::new);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"eval", "replay", "demo"})
  void shouldRefuseANegativeSliceBeforeStartingAnything(String command) {
    Cli.Run run = Cli.run(withSlice(command, "-PT1H"));

    assertEquals(2, run.exit(), run.err());
    assertTrue(run.err().contains("--slice must be a duration of event time"), run.err());
    assertTrue(!run.err().contains("starting embedded Kafka broker"), run.err());
  }

  @Test
  void shouldRefuseASliceThatIsNotADuration() {
    Cli.Run run = Cli.run(withSlice("eval", "2h"));

    assertEquals(2, run.exit());
    assertTrue(run.err().contains("--slice"), run.err());
  }
}

package org.dunwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Where the HTTP server listens: flags over settings ({@code DUNWATCH_HTTP_*}), loopback by
 * default.
 */
class HttpOptionsTest {

  private static HttpOptions.Endpoint endpoint(Map<String, String> settings, String... flags) {
    HttpOptions options = new HttpOptions();
    new CommandLine(options).parseArgs(flags);
    return options.endpoint(Settings.resolve(Map.of(), null, Map.of(), settings));
  }

  @Test
  void shouldServeNothingOnLoopbackByDefault() {
    HttpOptions.Endpoint e = endpoint(Map.of());
    assertNull(e.port());
    assertEquals("127.0.0.1", e.bind());
  }

  @Test
  void shouldTakeTheEnvironmentsPortAndBindUnlessFlagsSayOtherwise() {
    Map<String, String> env = Map.of("http.port", "9464", "http.bind", "0.0.0.0");
    assertEquals(new HttpOptions.Endpoint("0.0.0.0", 9464), endpoint(env));
    assertEquals(
        new HttpOptions.Endpoint("127.0.0.1", 0),
        endpoint(env, "--http-port", "0", "--http-bind", "127.0.0.1"));
  }

  @Test
  void shouldRefuseABadPortWithOneLineAndExit2() {
    Cli.Run r = Cli.run("run", "--http-port", "99999", "--bootstrap-servers", "127.0.0.1:1");
    assertEquals(2, r.exit(), r.err());
    assertEquals("error: --http-port must be a port number 0-65535, not '99999'", r.err().strip());
  }
}

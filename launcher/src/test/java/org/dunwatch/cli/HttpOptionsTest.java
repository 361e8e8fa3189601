package org.dunwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    assertEquals(new HttpOptions.Endpoint("0.0.0.0", 9464, null, null), endpoint(env));
    assertEquals(
        new HttpOptions.Endpoint("127.0.0.1", 0, null, null),
        endpoint(env, "--http-port", "0", "--http-bind", "127.0.0.1"));
  }

  @Test
  void shouldNameAResolvedPortAndTheAdvertisedHostInApplicationServerOnlyWhenTheApiIsServed()
      throws Exception {
    java.nio.file.Path tokens = java.nio.file.Files.createTempFile("tokens", ".json");
    try {
      HttpOptions.Endpoint metricsOnly = endpoint(Map.of(), "--http-port", "0").resolved();
      assertTrue(metricsOnly.port() > 0, "port 0 resolved before the streams start");
      assertEquals(Map.of(), metricsOnly.streamsSettings());

      HttpOptions.Endpoint api =
          endpoint(
                  Map.of("api.tokens", tokens.toString()),
                  "--http-port",
                  "8421",
                  "--http-advertised-host",
                  "dunwatch-1.dunwatch")
              .resolved();
      assertEquals(tokens, api.apiTokens());
      assertEquals(Map.of("application.server", "dunwatch-1.dunwatch:8421"), api.streamsSettings());
    } finally {
      java.nio.file.Files.delete(tokens);
    }
  }

  @Test
  void shouldRefuseATokensFileThatIsNotThere() {
    UserError e =
        org.junit.jupiter.api.Assertions.assertThrows(
            UserError.class,
            () -> endpoint(Map.of(), "--http-port", "1", "--api-tokens", "/nonexistent/t.json"));
    assertTrue(e.getMessage().contains("no such file"), e.getMessage());
  }

  @Test
  void shouldRefuseABadPortWithOneLineAndExit2() {
    Cli.Run r = Cli.run("run", "--http-port", "99999", "--bootstrap-servers", "127.0.0.1:1");
    assertEquals(2, r.exit(), r.err());
    assertEquals("error: --http-port must be a port number 0-65535, not '99999'", r.err().strip());
  }
}

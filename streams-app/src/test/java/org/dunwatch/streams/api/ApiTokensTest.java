package org.dunwatch.streams.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiTokensTest {

  static final String T = "0123456789abcdef0123456789abcdef";
  static final String L = "fedcba9876543210fedcba9876543210";

  static ApiTokens tokens() {
    return ApiTokens.parse(
        "[{\"token\":\""
            + T
            + "\",\"role\":\"TELECOM\"},"
            + "{\"token\":\""
            + L
            + "\",\"role\":\"LENDER\",\"lender_id\":\"lnd-cn-02\"}]",
        "t.json");
  }

  @Test
  void shouldKnowEachTokensRoleAndLender() {
    ApiTokens t = tokens();
    assertEquals(Optional.of(new Principal(Role.TELECOM, null)), t.authenticate("Bearer " + T));
    assertEquals(
        Optional.of(new Principal(Role.LENDER, "lnd-cn-02")), t.authenticate("bearer " + L));
  }

  @Test
  void shouldRefuseMissingMalformedAndForgedTokens() {
    ApiTokens t = tokens();
    assertTrue(t.authenticate(null).isEmpty());
    assertTrue(t.authenticate(T).isEmpty(), "no Bearer scheme");
    assertTrue(t.authenticate("Bearer ").isEmpty());
    assertTrue(t.authenticate("Bearer " + T.substring(0, 31)).isEmpty(), "a prefix");
    assertTrue(t.authenticate("Bearer " + T + "0").isEmpty(), "longer");
    assertTrue(t.authenticate("Basic " + T).isEmpty());
  }

  @Test
  void shouldNotTakeAUserTokenForTheInstancesOwn() {
    ApiTokens t = tokens();
    assertFalse(t.isInternal("Bearer " + T));
    assertTrue(t.isInternal("Bearer " + t.internalToken()));
    assertTrue(t.authenticate("Bearer " + t.internalToken()).isEmpty());
  }

  @Test
  void shouldSayWhatIsWrongWithAFileWithoutQuotingAnyToken() {
    String[] bad = {
      "not json",
      "[]",
      "{\"token\":\"" + T + "\"}",
      "[{\"token\":\"short\",\"role\":\"TELECOM\"}]",
      "[{\"token\":\"" + T + "\",\"role\":\"ADMIN\"}]",
      "[{\"token\":\"" + T + "\",\"role\":\"LENDER\"}]",
      "[{\"token\":\"" + T + "\",\"role\":\"TELECOM\",\"lender_id\":\"x\"}]",
      "[{\"token\":\""
          + T
          + "\",\"role\":\"TELECOM\"},{\"token\":\""
          + T
          + "\",\"role\":\"REGULATOR\"}]"
    };
    for (String json : bad) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> ApiTokens.parse(json, "t.json"), json);
      assertTrue(e.getMessage().contains("t.json"), e.getMessage());
      assertFalse(e.getMessage().contains(T), "no token in: " + e.getMessage());
    }
    assertFalse(tokens().toString().contains(T));
  }
}

package org.dunwatch.producers.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BodyNumbersTest {

  static final Pseudonymizer P =
      Pseudonymizer.ofKey("body-numbers-key-0123456789".getBytes(StandardCharsets.UTF_8));

  @ParameterizedTest
  @ValueSource(
      strings = {
        "18812345678",
        "188 1234 5678",
        "188-1234-5678",
        "+86 188 1234 5678",
        "+8618812345678",
        "008618812345678",
        "0086 188 1234 5678",
        "+86-188-1234-5678"
      })
  void shouldReplaceAMobileNumberInEveryWrittenFormByItsPseudonym(String form) {
    String body = "你好，请回电" + form + "，谢谢";

    assertEquals(
        "你好，请回电" + P.pseudonym("+8618812345678") + "，谢谢", BodyNumbers.pseudonymize(body, "CN", P));
  }

  @Test
  void shouldReplaceALandlineAndANumberRunningIntoChineseText() {
    String body = "再不还钱就发到13953440914朋友圈，或打020 8765 4321";

    String out = BodyNumbers.pseudonymize(body, "CN", P);

    assertEquals(
        "再不还钱就发到" + P.pseudonym("+8613953440914") + "朋友圈，或打" + P.pseudonym("+862087654321"), out);
  }

  @Test
  void shouldKeepAmountsDatesAndMaskedNumbersAsWritten() {
    String body = "您的亲属逾期2187元，截止2024-07-26，尾号138****1234，验证码 483920";

    assertEquals(body, BodyNumbers.pseudonymize(body, "CN", P));
  }

  @Test
  void shouldFindAUsNumberInNationalFormForAUsRecipient() {
    String out = BodyNumbers.pseudonymize("call (212) 555-0100 now or else", "US", P);

    assertFalse(out.contains("555"), out);
    assertEquals("call " + P.pseudonym("+12125550100") + " now or else", out);
  }
}

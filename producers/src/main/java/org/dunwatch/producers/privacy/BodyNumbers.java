package org.dunwatch.producers.privacy;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import java.util.Objects;

/**
 * Pseudonymises the phone numbers written inside message text, with the same key as the parties, so
 * that a body naming a number carries its pseudonym instead: {@code 发到13953440914朋友圈} becomes
 * {@code 发到pn_…朋友圈}, the same token as that number's calls and alerts, and the words around it stay
 * for the content detector.
 *
 * <p>A number is whatever libphonenumber's matcher finds valid for the recipient's region, in any
 * common written form: {@code 18812345678}, {@code 188 1234 5678}, {@code +86 188 1234 5678},
 * {@code 008618812345678}, {@code 020 8765 4321}, {@code (212) 555-0100}. International forms are
 * found whatever the region. Numbers of another region written in national form are not, and
 * neither are masked ones ({@code 138****1234}), which hold no full number.
 */
public final class BodyNumbers {

  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

  private BodyNumbers() {}

  /**
   * The text with every valid phone number replaced by its pseudonym.
   *
   * @param region the recipient's region (ISO alpha-2) national forms are read in, or {@code null}
   */
  public static String pseudonymize(String text, String region, Pseudonymizer pseudonyms) {
    Objects.requireNonNull(pseudonyms, "pseudonyms");
    if (text == null || text.isEmpty()) {
      return text;
    }
    StringBuilder out = null;
    int last = 0;
    for (PhoneNumberMatch m :
        UTIL.findNumbers(
            text, region == null ? "ZZ" : region, PhoneNumberUtil.Leniency.VALID, Long.MAX_VALUE)) {
      if (out == null) {
        out = new StringBuilder(text.length());
      }
      String e164 = UTIL.format(m.number(), PhoneNumberFormat.E164);
      out.append(text, last, m.start()).append(pseudonyms.pseudonym(e164));
      last = m.end();
    }
    return out == null ? text : out.append(text, last, text.length()).toString();
  }
}

package org.dunwatch.producers.privacy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks whatever in a piece of text could be a phone number, for error messages and rejects files:
 * a value in the wrong column ({@code start_time "+8613800000001"}) must not leak the number it
 * holds.
 *
 * <p>Deliberately wider than a phone-number parser: any run of seven or more digits, written with
 * the separators people put in numbers, with or without a leading {@code +}, is masked, whatever
 * region it would parse in. Dates and times survive (a run broken by {@code :} or {@code T} is not
 * one run), so a message can still say which time was wrong.
 */
public final class NumberMask {

  /** What replaces a masked number. */
  public static final String MASK = "<number>";

  /**
   * A digit run with separators (space, no-break and ideographic space, {@code -.()/}) inside; full
   * -width digits and plus are digits too. A date such as {@code 2024-07-26} matches the shape and
   * is spared by {@link #isDate}.
   */
  private static final Pattern RUN =
      Pattern.compile("[+\\uFF0B]?[\\p{Nd}(][\\p{Nd} \\u00A0\\u3000().\\-/]*[\\p{Nd})]");

  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}( \\d{1,2})?");

  private static final int MIN_DIGITS = 7;

  private NumberMask() {}

  /** The text with every possible phone number replaced by {@value #MASK}. */
  public static String mask(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    Matcher m = RUN.matcher(text);
    StringBuilder out = null;
    int last = 0;
    while (m.find()) {
      String run = m.group();
      if (digits(run) < MIN_DIGITS || isDate(run)) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text.length());
      }
      out.append(text, last, m.start()).append(MASK);
      last = m.end();
    }
    return out == null ? text : out.append(text, last, text.length()).toString();
  }

  private static int digits(String run) {
    int n = 0;
    for (int i = 0; i < run.length(); i++) {
      if (Character.isDigit(run.charAt(i))) {
        n++;
      }
    }
    return n;
  }

  private static boolean isDate(String run) {
    return DATE.matcher(run.strip()).matches();
  }
}

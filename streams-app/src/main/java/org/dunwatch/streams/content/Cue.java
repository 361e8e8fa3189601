package org.dunwatch.streams.content;

/**
 * What a lexicon pattern signals in a message. The meaning of each cue is fixed here; the words and
 * patterns behind it live in resource files ({@code lexicons/index.txt}) and grow without code.
 */
public enum Cue {
  /** A verification code (OTP): counts toward SMS_FLOOD when the sender left the category open. */
  OTP,
  /** Talks about a debt: overdue, arrears, repayment, an amount owed. */
  DEBT,
  /** An amount of money ("2187.00元", "¥500", "$320"): a disclosure that names it is worse. */
  AMOUNT,
  /** Addresses the reader about someone else: "your relative X", "as the emergency contact". */
  THIRD_PARTY,
  /** Threat to publish or spread: contacts, photos, the debt, to the reader's circle or online. */
  EXPOSURE,
  /** Threat to turn up at home, at work, at the family's door. */
  VISIT,
  /** False criminal-law threat over a civil debt: jail, arrest, police, criminal record. */
  CRIMINAL,
  /** Insult or slur. */
  INSULT;

  public static Cue parse(String name) {
    try {
      return Cue.valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown lexicon category "
              + name
              + " (expected one of "
              + java.util.Arrays.toString(values()).toLowerCase(java.util.Locale.ROOT)
              + ")",
          e);
    }
  }
}

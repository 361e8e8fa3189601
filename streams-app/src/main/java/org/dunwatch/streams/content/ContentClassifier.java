package org.dunwatch.streams.content;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides THIRD_PARTY_DISCLOSURE and THREAT_OR_ABUSE from a message body and what is known of its
 * reader, with the cues of a {@link Lexicon}.
 *
 * <ul>
 *   <li><b>Disclosure</b>: the message talks about a debt ({@link Cue#DEBT}) and its reader is not
 *       the debtor. Where that is not known (a telecom SMS, an attempt with role UNKNOWN), only a
 *       message whose own wording addresses its reader about someone else ({@link Cue#THIRD_PARTY}:
 *       "您的亲友…逾期", "your relative X is overdue", "as the emergency contact") counts; a reminder
 *       addressed to the debtor never does.
 *   <li><b>Abuse</b>: threats ({@link Cue#EXPOSURE}, {@link Cue#VISIT}, {@link Cue#CRIMINAL}) and
 *       insults ({@link Cue#INSULT}), in a collection context: the message talks about a debt, or
 *       it is a lender-reported collection attempt. So a courier's "上门取件", a clinic's home visit or
 *       a quarrel between friends is not collection abuse.
 * </ul>
 */
public final class ContentClassifier {

  private final Lexicon lexicon;

  public ContentClassifier(Lexicon lexicon) {
    this.lexicon = Objects.requireNonNull(lexicon, "lexicon");
  }

  /**
   * @param body the message text; null or blank is clean
   * @param reader who read it, relative to the debt
   * @param collection the message is known to be a collection contact (a lender-reported attempt)
   */
  public ContentVerdict classify(String body, Recipient reader, boolean collection) {
    // Both verdicts need a collection context: a debt cue, or an attempt a lender reported. Most
    // telecom messages (codes, parcels, adverts) have neither, and one scan for the debt cues
    // settles them instead of a search for the phrases of every cue (a tenth of the stream
    // thread's samples when it was not there).
    if (!collection && !lexicon.matches(Cue.DEBT, body)) {
      return ContentVerdict.CLEAN;
    }
    Map<Cue, List<String>> cues = lexicon.find(body);
    if (cues.isEmpty()) {
      return ContentVerdict.CLEAN;
    }
    boolean debt = cues.containsKey(Cue.DEBT);
    boolean aboutSomeoneElse = cues.containsKey(Cue.THIRD_PARTY);
    boolean disclosure =
        debt
            && switch (reader) {
              case DEBTOR -> false;
              case NOT_DEBTOR -> true;
              case UNKNOWN -> aboutSomeoneElse;
            };
    List<String> disclosurePhrases = new ArrayList<>();
    if (disclosure) {
      add(disclosurePhrases, cues, Cue.THIRD_PARTY);
      add(disclosurePhrases, cues, Cue.DEBT);
      add(disclosurePhrases, cues, Cue.AMOUNT);
    }
    boolean context = debt || collection;
    boolean threat =
        context
            && (cues.containsKey(Cue.EXPOSURE)
                || cues.containsKey(Cue.VISIT)
                || cues.containsKey(Cue.CRIMINAL));
    boolean abuse = threat || (context && cues.containsKey(Cue.INSULT));
    List<String> abusePhrases = new ArrayList<>();
    if (abuse) {
      add(abusePhrases, cues, Cue.EXPOSURE);
      add(abusePhrases, cues, Cue.VISIT);
      add(abusePhrases, cues, Cue.CRIMINAL);
      add(abusePhrases, cues, Cue.INSULT);
    }
    return new ContentVerdict(
        disclosure,
        List.copyOf(disclosurePhrases),
        disclosure && cues.containsKey(Cue.AMOUNT),
        abuse,
        List.copyOf(abusePhrases),
        threat);
  }

  /** Whether the body reads as a verification code. */
  public boolean looksLikeOtp(String body) {
    return lexicon.matches(Cue.OTP, body);
  }

  private static void add(List<String> into, Map<Cue, List<String>> cues, Cue cue) {
    for (String phrase : cues.getOrDefault(cue, List.of())) {
      if (!into.contains(phrase)) {
        into.add(phrase);
      }
    }
  }
}

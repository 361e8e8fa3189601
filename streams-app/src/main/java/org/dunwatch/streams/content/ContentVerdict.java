package org.dunwatch.streams.content;

import java.util.List;

/**
 * What one message body amounts to.
 *
 * @param disclosure it reveals a debt to someone who is not the debtor
 * @param disclosurePhrases the phrases that make it one (who it addresses, the debt, the amount)
 * @param amountRevealed the disclosure names an amount
 * @param abuse it threatens, insults or shames
 * @param abusePhrases the phrases that make it abuse
 * @param threat the abuse includes a threat (exposure, visit, criminal), not only insults
 */
public record ContentVerdict(
    boolean disclosure,
    List<String> disclosurePhrases,
    boolean amountRevealed,
    boolean abuse,
    List<String> abusePhrases,
    boolean threat) {

  public static final ContentVerdict CLEAN =
      new ContentVerdict(false, List.of(), false, false, List.of(), false);

  public boolean clean() {
    return !disclosure && !abuse;
  }
}

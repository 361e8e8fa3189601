package org.dunwatch.streams.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The content corpus ({@code content/corpus.tsv}): every collector message of the seeds must be
 * caught as what it is, and every reminder, code, bank notice, courier, clinic and family message
 * must pass.
 */
class ContentClassifierTest {

  private static final ContentClassifier CLASSIFIER = new ContentClassifier(Lexicon.builtIn());

  @Test
  void shouldClassifyEveryMessageOfTheCorpusAsLabelled() throws IOException {
    List<String> wrong = new ArrayList<>();
    int lines = 0;
    int clean = 0;
    for (String[] row : corpus()) {
      lines++;
      ContentVerdict v =
          CLASSIFIER.classify(row[3], Recipient.valueOf(row[1]), Boolean.parseBoolean(row[2]));
      String got =
          v.disclosure() && v.abuse()
              ? "BOTH"
              : v.disclosure() ? "DISCLOSURE" : v.abuse() ? "ABUSE" : "CLEAN";
      if (row[0].equals("CLEAN")) {
        clean++;
      }
      if (!got.equals(row[0])) {
        wrong.add(row[0] + " expected, got " + got + ": " + row[3] + " " + v);
      }
    }
    assertEquals(List.of(), wrong);
    assertEquals(39, lines, "the corpus as written");
    assertEquals(20, clean);
  }

  @Test
  void shouldQuoteTheMatchedPhrasesOfTheSeedSmsNotTheWholeBody() {
    ContentVerdict v =
        CLASSIFIER.classify(
            "您的亲友谭正(化名)188××××××××在闪电借款严重逾期2187.00元，作为紧急联系人，平台将不间断发送电话与短信提醒，请督促其马上还款！",
            Recipient.UNKNOWN,
            false);
    assertEquals(
        List.of("您的亲友", "作为紧急联系人", "督促其", "严重逾期", "还款", "2187.00元"), v.disclosurePhrases());
    assertTrue(v.amountRevealed());
    assertEquals(false, v.abuse());
  }

  @Test
  void shouldJudgeAThreatWithoutDebtWordingOnlyWhenALenderReportedItAsAnAttempt() {
    String threat = "别以为换号就没事，我们知道你住哪里，等着瞧。";
    assertEquals(ContentVerdict.CLEAN, CLASSIFIER.classify(threat, Recipient.UNKNOWN, false));
    assertEquals(ContentVerdict.CLEAN, CLASSIFIER.classify(threat, Recipient.NOT_DEBTOR, false));
    ContentVerdict reported = CLASSIFIER.classify(threat, Recipient.DEBTOR, true);
    assertTrue(reported.abuse());
    assertEquals(List.of("知道你住哪"), reported.abusePhrases());
  }

  @Test
  void shouldQuoteThreatsAndInsults() {
    ContentVerdict v = CLASSIFIER.classify("你这个老赖，欠钱不还不要脸，再不还款让你身败名裂！", Recipient.UNKNOWN, false);
    assertEquals(List.of("身败名裂", "老赖", "不要脸"), v.abusePhrases());
    assertTrue(v.threat());
    ContentVerdict insultOnly =
        CLASSIFIER.classify(
            "Deadbeat. Pay your debt, you worthless thief.", Recipient.UNKNOWN, false);
    assertEquals(List.of("Deadbeat", "worthless", "thief"), insultOnly.abusePhrases());
    assertEquals(false, insultOnly.threat());
  }

  @Test
  void shouldTakeNewPhrasesFromAnExtraLexiconDirectory(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("index.txt"), "insult mine.txt\ndebt mine-debt.txt\n");
    Files.writeString(dir.resolve("mine.txt"), "# a new slur\n穷鬼\n");
    Files.writeString(dir.resolve("mine-debt.txt"), "欠[账賬]\n");
    ContentClassifier extended = new ContentClassifier(Lexicon.builtIn().withDirectory(dir));
    String body = "你个穷鬼，欠账什么时候结？";
    assertEquals(false, CLASSIFIER.classify(body, Recipient.UNKNOWN, false).abuse());
    ContentVerdict v = extended.classify(body, Recipient.UNKNOWN, false);
    assertEquals(List.of("穷鬼"), v.abusePhrases());
  }

  @Test
  void shouldRefuseABadPatternWithItsFileAndLine(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("index.txt"), "threat t.txt\n");
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> Lexicon.builtIn().withDirectory(dir));
    assertTrue(
        unknown.getMessage().contains("line 1: unknown lexicon category threat"),
        unknown.getMessage());
    Files.writeString(dir.resolve("index.txt"), "insult t.txt\n");
    Files.writeString(dir.resolve("t.txt"), "ok\n(unclosed\n");
    IllegalArgumentException bad =
        assertThrows(IllegalArgumentException.class, () -> Lexicon.builtIn().withDirectory(dir));
    assertTrue(bad.getMessage().startsWith("lexicon t.txt line 2: bad pattern"), bad.getMessage());
  }

  @Test
  void shouldQuoteTheSamePhrasesWhenAPatternCannotJoinTheCombinedPrefilter(@TempDir Path dir)
      throws IOException {
    // an inline flag and a back reference keep their cue off the one-scan prefilter: each pattern
    // is then tried on its own, as before, and still found
    Files.writeString(dir.resolve("index.txt"), "insult mine.txt\n");
    Files.writeString(dir.resolve("mine.txt"), "(?-i)NUMPTY\n(\\w)\\1rgh\n");
    Lexicon extended = Lexicon.builtIn().withDirectory(dir);
    assertEquals(List.of("NUMPTY", "aargh"), extended.find("NUMPTY, aargh").get(Cue.INSULT));
    assertEquals(null, extended.find("numpty").get(Cue.INSULT));
    assertEquals(Map.of(), extended.find("see you at dinner"));
  }

  @Test
  void shouldFindNothingInAnEmptyBody() {
    assertEquals(Map.of(), Lexicon.builtIn().find(""));
    assertEquals(ContentVerdict.CLEAN, CLASSIFIER.classify(null, Recipient.UNKNOWN, true));
  }

  private static List<String[]> corpus() throws IOException {
    List<String[]> rows = new ArrayList<>();
    try (InputStream in = ContentClassifierTest.class.getResourceAsStream("/content/corpus.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] row = line.split("\t", 4);
        assertEquals(4, row.length, line);
        rows.add(row);
      }
    }
    return rows;
  }
}

package org.dunwatch.producers.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CsvReaderTest {

  /** Every row of the input, well formed or not. */
  private static List<CsvRow> rows(Reader in) throws IOException {
    CsvReader csv = CsvReader.open(in, "test.csv");
    List<CsvRow> rows = new ArrayList<>();
    for (CsvRow row = csv.next(); row != null; row = csv.next()) {
      rows.add(row);
    }
    return rows;
  }

  private static List<CsvRow> rows(String text) throws IOException {
    return rows(new StringReader(text));
  }

  /** Hands out one character per read, so every buffer boundary is exercised. */
  private static Reader trickling(String text) {
    return new Reader() {
      private int pos;

      @Override
      public int read(char[] cbuf, int off, int len) {
        if (pos >= text.length()) {
          return -1;
        }
        cbuf[off] = text.charAt(pos++);
        return 1;
      }

      @Override
      public void close() {}
    };
  }

  @Test
  void shouldReadFieldsByHeaderNameWithTheLineWhereEachRowStarts() throws IOException {
    List<CsvRow> rows = rows("id,name\n1,alpha\n2,beta\n");

    assertEquals(2, rows.size());
    assertEquals("alpha", rows.get(0).get("name"));
    assertEquals(2, rows.get(0).lineNumber());
    assertEquals("2", rows.get(1).get("id"));
    assertEquals(3, rows.get(1).lineNumber());
    assertEquals(Map.of("id", "2", "name", "beta"), rows.get(1).toMap());
  }

  @Test
  void shouldKeepCommasInsideQuotedFields() throws IOException {
    CsvRow row = rows("a,b,c\n1,\"x, y, z\",3\n").get(0);

    assertEquals(List.of("1", "x, y, z", "3"), row.values());
  }

  @Test
  void shouldTurnDoubledQuotesIntoOneQuote() throws IOException {
    CsvRow row = rows("a,b\n\"he said \"\"pay\"\"\",\"\"\"\"\n").get(0);

    assertEquals("he said \"pay\"", row.get("a"));
    assertEquals("\"", row.get("b"));
  }

  @Test
  void shouldKeepEmbeddedLineBreaksAndCountPhysicalLinesForTheNextRow() throws IOException {
    List<CsvRow> rows = rows("a,b\n1,\"first\nsecond\r\nthird\"\n2,after\n");

    assertEquals("first\nsecond\r\nthird", rows.get(0).get("b"));
    assertEquals(2, rows.get(0).lineNumber());
    assertEquals("after", rows.get(1).get("b"));
    assertEquals(5, rows.get(1).lineNumber());
  }

  @Test
  void shouldReadCrlfAndLoneCrLineEndings() throws IOException {
    List<CsvRow> crlf = rows("a,b\r\n1,2\r\n3,4\r\n");
    List<CsvRow> cr = rows("a,b\r1,2\r3,4");

    for (List<CsvRow> rows : List.of(crlf, cr)) {
      assertEquals(2, rows.size());
      assertEquals("2", rows.get(0).get("b"));
      assertEquals("4", rows.get(1).get("b"));
      assertEquals(3, rows.get(1).lineNumber());
    }
  }

  @Test
  void shouldIgnoreAUtf8ByteOrderMarkAtTheStart() throws IOException {
    byte[] bytes = "\uFEFFcall_id,x\n1,2\n".getBytes(StandardCharsets.UTF_8);
    CsvReader csv =
        CsvReader.open(
            new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8), "t");

    assertEquals(List.of("call_id", "x"), csv.header());
    assertEquals("1", csv.next().get("call_id"));
  }

  @Test
  void shouldKeepChineseTextIntact() throws IOException {
    String text = "id,body\n1,\"您的亲属张三已严重逾期2187元，请转告\"\n2,催收通知\n";
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    List<CsvRow> rows =
        rows(new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8));

    assertEquals("您的亲属张三已严重逾期2187元，请转告", rows.get(0).get("body"));
    assertEquals("催收通知", rows.get(1).get("body"));
  }

  @Test
  void shouldReadTheSameWhenTheInputArrivesOneCharacterAtATime() throws IOException {
    String text = "\uFEFFa,b\r\n1,\"x\r\ny\"\r\n\"q\"\"q\",2\r\n";
    List<CsvRow> rows = rows(trickling(text));

    assertEquals(2, rows.size());
    assertEquals("x\r\ny", rows.get(0).get("b"));
    assertEquals("q\"q", rows.get(1).get("a"));
    assertEquals(4, rows.get(1).lineNumber());
  }

  @Test
  void shouldKeepEmptyFieldsIncludingALastEmptyField() throws IOException {
    CsvRow row = rows("a,b,c\n,\"\",\n").get(0);

    assertEquals(List.of("", "", ""), row.values());
  }

  @Test
  void shouldSkipBlankLinesButKeepCountingThem() throws IOException {
    List<CsvRow> rows = rows("a,b\n\n1,2\n   \n3,4\n\n");

    assertEquals(2, rows.size());
    assertEquals(3, rows.get(0).lineNumber());
    assertEquals(5, rows.get(1).lineNumber());
  }

  @Test
  void shouldReportAWrongColumnCountWithItsLineAndGoOn() throws IOException {
    List<CsvRow> rows = rows("a,b,c\n1,2,3\n1,2\n1,2,3,4\n7,8,9\n");

    assertEquals(4, rows.size());
    assertTrue(rows.get(1).isMalformed());
    assertEquals(3, rows.get(1).lineNumber());
    assertEquals("expected 3 columns, found 2", rows.get(1).error());
    assertEquals("expected 3 columns, found 4", rows.get(2).error());
    assertEquals(4, rows.get(2).lineNumber());
    assertEquals("9", rows.get(3).get("c"));
  }

  @Test
  void shouldReportAnUnterminatedQuoteAndReadTheFollowingLinesAsRows() throws IOException {
    List<CsvRow> rows = rows("a,b\n1,\"never closed\n2,ok\n3,\"\"\n");

    assertEquals(3, rows.size());
    assertTrue(rows.get(0).isMalformed());
    assertEquals(2, rows.get(0).lineNumber());
    assertTrue(rows.get(0).error().startsWith("unterminated quoted field in column 2"));
    assertEquals("ok", rows.get(1).get("b"));
    assertEquals(3, rows.get(1).lineNumber());
    assertEquals("", rows.get(2).get("b"));
    assertEquals(4, rows.get(2).lineNumber());
  }

  @Test
  void shouldRecoverWhenAStrayQuoteIsClosedByAQuoteOnALaterLine() throws IOException {
    // The stray quote on line 2 runs to the opening quote on line 4, which is then followed by
    // text.
    List<CsvRow> rows = rows("a,b\n1,\"stray\n2,ok\n3,\"multi\nline\"\n4,end\n");

    assertEquals(4, rows.size());
    assertTrue(rows.get(0).isMalformed());
    assertEquals(2, rows.get(0).lineNumber());
    assertEquals("ok", rows.get(1).get("b"));
    assertEquals("multi\nline", rows.get(2).get("b"));
    assertEquals(4, rows.get(2).lineNumber());
    assertEquals("end", rows.get(3).get("b"));
    assertEquals(6, rows.get(3).lineNumber());
  }

  @Test
  void shouldReportTextAfterAClosingQuote() throws IOException {
    List<CsvRow> rows = rows("a,b\n1,\"quoted\"tail\n2,ok\n");

    assertTrue(rows.get(0).isMalformed());
    assertEquals(2, rows.get(0).lineNumber());
    assertTrue(rows.get(0).error().contains("after the closing quote of column 2"));
    assertEquals("ok", rows.get(1).get("b"));
    assertEquals(3, rows.get(1).lineNumber());
  }

  @Test
  void shouldReportAQuoteInsideAnUnquotedField() throws IOException {
    List<CsvRow> rows = rows("a,b\n1,say \"hi\"\n2,ok\n");

    assertEquals(
        "quote inside unquoted column 2 (quote the field and double the quote)",
        rows.get(0).error());
    assertEquals("ok", rows.get(1).get("b"));
  }

  @Test
  void shouldReportARowLongerThanTheLimitAndGoOn() throws IOException {
    String longValue = "x".repeat(200);
    CsvReader csv =
        CsvReader.open(new StringReader("a,b\n1," + longValue + "\n2,ok\n"), "t.csv", 100);

    CsvRow first = csv.next();
    assertTrue(first.isMalformed());
    assertTrue(first.error().startsWith("row longer than 100 characters"));
    assertEquals("ok", csv.next().get("b"));
    assertNull(csv.next());
  }

  @Test
  void shouldNameEveryMissingRequiredColumn() throws IOException {
    CsvReader csv = CsvReader.open(new StringReader("call_id,caller,extra\n"), "calls.csv");

    CsvHeaderException e =
        assertThrows(
            CsvHeaderException.class,
            () -> csv.requireColumns(List.of("call_id", "caller", "callee", "outcome")));

    assertEquals(List.of("callee", "outcome"), e.missingColumns());
    assertTrue(e.getMessage().startsWith("calls.csv: missing required columns callee, outcome"));
  }

  @Test
  void shouldAcceptExtraColumnsBesideTheRequiredOnes() throws IOException {
    CsvReader csv = CsvReader.open(new StringReader(" b , a ,note\n2,1,x\n"), "t.csv");

    csv.requireColumns(List.of("a", "b"));
    CsvRow row = csv.next();
    assertEquals("1", row.get("a"));
    assertTrue(row.has("note"));
    assertFalse(row.has("c"));
  }

  @Test
  void shouldRefuseAnEmptyInputOrABadHeader() {
    CsvHeaderException empty =
        assertThrows(CsvHeaderException.class, () -> CsvReader.open(new StringReader(""), "e.csv"));
    assertEquals("e.csv: no header row (the input is empty)", empty.getMessage());

    CsvHeaderException twice =
        assertThrows(
            CsvHeaderException.class, () -> CsvReader.open(new StringReader("a,b,a\n"), "d.csv"));
    assertEquals("d.csv line 1: header names column a twice", twice.getMessage());

    assertThrows(
        CsvHeaderException.class, () -> CsvReader.open(new StringReader("a,b,\n1,2,3\n"), "x"));
    assertThrows(CsvHeaderException.class, () -> CsvReader.open(new StringReader("a,\"b\n"), "x"));
  }

  @Test
  void shouldNotLetAMalformedRowBeReadByName() throws IOException {
    CsvRow bad = rows("a,b\n1\n").get(0);

    assertThrows(IllegalStateException.class, () -> bad.get("a"));
    assertEquals(List.of(), bad.values());
  }

  @Test
  void shouldReadBackWhatAnRfc4180WriterWroteWithTheRightLineNumbers() throws IOException {
    Random random = new Random(42);
    String[] pieces = {"a", "催收", ",", "\"", "\n", "\r\n", " ", "95588", "", "x,\"y\""};
    String[] lineBreaks = {"\n", "\r\n"};
    StringBuilder text = new StringBuilder("c1,c2,c3");
    List<List<String>> written = new ArrayList<>();
    List<Long> startLines = new ArrayList<>();
    long line = 1;
    for (int r = 0; r < 500; r++) {
      String lineBreak = lineBreaks[random.nextInt(lineBreaks.length)];
      text.append(lineBreak);
      line++;
      startLines.add(line);
      List<String> row = new ArrayList<>();
      for (int c = 0; c < 3; c++) {
        StringBuilder value = new StringBuilder();
        for (int k = random.nextInt(4); k > 0; k--) {
          value.append(pieces[random.nextInt(pieces.length)]);
        }
        row.add(value.toString());
        if (c > 0) {
          text.append(',');
        }
        String v = value.toString();
        boolean quote = v.isEmpty() ? random.nextBoolean() : v.matches("(?s).*[,\"\r\n].*");
        text.append(quote ? "\"" + v.replace("\"", "\"\"") + "\"" : v);
        line += v.chars().filter(ch -> ch == '\n').count();
      }
      written.add(row);
    }

    for (Reader in : List.of(new StringReader(text.toString()), trickling(text.toString()))) {
      List<CsvRow> read = rows(in);
      assertEquals(written.size(), read.size());
      for (int i = 0; i < written.size(); i++) {
        assertFalse(read.get(i).isMalformed(), read.get(i).toString());
        assertEquals(written.get(i), read.get(i).values(), "row " + i);
        assertEquals(startLines.get(i), read.get(i).lineNumber(), "row " + i);
      }
    }
  }
}

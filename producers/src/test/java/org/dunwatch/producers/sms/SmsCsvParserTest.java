package org.dunwatch.producers.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.dunwatch.avro.common.Party;
import org.dunwatch.avro.common.PartyKind;
import org.dunwatch.avro.telecom.SmsCategory;
import org.dunwatch.avro.telecom.SmsRecord;
import org.dunwatch.producers.parse.Collected;
import org.dunwatch.producers.parse.ParseSummary;
import org.junit.jupiter.api.Test;

class SmsCsvParserTest {

  private static final String HEADER =
      "message_id,carrier,sender,recipient,sent_time,category,body\n";

  private final SmsCsvParser parser = new SmsCsvParser("CN");

  private Collected<SmsRecord> parse(String text) throws IOException {
    Collected<SmsRecord> out = new Collected<>();
    parser.parse(new StringReader(text), "sms.csv", out.records::add, out.errors::add);
    return out;
  }

  @Test
  void shouldReadTheSampleFileWithBomCrlfChineseBodiesAndBadLines() throws IOException {
    Collected<SmsRecord> out = new Collected<>();
    ParseSummary summary;
    try (InputStream in = getClass().getResourceAsStream("/samples/sms.csv")) {
      summary =
          parser.parse(
              new InputStreamReader(in, StandardCharsets.UTF_8),
              "sms.csv",
              out.records::add,
              out.errors::add);
    }

    assertEquals(new ParseSummary("sms.csv", 3, 2), summary);

    SmsRecord otp = out.records.get(0);
    assertEquals("m-1", otp.getMessageId());
    assertEquals(new Party("106900001234", PartyKind.SENDER_ID, null, null), otp.getSender());
    assertEquals("【淘宝】验证码 482913，5分钟内有效。", otp.getBody());
    assertEquals(SmsCategory.OTP, otp.getCategory());

    SmsRecord empty = out.records.get(1);
    assertEquals("TaoBao", empty.getSender().getId());
    assertEquals("+8618812345678", empty.getRecipient().getId());
    assertNull(empty.getBody());

    SmsRecord disclosure = out.records.get(2);
    assertEquals("您的亲属张三已严重逾期2187元，\r\n请转告他\"尽快还款\"，否则后果自负", disclosure.getBody());
    assertEquals(Instant.parse("2024-07-26T02:01:00Z"), disclosure.getSentTime());

    assertEquals(
        String.join(
            "\n",
            "line 6: unknown category \"SPAM\" (expected one of OTP, NOTIFICATION, MARKETING,"
                + " PERSONAL, UNKNOWN)",
            "line 7: unterminated quoted field in column 7 (the quote opens on line 7)"),
        out.errorMessages());
  }

  @Test
  void shouldKeepCommasQuotesAndSpacesOfABodyAsWritten() throws IOException {
    SmsRecord sms =
        parse(
                HEADER
                    + "m-1,CU,+8617000000001,+8618812345678,2024-07-26T10:00:00Z,PERSONAL,"
                    + "\"  pay now, or \"\"else\"\"  \"\n")
            .records
            .get(0);

    assertEquals("  pay now, or \"else\"  ", sms.getBody());
  }

  @Test
  void shouldTurnAnEmptyBodyIntoNull() throws IOException {
    List<SmsRecord> records =
        parse(
                HEADER
                    + "m-1,CU,95588,+8618812345678,2024-07-26T10:00:00Z,NOTIFICATION,\n"
                    + "m-2,CU,95588,+8618812345678,2024-07-26T10:00:00Z,NOTIFICATION,\"\"\n")
            .records;

    assertNull(records.get(0).getBody());
    assertNull(records.get(1).getBody());
  }

  @Test
  void shouldReportEveryProblemOfALineTogether() throws IOException {
    Collected<SmsRecord> out = parse(HEADER + "m-1,,95588,,yesterday,OTP,hi\n");

    assertEquals(List.of(), out.records);
    assertEquals(
        "line 2: carrier is empty; recipient is empty; sent_time \"yesterday\" is not ISO-8601"
            + " with an offset (e.g. 2024-07-26T10:00:00+08:00 or 2024-07-26T02:00:00Z)",
        out.errorMessages());
  }

  @Test
  void shouldReportAWrongColumnCount() throws IOException {
    Collected<SmsRecord> out =
        parse(HEADER + "m-1,CU,95588,+8618812345678,2024-07-26T10:00:00Z,OTP,a,b\n");

    assertEquals("line 2: expected 7 columns, found 8", out.errorMessages());
  }
}

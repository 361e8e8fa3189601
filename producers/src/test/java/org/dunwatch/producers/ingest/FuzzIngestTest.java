package org.dunwatch.producers.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.producers.calls.CallCsvParser;
import org.dunwatch.producers.parse.LineError;
import org.dunwatch.producers.privacy.Pseudonymizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Generated calls files of 10,000 lines, with every malformation the producers know (bad times,
 * times Kafka cannot store, far-future and prehistoric times, huge fields, wrong column counts,
 * numbers in the wrong column, bad enums and counts, stray quotes) and random byte corruption: no
 * crash, every bad line reported with its line and a reason, every good line a record, and the
 * counts add up.
 */
class FuzzIngestTest {

  static final String HEADER =
      "call_id,carrier,caller,callee,start_time,ring_seconds,talk_seconds,outcome";

  static final List<String> BAD_TIMES =
      List.of(
          "1969-12-31T23:59:59Z",
          "2100-01-01T00:00:00Z",
          "+999999999-12-31T23:59:59Z",
          "1999-01-01T00:00:00Z",
          "yesterday",
          "2024-07-26 10:00",
          "+8613800000001",
          "");

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void shouldReportEveryBadLineAndSendEveryGoodOneOfACorruptedFile(long seed) throws IOException {
    Random r = new Random(seed);
    StringBuilder file = new StringBuilder(HEADER).append('\n');
    Set<String> goodIds = new HashSet<>();
    int lines = 10_000;
    for (int i = 0; i < lines; i++) {
      String id = "c" + i;
      String time = "2024-07-26T" + String.format("%02d:%02d:00Z", (i / 60) % 24, i % 60);
      String[] f = {id, "CM", "+8617000000001", "+8618812345678", time, "3", "0", "NO_ANSWER"};
      int kind = r.nextInt(12);
      switch (kind) {
        case 0 -> f[4] = BAD_TIMES.get(r.nextInt(BAD_TIMES.size()));
        case 1 -> f[1] = "x".repeat(300 + r.nextInt(5000));
        case 2 -> f[7] = "HUNGUP";
        case 3 -> f[5] = r.nextBoolean() ? "-1" : "99999999999";
        case 4 -> f[0] = "";
        default -> {}
      }
      String line = String.join(",", f);
      if (kind == 5) {
        line = line.substring(0, r.nextInt(line.length()));
      }
      if (kind == 6) {
        line = line + ",extra,columns";
      }
      boolean good = kind > 6;
      file.append(line).append('\n');
      if (good) {
        goodIds.add(id);
      }
    }
    byte[] bytes = file.toString().getBytes(StandardCharsets.UTF_8);
    // random byte corruption, outside the header: the line it hits may or may not stay good
    int headerEnd = HEADER.length() + 1;
    for (int k = 0; k < 200; k++) {
      int at = headerEnd + r.nextInt(bytes.length - headerEnd);
      bytes[at] = (byte) r.nextInt(256);
    }
    // the parser on the corrupted bytes, as ingest reads them (bad UTF-8 becomes U+FFFD)
    List<CallRecord> parsed = new ArrayList<>();
    List<LineError> errors = new ArrayList<>();
    new CallCsvParser("CN")
        .parse(
            new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8),
            "fuzz.csv",
            parsed::add,
            errors::add);

    List<String> reported = new ArrayList<>();
    FileIngestTest.MemorySink<CallRecord> sink = new FileIngestTest.MemorySink<>();
    IngestResult result;
    try (FileIngest in =
        FileIngest.builder()
            .defaultRegion("CN")
            .pseudonymize(
                Pseudonymizer.ofKey("fuzz-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8)))
            .rejectsFile(java.nio.file.Files.createTempFile("fuzz", ".rejects"))
            .errors(reported::add)
            .build()) {
      result =
          in.calls(IngestInput.ofText("fuzz.csv", new String(bytes, StandardCharsets.UTF_8)), sink);
    }

    assertEquals(parsed.size(), result.records());
    assertEquals(errors.size(), result.rejected());
    assertEquals(result.records(), sink.sent.size());
    assertEquals(result.rejected(), reported.size());
    assertTrue(
        result.records() + result.rejected() >= lines - 400,
        "every line is a record or a bad line (a corrupted quote may join a few lines): " + result);
    for (String e : reported) {
      assertTrue(e.matches("rejected fuzz\\.csv line \\d+: .+"), e);
      assertFalse(e.contains("13800000001"), e);
    }
    // every untouched good line arrived; a corrupted one may have turned bad
    Set<String> sent = new HashSet<>();
    sink.values().forEach(c -> sent.add(c.getCallId()));
    long missingGood = goodIds.stream().filter(id -> !sent.contains(id)).count();
    assertTrue(missingGood <= 400, missingGood + " good lines missing");
    assertTrue(result.rejected() > lines / 3, "the malformations were reported: " + result);
  }
}

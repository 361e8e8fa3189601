package org.dunwatch.producers.numbers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dunwatch.avro.common.Party;
import org.dunwatch.avro.common.PartyKind;
import org.dunwatch.producers.numbers.NumberNormalizer.Normalized;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NumberNormalizerTest {

  private final NumberNormalizer numbers = new NumberNormalizer();

  @ParameterizedTest(name = "{0} with region {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "+8618812345678   | -  | +8618812345678 | CN | Asia/Shanghai",
        "+86 188 1234 5678| US | +8618812345678 | CN | Asia/Shanghai",
        "188 1234 5678    | CN | +8618812345678 | CN | Asia/Shanghai",
        "188-1234-5678    | CN | +8618812345678 | CN | Asia/Shanghai",
        "0086 188 1234 5678 | CN | +8618812345678 | CN | Asia/Shanghai",
        "(212) 555-0100   | US | +12125550100   | US | America/New_York",
        "+1 212 555 0100  | -  | +12125550100   | US | America/New_York",
        "020 7946 0018    | GB | +442079460018  | GB | Europe/London",
        "+44 20 7946 0018 | CN | +442079460018  | GB | Europe/London",
      })
  void shouldNormaliseNationalAndInternationalFormsToE164WithRegionAndTimeZone(
      String raw, String region, String e164, String numberRegion, String timeZone) {
    Normalized n = numbers.normalize(raw, region);

    assertEquals(PartyKind.E164, n.kind());
    assertEquals(e164, n.id());
    assertEquals(e164, n.e164());
    assertEquals(numberRegion, n.region());
    assertEquals(timeZone, n.timeZone());
    assertTrue(n.isPhoneNumber());
  }

  @ParameterizedTest
  @ValueSource(strings = {"106900001234", "95588", "10086", "TaoBao", "淘宝", "1-800-FLOWERS"})
  void shouldKeepShortCodesAndNamesAsSenderIds(String raw) {
    Normalized n = numbers.normalize(raw, "CN");

    assertEquals(PartyKind.SENDER_ID, n.kind());
    assertEquals(raw, n.id());
    assertNull(n.e164());
    assertNull(n.region());
    assertNull(n.timeZone());
  }

  @Test
  void shouldTrimASenderIdButKeepItOtherwiseAsWritten() {
    assertEquals("Bank of X", numbers.normalize("  Bank of X ", "CN").id());
  }

  @Test
  void shouldKeepANationalFormAsASenderIdWhenThereIsNoDefaultRegion() {
    Normalized n = numbers.normalize("188 1234 5678", null);

    assertEquals(PartyKind.SENDER_ID, n.kind());
    assertEquals("188 1234 5678", n.id());
  }

  @Test
  void shouldKeepANumberThatIsNotValidAsASenderId() {
    // One digit short of a CN mobile number.
    Normalized n = numbers.normalize("188 1234 567", "CN");

    assertEquals(PartyKind.SENDER_ID, n.kind());
  }

  @Test
  void shouldPickTheFirstTimeZoneWhenANumberHasSeveral() {
    // US toll-free numbers map to every US zone; the first in libphonenumber's sorted list wins.
    Normalized tollFree = numbers.normalize("+1 800 555 1234", null);

    assertEquals(PartyKind.E164, tollFree.kind());
    assertEquals("America/Adak", tollFree.timeZone());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "\t"})
  void shouldRefuseABlankNumber(String raw) {
    assertThrows(IllegalArgumentException.class, () -> numbers.normalize(raw, "CN"));
    assertThrows(IllegalArgumentException.class, () -> numbers.normalize(null, "CN"));
  }

  @Test
  void shouldRefuseARegionLibphonenumberDoesNotKnow() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> numbers.normalize("020 7946 0018", "UK"));

    assertTrue(e.getMessage().contains("unknown region \"UK\""));
    assertEquals("CN", numbers.checkRegion(" cn "));
    assertNull(numbers.checkRegion(null));
  }

  @Test
  void shouldBuildAnAvroParty() {
    Party party = numbers.normalize("188 1234 5678", "CN").toParty();

    assertEquals(new Party("+8618812345678", PartyKind.E164, "CN", "Asia/Shanghai"), party);
    assertEquals(
        new Party("95588", PartyKind.SENDER_ID, null, null),
        numbers.normalize("95588", "CN").toParty());
  }
}

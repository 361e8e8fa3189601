package org.dunwatch.producers.numbers;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.dunwatch.avro.common.Party;
import org.dunwatch.avro.common.PartyKind;

/**
 * Turns what a file has in a number column into E.164 with region and time zone, or into a sender
 * id kept as written.
 *
 * <p>A value is a phone number when it is written with digits, spaces and the usual punctuation
 * only, and libphonenumber finds it valid: in international form ({@code +86 188 1234 5678}, or
 * {@code 0086...} with a default region that dials 00 abroad) or in the national form of the
 * default region. Everything else is a sender id: short codes ({@code 95588}, {@code
 * 106900001234}), names ({@code TaoBao}), and numbers that are not valid. Letters make a value a
 * sender id even where libphonenumber would read them as a vanity number ({@code 1-800-FLOWERS}),
 * because SMS sender names are letters and must be kept as they are.
 *
 * <p>With no default region only the international form is a phone number: a national form is then
 * kept as a sender id, as the contract says.
 *
 * <p>Stateless and thread-safe: it holds libphonenumber's shared instances only.
 */
public final class NumberNormalizer {

  /**
   * Digits (full-width ones too, which libphonenumber reads), a leading plus and the separators
   * people write in numbers; no letters.
   */
  private static final Pattern PHONE_LIKE =
      Pattern.compile("[+\\uFF0B]?[\\p{Nd} \\u00A0\\u3000().\\-/]+");

  private static final String UNKNOWN_TIME_ZONE = PhoneNumberToTimeZonesMapper.getUnknownTimeZone();

  private final PhoneNumberUtil util;
  private final PhoneNumberToTimeZonesMapper timeZones;

  public NumberNormalizer() {
    this.util = PhoneNumberUtil.getInstance();
    this.timeZones = PhoneNumberToTimeZonesMapper.getInstance();
  }

  /** A number column's value, normalised. */
  public record Normalized(PartyKind kind, String id, String region, String timeZone) {

    public Normalized {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(id, "id");
    }

    public boolean isPhoneNumber() {
      return kind == PartyKind.E164;
    }

    /** The E.164 form, or {@code null} for a sender id. */
    public String e164() {
      return kind == PartyKind.E164 ? id : null;
    }

    public Party toParty() {
      return Party.newBuilder()
          .setId(id)
          .setKind(kind)
          .setRegion(region)
          .setTimeZone(timeZone)
          .build();
    }
  }

  /**
   * Normalises one value.
   *
   * @param raw the value as written in the file
   * @param defaultRegion ISO 3166-1 alpha-2 code national forms are read in (e.g. {@code CN}), or
   *     {@code null} to accept international forms only
   * @throws IllegalArgumentException when {@code raw} is null or blank, or the region is not one
   *     libphonenumber knows
   */
  public Normalized normalize(String raw, String defaultRegion) {
    if (raw == null || raw.isBlank()) {
      throw new IllegalArgumentException("empty number");
    }
    String region = checkRegion(defaultRegion);
    String text = raw.strip();
    if (!PHONE_LIKE.matcher(text).matches()) {
      return senderId(text);
    }
    PhoneNumber number;
    try {
      number = util.parse(text, region == null ? "ZZ" : region);
    } catch (NumberParseException e) {
      return senderId(text);
    }
    if (!util.isValidNumber(number)) {
      return senderId(text);
    }
    String regionCode = util.getRegionCodeForNumber(number);
    if (regionCode == null || !util.getSupportedRegions().contains(regionCode)) {
      // Non-geographic numbers (+800, +882...) have the region "001".
      regionCode = null;
    }
    return new Normalized(
        PartyKind.E164,
        util.format(number, PhoneNumberFormat.E164),
        regionCode,
        timeZoneOf(number));
  }

  /**
   * The region in the form libphonenumber wants, or {@code null} for none.
   *
   * @throws IllegalArgumentException for a region libphonenumber does not know; {@code UK} is
   *     refused too, the ISO code is {@code GB}
   */
  public String checkRegion(String defaultRegion) {
    if (defaultRegion == null || defaultRegion.isBlank()) {
      return null;
    }
    String region = defaultRegion.strip().toUpperCase(Locale.ROOT);
    if (!util.getSupportedRegions().contains(region)) {
      throw new IllegalArgumentException(
          "unknown region \""
              + defaultRegion
              + "\" (expected an ISO 3166-1 alpha-2 code such as CN, US or GB)");
    }
    return region;
  }

  private String timeZoneOf(PhoneNumber number) {
    List<String> zones = timeZones.getTimeZonesForNumber(number);
    if (zones.isEmpty() || UNKNOWN_TIME_ZONE.equals(zones.get(0))) {
      return null;
    }
    // A number can map to several zones (US toll-free numbers to every US zone, Russian mobiles to
    // more than ten). libphonenumber lists them sorted by name; taking the first keeps the result
    // the same
    // on every run and machine, but for such numbers it is a guess (America/Adak for +1 800...).
    return zones.get(0);
  }

  private static Normalized senderId(String text) {
    return new Normalized(PartyKind.SENDER_ID, text, null, null);
  }
}

package org.dunwatch.producers.privacy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.dunwatch.avro.common.Party;
import org.dunwatch.avro.common.PartyKind;
import org.dunwatch.avro.lender.Application;
import org.dunwatch.avro.lender.CeaseRequest;
import org.dunwatch.avro.lender.CollectionAttempt;
import org.dunwatch.avro.lender.CollectorNumber;
import org.dunwatch.avro.lender.DeclaredContact;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.avro.lender.LoanOpened;
import org.dunwatch.avro.telecom.CallRecord;
import org.dunwatch.avro.telecom.SmsRecord;

/**
 * Replaces E.164 numbers with keyed pseudonyms: {@code pn_} and the lowercase hex of the first 20
 * bytes of HMAC-SHA256(key, e164).
 *
 * <p>The same number and key give the same pseudonym everywhere, so detectors can count and join on
 * it; without the key it cannot be reversed by hashing every possible number, which a plain hash of
 * a phone number could be in hours. Sender ids are not personal numbers and stay as they are;
 * region and time zone were derived from the real number and stay beside the pseudonym.
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows a key id (a keyed hash of a constant) so
 * that operators can check that every producer runs with the same key, never the key itself.
 */
public final class Pseudonymizer {

  /** Environment variable that holds the key. */
  public static final String KEY_ENV = "DUNWATCH_PSEUDONYM_KEY";

  /** Shortest key accepted, in bytes: 128 bits. */
  public static final int MIN_KEY_BYTES = 16;

  public static final String PREFIX = "pn_";

  /**
   * 20 of HMAC-SHA256's 32 bytes: 160 bits leave collisions out of reach (about 2^80 numbers before
   * one is likely, against ~10^10 numbers in the world) while keeping the token at 43 characters in
   * keys, stores and alert text. RFC 2104 allows truncating an HMAC to half its length or more.
   */
  static final int PSEUDONYM_BYTES = 20;

  private static final String ALGORITHM = "HmacSHA256";
  private static final HexFormat HEX = HexFormat.of();

  private final SecretKeySpec key;
  private final String keyId;

  /** A Mac is not thread-safe, and looking one up for every number costs more than the hash. */
  private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

  private Pseudonymizer(byte[] keyBytes) {
    if (keyBytes.length < MIN_KEY_BYTES) {
      throw new PseudonymKeyException(
          "pseudonym key is "
              + keyBytes.length
              + " bytes; at least "
              + MIN_KEY_BYTES
              + " are needed");
    }
    this.key = new SecretKeySpec(keyBytes, ALGORITHM);
    this.keyId = HEX.formatHex(mac("dunwatch-pseudonym-key-id"), 0, 4);
  }

  /** A pseudonymizer with this key (copied); at least {@link #MIN_KEY_BYTES} bytes. */
  public static Pseudonymizer ofKey(byte[] key) {
    Objects.requireNonNull(key, "key");
    return new Pseudonymizer(key.clone());
  }

  /**
   * Loads the key from the environment variable {@value #KEY_ENV} (its UTF-8 bytes) or from a key
   * file (its bytes, less trailing line breaks, so that {@code echo "$KEY" > file} gives the same
   * pseudonyms as the variable).
   *
   * <p>There is no default key: a key everybody knows would make pseudonyms reversible. When both
   * are given they must hold the same key, since two places silently disagreeing would split one
   * person into two pseudonyms.
   *
   * @param env the environment, usually {@code System.getenv()}; a blank variable counts as unset
   * @param keyFile the key file, or {@code null} for none
   * @throws PseudonymKeyException when neither gives a key, the file cannot be read, the key is too
   *     short, or the two disagree
   */
  public static Pseudonymizer fromEnvironmentOrFile(Map<String, String> env, Path keyFile) {
    Objects.requireNonNull(env, "env");
    String fromEnv = env.get(KEY_ENV);
    byte[] envKey =
        fromEnv == null || fromEnv.isBlank() ? null : fromEnv.getBytes(StandardCharsets.UTF_8);
    byte[] fileKey = keyFile == null ? null : readKeyFile(keyFile);
    if (envKey == null && fileKey == null) {
      throw new PseudonymKeyException(
          "no pseudonym key: set "
              + KEY_ENV
              + " or give a key file (at least "
              + MIN_KEY_BYTES
              + " bytes), or turn pseudonymisation off explicitly");
    }
    if (envKey != null && fileKey != null && !MessageDigest.isEqual(envKey, fileKey)) {
      throw new PseudonymKeyException(
          KEY_ENV + " and the key file " + keyFile + " hold different keys; give one");
    }
    try {
      return new Pseudonymizer(envKey != null ? envKey : fileKey);
    } finally {
      if (envKey != null) {
        Arrays.fill(envKey, (byte) 0);
      }
      if (fileKey != null) {
        Arrays.fill(fileKey, (byte) 0);
      }
    }
  }

  private static byte[] readKeyFile(Path keyFile) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(keyFile);
    } catch (IOException e) {
      throw new PseudonymKeyException(
          "cannot read pseudonym key file " + keyFile + ": " + e.getClass().getSimpleName(), e);
    }
    int end = bytes.length;
    while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
      end--;
    }
    if (end == 0) {
      throw new PseudonymKeyException("pseudonym key file " + keyFile + " is empty");
    }
    byte[] key = Arrays.copyOf(bytes, end);
    Arrays.fill(bytes, (byte) 0);
    return key;
  }

  /** The pseudonym of an E.164 number: {@code pn_} and 40 lowercase hex digits. */
  public String pseudonym(String e164) {
    Objects.requireNonNull(e164, "e164");
    return PREFIX + HEX.formatHex(mac(e164), 0, PSEUDONYM_BYTES);
  }

  /**
   * The party with its number replaced by its pseudonym; sender ids and parties that are already
   * pseudonyms come back unchanged (the same instance). Region and time zone are kept.
   */
  public Party apply(Party party) {
    if (party == null || party.getKind() != PartyKind.E164) {
      return party;
    }
    return Party.newBuilder(party)
        .setId(pseudonym(party.getId()))
        .setKind(PartyKind.PSEUDONYM)
        .build();
  }

  /** A copy of the call with both parties pseudonymised. */
  public CallRecord apply(CallRecord call) {
    return CallRecord.newBuilder(call)
        .setCaller(apply(call.getCaller()))
        .setCallee(apply(call.getCallee()))
        .build();
  }

  /**
   * A copy of the message with both parties pseudonymised. The body is left alone here; the
   * producers pseudonymise the numbers written in it ({@link BodyNumbers}) or drop it.
   */
  public SmsRecord apply(SmsRecord sms) {
    return SmsRecord.newBuilder(sms)
        .setSender(apply(sms.getSender()))
        .setRecipient(apply(sms.getRecipient()))
        .build();
  }

  /** A copy of the event with every number in its payload pseudonymised. */
  public LenderEvent apply(LenderEvent event) {
    Object payload = event.getPayload();
    Object replaced;
    if (payload instanceof LoanOpened loan) {
      List<DeclaredContact> contacts = new ArrayList<>(loan.getContacts().size());
      for (DeclaredContact c : loan.getContacts()) {
        contacts.add(new DeclaredContact(apply(c.getNumber()), c.getRelation()));
      }
      replaced =
          LoanOpened.newBuilder(loan)
              .setBorrower(apply(loan.getBorrower()))
              .setContacts(contacts)
              .build();
    } else if (payload instanceof CollectorNumber n) {
      replaced = CollectorNumber.newBuilder(n).setNumber(apply(n.getNumber())).build();
    } else if (payload instanceof CollectionAttempt a) {
      replaced = CollectionAttempt.newBuilder(a).setTarget(apply(a.getTarget())).build();
    } else if (payload instanceof CeaseRequest c) {
      replaced = CeaseRequest.newBuilder(c).setRequester(apply(c.getRequester())).build();
    } else if (payload instanceof Application a) {
      replaced = Application.newBuilder(a).setApplicant(apply(a.getApplicant())).build();
    } else {
      // Delinquency and LoanClosed hold no numbers.
      return event;
    }
    return LenderEvent.newBuilder(event).setPayload(replaced).build();
  }

  /** Short public id of the key, the same wherever the same key is used. */
  public String keyId() {
    return keyId;
  }

  @Override
  public String toString() {
    return "Pseudonymizer[" + ALGORITHM + ", " + PSEUDONYM_BYTES + " bytes, key id " + keyId + "]";
  }

  private byte[] mac(String input) {
    // doFinal resets the Mac for the next call.
    return macs.get().doFinal(input.getBytes(StandardCharsets.UTF_8));
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(ALGORITHM + " is not available", e);
    }
  }
}

package org.dunwatch.producers.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.dunwatch.avro.common.Party;
import org.dunwatch.avro.common.PartyKind;
import org.dunwatch.avro.lender.Application;
import org.dunwatch.avro.lender.AttemptChannel;
import org.dunwatch.avro.lender.AttemptOutcome;
import org.dunwatch.avro.lender.CollectionAttempt;
import org.dunwatch.avro.lender.ContactRelation;
import org.dunwatch.avro.lender.DeclaredContact;
import org.dunwatch.avro.lender.Delinquency;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.avro.lender.LoanOpened;
import org.dunwatch.avro.lender.TargetRole;
import org.dunwatch.avro.telecom.CallOutcome;
import org.dunwatch.avro.telecom.CallRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PseudonymizerTest {

  private static final String KEY = "test-key-0123456789abcdef";
  private static final String NUMBER = "+8618812345678";
  private static final Party PERSON = new Party(NUMBER, PartyKind.E164, "CN", "Asia/Shanghai");
  private static final Party SHORT_CODE = new Party("95588", PartyKind.SENDER_ID, null, null);

  private final Pseudonymizer pseudonymizer = Pseudonymizer.ofKey(bytes(KEY));

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shouldGiveTheTruncatedHexHmacSha256OfTheNumber() {
    // openssl: printf '+8618812345678' | openssl dgst -sha256 -hmac test-key-0123456789abcdef
    assertEquals("pn_48feff3aedc45dfa31205194dad9cc9b780c320f", pseudonymizer.pseudonym(NUMBER));
  }

  @Test
  void shouldGiveTheSamePseudonymForTheSameNumberAndKey() {
    Pseudonymizer again = Pseudonymizer.ofKey(bytes(KEY));

    assertEquals(pseudonymizer.pseudonym(NUMBER), again.pseudonym(NUMBER));
    assertEquals(pseudonymizer.keyId(), again.keyId());
  }

  @Test
  void shouldGiveDifferentPseudonymsForDifferentKeysOrNumbers() {
    Pseudonymizer other = Pseudonymizer.ofKey(bytes("other-key-0123456789abcdef"));

    assertEquals("pn_8246cd5648dd2211b5a9a35b7e1f2108bcdaa3a4", other.pseudonym(NUMBER));
    assertNotEquals(pseudonymizer.pseudonym(NUMBER), other.pseudonym(NUMBER));
    assertNotEquals(pseudonymizer.keyId(), other.keyId());
    assertNotEquals(pseudonymizer.pseudonym(NUMBER), pseudonymizer.pseudonym("+8618812345679"));
  }

  @Test
  void shouldReplaceAnE164PartyAndKeepItsRegionAndTimeZone() {
    Party party = pseudonymizer.apply(PERSON);

    assertEquals(
        new Party(pseudonymizer.pseudonym(NUMBER), PartyKind.PSEUDONYM, "CN", "Asia/Shanghai"),
        party);
  }

  @Test
  void shouldLeaveSenderIdsAndPseudonymsAsTheyAre() {
    Party pseudonym = pseudonymizer.apply(PERSON);

    assertSame(SHORT_CODE, pseudonymizer.apply(SHORT_CODE));
    assertSame(pseudonym, pseudonymizer.apply(pseudonym));
  }

  @Test
  void shouldPseudonymiseBothPartiesOfACall() {
    CallRecord call =
        new CallRecord(
            "c-1", "CMCC", SHORT_CODE, PERSON, Instant.EPOCH, 1, 0, CallOutcome.NO_ANSWER);

    CallRecord out = pseudonymizer.apply(call);

    assertEquals(SHORT_CODE, out.getCaller());
    assertEquals(pseudonymizer.apply(PERSON), out.getCallee());
    assertEquals(PERSON, call.getCallee(), "the input is not changed");
  }

  @Test
  void shouldPseudonymiseTheBorrowerAndEveryContactOfALoan() {
    Party contact = new Party("+8613900000002", PartyKind.E164, "CN", "Asia/Shanghai");
    LenderEvent event =
        new LenderEvent(
            "e",
            "L1",
            Instant.EPOCH,
            new LoanOpened(
                "l",
                PERSON,
                List.of(new DeclaredContact(contact, ContactRelation.FAMILY)),
                null,
                null));

    LoanOpened loan = (LoanOpened) pseudonymizer.apply(event).getPayload();

    assertEquals(PartyKind.PSEUDONYM, loan.getBorrower().getKind());
    assertEquals(
        pseudonymizer.pseudonym("+8613900000002"), loan.getContacts().get(0).getNumber().getId());
  }

  @Test
  void shouldPseudonymiseTheTargetOfACollectionAttemptAndLeaveNumberlessEventsAlone() {
    LenderEvent attempt =
        new LenderEvent(
            "e",
            "L1",
            Instant.EPOCH,
            new CollectionAttempt(
                "l",
                AttemptChannel.CALL,
                PERSON,
                TargetRole.BORROWER,
                AttemptOutcome.CONNECTED,
                null,
                null,
                null));
    LenderEvent delinquency =
        new LenderEvent("e", "L1", Instant.EPOCH, new Delinquency("l", 3, null, null));

    assertEquals(
        pseudonymizer.apply(PERSON),
        ((CollectionAttempt) pseudonymizer.apply(attempt).getPayload()).getTarget());
    assertSame(delinquency, pseudonymizer.apply(delinquency));
  }

  @Test
  void shouldPseudonymiseTheApplicantOfAnApplicationAndKeepTheLenders() {
    LenderEvent application =
        new LenderEvent(
            "e", "P1", Instant.EPOCH, new Application("A-1", PERSON, java.util.List.of("L2")));

    Application out = (Application) pseudonymizer.apply(application).getPayload();

    assertEquals(pseudonymizer.apply(PERSON), out.getApplicant());
    assertTrue(out.getApplicant().getId().startsWith("pn_"));
    assertEquals(java.util.List.of("L2"), out.getForwardedTo());
  }

  @Test
  void shouldLoadTheKeyFromTheEnvironment() {
    Pseudonymizer p = Pseudonymizer.fromEnvironmentOrFile(Map.of(Pseudonymizer.KEY_ENV, KEY), null);

    assertEquals(pseudonymizer.pseudonym(NUMBER), p.pseudonym(NUMBER));
  }

  @Test
  void shouldLoadTheSameKeyFromAFileEndingInANewline(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("pseudonym.key");
    Files.writeString(file, KEY + "\r\n");

    Pseudonymizer p = Pseudonymizer.fromEnvironmentOrFile(Map.of(), file);

    assertEquals(pseudonymizer.pseudonym(NUMBER), p.pseudonym(NUMBER));
  }

  @Test
  void shouldAcceptTheSameKeyFromBothPlacesAndRefuseTwoDifferentOnes(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("pseudonym.key");
    Files.writeString(file, KEY + "\n");

    Pseudonymizer same =
        Pseudonymizer.fromEnvironmentOrFile(Map.of(Pseudonymizer.KEY_ENV, KEY), file);
    assertEquals(pseudonymizer.keyId(), same.keyId());

    PseudonymKeyException e =
        assertThrows(
            PseudonymKeyException.class,
            () ->
                Pseudonymizer.fromEnvironmentOrFile(
                    Map.of(Pseudonymizer.KEY_ENV, "another-key-0123456789"), file));
    assertTrue(e.getMessage().contains("different keys"), e.getMessage());
    assertFalse(e.getMessage().contains(KEY));
  }

  @Test
  void shouldRefuseToRunWithoutAKeyRatherThanUseADefault() {
    PseudonymKeyException e =
        assertThrows(
            PseudonymKeyException.class,
            () -> Pseudonymizer.fromEnvironmentOrFile(Map.of(Pseudonymizer.KEY_ENV, "  "), null));

    assertTrue(e.getMessage().startsWith("no pseudonym key: set DUNWATCH_PSEUDONYM_KEY"));
  }

  @Test
  void shouldRefuseAKeyShorterThan16Bytes(@TempDir Path dir) throws IOException {
    assertThrows(
        PseudonymKeyException.class,
        () -> Pseudonymizer.fromEnvironmentOrFile(Map.of(Pseudonymizer.KEY_ENV, "short"), null));
    assertThrows(PseudonymKeyException.class, () -> Pseudonymizer.ofKey(new byte[15]));

    Path empty = dir.resolve("empty.key");
    Files.writeString(empty, "\n");
    assertThrows(
        PseudonymKeyException.class, () -> Pseudonymizer.fromEnvironmentOrFile(Map.of(), empty));
  }

  @Test
  void shouldRefuseAKeyFileThatCannotBeRead(@TempDir Path dir) {
    PseudonymKeyException e =
        assertThrows(
            PseudonymKeyException.class,
            () -> Pseudonymizer.fromEnvironmentOrFile(Map.of(), dir.resolve("missing.key")));

    assertTrue(e.getMessage().startsWith("cannot read pseudonym key file"));
  }

  @Test
  void shouldNeverShowTheKeyInToString() {
    String text = pseudonymizer.toString();

    assertFalse(text.contains(KEY), text);
    assertFalse(text.contains("0123456789"), text);
    assertTrue(text.contains(pseudonymizer.keyId()), text);
  }

  @Test
  void shouldGiveTheSamePseudonymsFromManyThreads() throws InterruptedException {
    String expected = pseudonymizer.pseudonym(NUMBER);
    List<Thread> threads = new ArrayList<>();
    AtomicInteger wrong = new AtomicInteger();
    for (int t = 0; t < 4; t++) {
      Thread thread =
          new Thread(
              () -> {
                for (int i = 0; i < 2_000; i++) {
                  if (!expected.equals(pseudonymizer.pseudonym(NUMBER))) {
                    wrong.incrementAndGet();
                  }
                }
              });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }

    assertEquals(0, wrong.get());
  }
}

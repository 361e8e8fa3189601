package org.dunwatch.producers.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.dunwatch.avro.common.Party;
import org.dunwatch.avro.common.PartyKind;
import org.dunwatch.avro.lender.CollectorNumber;
import org.dunwatch.avro.lender.LenderEvent;
import org.dunwatch.avro.telecom.SmsCategory;
import org.dunwatch.avro.telecom.SmsRecord;
import org.dunwatch.producers.numbers.NumberNormalizer;
import org.dunwatch.schemas.Keys;
import org.junit.jupiter.api.Test;

/**
 * Report 000: a lender registers its 106 SMS sender as a collector number. The registration and the
 * messages from it must name the same sender after normalising and pseudonymising, or nothing can
 * attribute the messages to the lender.
 */
class SenderIdCollectorTest {

  private static final String SENDER = "1069055500001";

  private final Pseudonymizer pseudonymizer =
      Pseudonymizer.ofKey("test-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8));
  private final NumberNormalizer numbers = new NumberNormalizer();

  @Test
  void shouldKeepARegisteredSenderIdAsWrittenInTheRegistrationItsKeyAndItsMessages() {
    Party registered = numbers.normalize(SENDER, "CN").toParty();
    Party sending = numbers.normalize(" " + SENDER + " ", "CN").toParty();
    assertEquals(PartyKind.SENDER_ID, registered.getKind(), "a service number, not a phone");

    LenderEvent registration =
        pseudonymizer.apply(
            new LenderEvent("e", "L1", Instant.EPOCH, new CollectorNumber(registered, null, null)));
    SmsRecord sms =
        pseudonymizer.apply(
            new SmsRecord(
                "m",
                "CMCC",
                sending,
                numbers.normalize("+8618812345678", "CN").toParty(),
                Instant.EPOCH,
                SmsCategory.UNKNOWN,
                "body"));

    String inRegistration = ((CollectorNumber) registration.getPayload()).getNumber().getId();
    assertEquals(SENDER, inRegistration);
    assertEquals(inRegistration, sms.getSender().getId());
    assertEquals("L1/" + SENDER, Keys.of(registration));
  }
}

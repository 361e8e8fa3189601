package org.dunwatch.streams.testdata;

import java.time.Instant;
import java.util.Objects;
import org.dunwatch.avro.common.Party;
import org.dunwatch.avro.common.PartyKind;
import org.dunwatch.avro.telecom.SmsCategory;
import org.dunwatch.avro.telecom.SmsRecord;

/**
 * Readable messages for tests: {@code sms("TaoBao", VICTIM).at(T0).otp("验证码 123456")}. A sender
 * starting with {@code +} is an E.164 number, anything else a sender id. The message id defaults to
 * {@code sender>recipient@time}.
 */
public final class SmsBuilder {

  private final String sender;
  private final String recipient;
  private Instant at = CallBuilder.T0;
  private String id;
  private SmsCategory category = SmsCategory.PERSONAL;
  private String body;

  private SmsBuilder(String sender, String recipient) {
    this.sender = Objects.requireNonNull(sender);
    this.recipient = Objects.requireNonNull(recipient);
  }

  public static SmsBuilder sms(String sender, String recipient) {
    return new SmsBuilder(sender, recipient);
  }

  public SmsBuilder at(Instant time) {
    this.at = time;
    return this;
  }

  public SmsBuilder id(String id) {
    this.id = id;
    return this;
  }

  public SmsBuilder otp(String body) {
    return category(SmsCategory.OTP, body);
  }

  public SmsBuilder personal(String body) {
    return category(SmsCategory.PERSONAL, body);
  }

  public SmsBuilder notification(String body) {
    return category(SmsCategory.NOTIFICATION, body);
  }

  public SmsBuilder unknown(String body) {
    return category(SmsCategory.UNKNOWN, body);
  }

  public SmsBuilder category(SmsCategory category, String body) {
    this.category = category;
    this.body = body;
    return this;
  }

  public Instant time() {
    return at;
  }

  public String recipient() {
    return recipient;
  }

  public String sender() {
    return sender;
  }

  public String messageId() {
    return id != null ? id : sender + ">" + recipient + "@" + at;
  }

  public SmsRecord build() {
    PartyKind senderKind = sender.startsWith("+") ? PartyKind.E164 : PartyKind.SENDER_ID;
    return SmsRecord.newBuilder()
        .setMessageId(messageId())
        .setCarrier("CMCC")
        .setSender(new Party(sender, senderKind, "CN", "Asia/Shanghai"))
        .setRecipient(new Party(recipient, PartyKind.E164, "CN", "Asia/Shanghai"))
        .setSentTime(at)
        .setCategory(category)
        .setBody(body)
        .build();
  }
}

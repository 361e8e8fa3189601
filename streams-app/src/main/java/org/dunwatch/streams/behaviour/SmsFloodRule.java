package org.dunwatch.streams.behaviour;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Set;
import org.dunwatch.streams.rules.RuleException;
import org.dunwatch.streams.rules.Rules;

/**
 * Parameters of SMS_FLOOD (verification-code bombing): one recipient receiving at least {@code
 * otpSenders} distinct verification-code senders within {@code otpSendersWindow}, or {@code
 * otpMessagesPerHour} verification codes in 1 h, or {@code messagesPerHour} messages of any kind in
 * 1 h. Section {@code sms_flood} of the rule pack.
 *
 * @param ruleId the rule id alerts carry
 * @param ruleVersion its version
 * @param otpSenders distinct OTP senders ...
 * @param otpSendersWindow ... within this window
 * @param otpMessagesPerHour OTP messages in any 1 h
 * @param messagesPerHour messages of any category in any 1 h
 * @param quietPeriod an incident ends after this long without a message; the next is new
 * @param regrowthFactor re-issue an open incident when its count reaches this multiple of the count
 *     last alerted (or its severity rises)
 * @param maxTrackedMessages cap on messages kept per recipient (bounded state)
 * @param evidenceCap how many message ids an alert carries
 */
public record SmsFloodRule(
    String ruleId,
    int ruleVersion,
    int otpSenders,
    Duration otpSendersWindow,
    int otpMessagesPerHour,
    int messagesPerHour,
    Duration quietPeriod,
    double regrowthFactor,
    int maxTrackedMessages,
    int evidenceCap) {

  public static final String SECTION = "sms_flood";
  public static final String RULE_ID = "flood.sms.victim";

  public SmsFloodRule {
    positive("otp_senders", otpSenders);
    positive("otp_messages_1h", otpMessagesPerHour);
    positive("messages_1h", messagesPerHour);
    positive("evidence_cap", evidenceCap);
    if (otpSendersWindow == null
        || otpSendersWindow.isZero()
        || otpSendersWindow.compareTo(Duration.ofHours(1)) > 0) {
      throw new RuleException("otp_senders_window must be > 0 and at most PT1H");
    }
    if (quietPeriod == null || quietPeriod.isZero() || quietPeriod.isNegative()) {
      throw new RuleException("quiet_period must be a positive duration");
    }
    if (regrowthFactor <= 1.0) {
      throw new RuleException("regrowth_factor must be > 1, got " + regrowthFactor);
    }
    int largest = Math.max(otpSenders, Math.max(otpMessagesPerHour, messagesPerHour));
    if (maxTrackedMessages < largest) {
      throw new RuleException(
          "max_tracked_messages ("
              + maxTrackedMessages
              + ") must be at least the largest threshold ("
              + largest
              + ")");
    }
  }

  /** 8 distinct OTP senders in 10 min, 30 OTP messages in 1 h, 60 messages in 1 h. */
  public static SmsFloodRule defaults() {
    return new SmsFloodRule(
        RULE_ID, 1, 8, Duration.ofMinutes(10), 30, 60, Duration.ofHours(1), 2.0, 300, 20);
  }

  /** Reads section {@code sms_flood} of {@code rules}; missing values take the defaults. */
  public static SmsFloodRule from(Rules rules) {
    JsonNode node = rules.section(SECTION);
    SmsFloodRule d = defaults();
    if (node.isMissingNode()) {
      return d;
    }
    String at = "detectors." + SECTION + ".";
    Rules.requireOnlyKeys(
        node,
        at,
        Set.of("rules", "quiet_period", "regrowth_factor", "max_tracked_messages", "evidence_cap"));
    JsonNode rulesNode = node.path("rules");
    Rules.requireOnlyKeys(rulesNode, at + "rules.", Set.of(RULE_ID));
    JsonNode r = rulesNode.path(RULE_ID);
    String rat = at + "rules." + RULE_ID + ".";
    Rules.requireOnlyKeys(
        r,
        rat,
        Set.of("version", "otp_senders", "otp_senders_window", "otp_messages_1h", "messages_1h"));
    return new SmsFloodRule(
        RULE_ID,
        Rules.intParam(r, "version", d.ruleVersion(), rat),
        Rules.intParam(r, "otp_senders", d.otpSenders(), rat),
        Rules.durationParam(r, "otp_senders_window", d.otpSendersWindow(), rat),
        Rules.intParam(r, "otp_messages_1h", d.otpMessagesPerHour(), rat),
        Rules.intParam(r, "messages_1h", d.messagesPerHour(), rat),
        Rules.durationParam(node, "quiet_period", d.quietPeriod(), at),
        Rules.doubleParam(node, "regrowth_factor", d.regrowthFactor(), at),
        Rules.intParam(node, "max_tracked_messages", d.maxTrackedMessages(), at),
        Rules.intParam(node, "evidence_cap", d.evidenceCap(), at));
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new RuleException(name + " must be > 0, got " + value);
    }
  }
}

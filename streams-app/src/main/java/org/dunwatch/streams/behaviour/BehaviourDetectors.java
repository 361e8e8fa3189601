package org.dunwatch.streams.behaviour;

import java.time.Duration;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.streams.InputStreams;
import org.dunwatch.streams.content.ContentClassifier;
import org.dunwatch.streams.content.Lexicon;
import org.dunwatch.streams.lender.LenderReference;
import org.dunwatch.streams.rules.Rules;

/**
 * The behavioural detectors (SMS_FLOOD, THIRD_PARTY_DISCLOSURE, THREAT_OR_ABUSE, the social graph
 * and CONTACT_FAN_OUT, WRONG_PARTY), wired onto the decoded inputs in one call so that {@code
 * DunwatchTopology} needs one line for all of them.
 */
public final class BehaviourDetectors {

  private BehaviourDetectors() {}

  /**
   * Every behavioural detector on {@code in}; their alerts merged, keyed by victim.
   *
   * @param lender the topology's one lender reference ({@link LenderReference#addTo}, built once
   *     and shared with the policy detectors)
   */
  public static KStream<String, Alert> addTo(
      StreamsBuilder builder, InputStreams in, Rules rules, LenderReference lender) {
    Duration grace = rules.grace();
    ContentRule contentRule = ContentRule.from(rules);
    ContentClassifier classifier = new ContentClassifier(contentRule.lexicon());
    KStream<String, Alert> smsFlood =
        SmsFloodDetector.addTo(builder, in.sms(), SmsFloodRule.from(rules), classifier, grace);
    KStream<String, Alert> content =
        ContentDetector.addTo(builder, in.sms(), in.lender(), contentRule, classifier);
    KStream<String, Alert> fanOut =
        FanOutDetector.addTo(builder, in.calls(), lender, FanOutRule.from(rules));
    // after the fan-out: it adds the circles this one reads
    KStream<String, Alert> wrongParty =
        WrongPartyDetector.addTo(
            builder,
            in.calls(),
            in.sms(),
            lender,
            WrongPartyRule.from(rules),
            FanOutRule.from(rules));
    return smsFlood
        .merge(content, Named.as("behaviour-alerts"))
        .merge(fanOut, Named.as("behaviour-fan-out-alerts"))
        .merge(wrongParty, Named.as("behaviour-wrong-party-alerts"));
  }

  /** The built-in lexicon, plus {@code content.lexicon_dir} of the rule pack where given. */
  static Lexicon lexicon(String extraDir) {
    Lexicon builtIn = Lexicon.builtIn();
    return extraDir == null ? builtIn : builtIn.withDirectory(java.nio.file.Path.of(extraDir));
  }
}

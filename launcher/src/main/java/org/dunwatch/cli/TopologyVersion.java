package org.dunwatch.cli;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.dunwatch.schemas.Topics;
import org.dunwatch.streams.DunwatchTopology;
import org.dunwatch.streams.rules.Rules;

/**
 * What one instance runs, as a short fingerprint of its topology and rule pack, carried in its
 * Kafka Streams {@code client.id}. Instances of one application id that run different rule packs or
 * builds would share tasks and state while judging differently (an alert raised or not depending on
 * which instance owns the partition), so a new instance that finds live members with another
 * fingerprint refuses to join.
 */
final class TopologyVersion {

  private static final String MARK = "-topology-";

  private TopologyVersion() {}

  /** 12 hex digits of SHA-256 over the topology's description and the rule pack. */
  static String of(Rules rules, Topics topics) {
    // the rules field by field, sections sorted: Rules holds them in a Map.copyOf, whose
    // iteration order (and so its toString) differs from one JVM to the next
    String text =
        DunwatchTopology.build(topics, rules).describe()
            + "\n"
            + rules.pack()
            + "/"
            + rules.packVersion()
            + "/"
            + rules.grace()
            + "/"
            + rules.callFlood()
            + "/"
            + new TreeMap<>(rules.sections());
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String clientId(String applicationId, String fingerprint) {
    return applicationId + MARK + fingerprint;
  }

  /** The fingerprint in a group member's client id, or null when it carries none. */
  static String ofClientId(String clientId) {
    int at = clientId.lastIndexOf(MARK);
    if (at < 0) {
      return null;
    }
    String rest = clientId.substring(at + MARK.length());
    int end = rest.indexOf('-');
    return end < 0 ? rest : rest.substring(0, end);
  }

  /** Refuses to start next to live members of {@code applicationId} that run another version. */
  static void checkGroup(Cluster cluster, String applicationId, String fingerprint) {
    try (Admin admin = cluster.admin()) {
      Map<String, ConsumerGroupDescription> groups =
          admin
              .describeConsumerGroups(java.util.List.of(applicationId))
              .all()
              .get(30, TimeUnit.SECONDS);
      TreeSet<String> others = new TreeSet<>();
      for (MemberDescription m : groups.get(applicationId).members()) {
        String theirs = ofClientId(m.clientId());
        if (!fingerprint.equals(theirs)) {
          others.add((theirs == null ? "unknown" : theirs) + " on " + m.host());
        }
      }
      if (!others.isEmpty()) {
        throw new UserError(
            "application "
                + applicationId
                + " is running with another topology or rule pack ("
                + String.join(", ", others)
                + "; this instance is "
                + fingerprint
                + "): stop those instances first, or give this one another --application-id");
      }
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof GroupIdNotFoundException)) {
        throw new UserError(
            "cannot describe the consumer group " + applicationId + ": " + e.getCause(), e);
      }
    } catch (TimeoutException e) {
      throw new UserError("cannot describe the consumer group " + applicationId + ": timed out", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted", e);
    }
  }
}

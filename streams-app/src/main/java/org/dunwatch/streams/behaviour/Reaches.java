package org.dunwatch.streams.behaviour;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.dunwatch.streams.state.FanOutReach;
import org.dunwatch.streams.state.FanOutReaches;

/**
 * Reaches travel to the borrowers' partitions as one {@link FanOutReaches} per call (or attempt),
 * not one {@link FanOutReach} per member of the reached person's circle: a call from a stranger
 * into a circle of thirty used to be thirty records on the internal topic, most of them for numbers
 * that owe nothing. Now it is one record for each partition that holds one of them (at most the
 * partition count), each carrying every member; the partition that holds a member's loans is the
 * one that acts on it ({@link FanOutProcessor}).
 */
final class Reaches {

  private Reaches() {}

  /** The reach for one of the borrowers. */
  static FanOutReach forBorrower(FanOutReaches r, String borrower) {
    return FanOutReach.newBuilder()
        .setBorrower(borrower)
        .setReached(r.getReached())
        .setReachedRegion(r.getReachedRegion())
        .setSource(r.getSource())
        .setLenderId(r.getLenderId())
        .setAgencyId(r.getAgencyId())
        .setDeclaredContact(r.getDeclaredFor().contains(borrower))
        .setViaNumber(r.getViaNumber())
        .setEventId(r.getEventId())
        .setTime(r.getTime())
        .setSourceContacts(r.getSourceContacts())
        .build();
  }

  /** The builder of a reach of {@code borrowers}, with {@code declaredFor} among them. */
  static FanOutReaches.Builder of(List<String> borrowers, Set<String> declaredFor) {
    return FanOutReaches.newBuilder()
        .setBorrowers(borrowers)
        .setDeclaredFor(borrowers.stream().filter(declaredFor::contains).toList());
  }

  /**
   * Each record to every partition that holds one of its borrowers, partitioned as a record keyed
   * by that borrower would be (the default partitioner over the string key's UTF-8 bytes, as the
   * lender facts keyed by number are), so that it meets the borrower's loans.
   */
  static final class ToEachBorrower implements StreamPartitioner<String, FanOutReaches> {
    @Override
    public Optional<Set<Integer>> partitions(
        String topic, String key, FanOutReaches value, int numPartitions) {
      if (value == null || value.getBorrowers().isEmpty()) {
        return Optional.empty();
      }
      Set<Integer> partitions = new HashSet<>();
      for (String borrower : value.getBorrowers()) {
        partitions.add(partitionOf(borrower, numPartitions));
      }
      return Optional.of(partitions);
    }
  }

  static int partitionOf(String key, int numPartitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % numPartitions;
  }
}

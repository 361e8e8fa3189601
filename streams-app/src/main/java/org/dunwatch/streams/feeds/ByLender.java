package org.dunwatch.streams.feeds;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Partitions scorecard keys ({@code lender}, {@code lender/agency}, with or without {@code
 * @period}) by the lender alone, so that one lender's scorecards, its agencies' included, are in
 * one partition: the query API answers {@code /scorecards/{lender}} from one instance.
 */
public final class ByLender<V> implements StreamPartitioner<String, V> {

  @Override
  public Optional<Set<Integer>> partitions(String topic, String key, V value, int n) {
    return Optional.of(Set.of(partition(key, n)));
  }

  static int partition(String key, int n) {
    byte[] lender = lenderOf(key).getBytes(StandardCharsets.UTF_8);
    return Utils.toPositive(Utils.murmur2(lender)) % n;
  }

  /** {@code lnd-cn-02/ag-01@2026-W49} → {@code lnd-cn-02}. */
  public static String lenderOf(String key) {
    int end = key.length();
    int at = key.indexOf('@');
    if (at >= 0) {
      end = at;
    }
    int slash = key.indexOf('/');
    if (slash >= 0 && slash < end) {
      end = slash;
    }
    return key.substring(0, end);
  }
}

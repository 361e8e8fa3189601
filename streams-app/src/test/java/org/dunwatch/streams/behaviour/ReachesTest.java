package org.dunwatch.streams.behaviour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.serialization.StringSerializer;
import org.dunwatch.streams.state.FanOutReach;
import org.dunwatch.streams.state.FanOutReaches;
import org.junit.jupiter.api.Test;

class ReachesTest {

  private static final String TOPIC = "app-fan-out-reaches-by-borrower-repartition";

  private static FanOutReaches reachOf(List<String> borrowers, Set<String> declaredFor) {
    return Reaches.of(borrowers, declaredFor)
        .setReached("+8618800000099")
        .setReachedRegion("CN")
        .setSource("NUMBER:+8617000000001")
        .setViaNumber("+8617000000001")
        .setEventId("c-1")
        .setTime(1_000L)
        .setSourceContacts(3)
        .build();
  }

  @Test
  void shouldSendAReachToExactlyThePartitionsOfItsBorrowersAsTheirLoansArePartitioned() {
    List<String> borrowers =
        IntStream.range(0, 30).mapToObj(i -> "pn_" + Integer.toHexString(i * 7919)).toList();
    FanOutReaches reach = reachOf(borrowers, Set.of());
    try (StringSerializer keys = new StringSerializer()) {
      for (int n : List.of(1, 3, 4, 12)) {
        // where a record keyed by each borrower goes with the producer's default partitioner: the
        // partition of lender-facts-by-number that holds that borrower's loans
        Set<Integer> expected =
            borrowers.stream()
                .map(b -> BuiltInPartitioner.partitionForKey(keys.serialize(TOPIC, b), n))
                .collect(Collectors.toCollection(TreeSet::new));
        Optional<Set<Integer>> got =
            new Reaches.ToEachBorrower().partitions(TOPIC, "+8618800000099", reach, n);
        assertEquals(expected, new TreeSet<>(got.orElseThrow()), n + " partitions");
      }
    }
  }

  @Test
  void shouldSendOneRecordPerPartitionNotOnePerBorrower() {
    FanOutReaches reach =
        reachOf(List.of("pn_a", "pn_b", "pn_c", "pn_d", "pn_e", "pn_f"), Set.of());
    assertEquals(
        Set.of(0), new Reaches.ToEachBorrower().partitions(TOPIC, "k", reach, 1).orElseThrow());
    assertTrue(
        new Reaches.ToEachBorrower().partitions(TOPIC, "k", reach, 4).orElseThrow().size() <= 4);
  }

  @Test
  void shouldGiveEachBorrowerItsOwnReachWithWhetherTheReachedPersonIsItsDeclaredContact() {
    FanOutReaches reach = reachOf(List.of("pn_a", "pn_b"), Set.of("pn_b", "pn_z"));
    assertEquals(List.of("pn_b"), reach.getDeclaredFor());
    FanOutReach a = Reaches.forBorrower(reach, "pn_a");
    FanOutReach b = Reaches.forBorrower(reach, "pn_b");
    assertEquals("pn_a", a.getBorrower());
    assertFalse(a.getDeclaredContact());
    assertTrue(b.getDeclaredContact());
    assertEquals("+8618800000099", b.getReached());
    assertEquals("NUMBER:+8617000000001", b.getSource());
    assertEquals("+8617000000001", b.getViaNumber());
    assertEquals("c-1", b.getEventId());
    assertEquals(1_000L, b.getTime());
    assertEquals(3, b.getSourceContacts());
    assertEquals("CN", b.getReachedRegion());
  }
}

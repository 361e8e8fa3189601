package org.dunwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterPartitionsTest {

  @Test
  void shouldAcceptInputTopicsOfOneCount() {
    assertEquals(
        6,
        Cluster.commonPartitionCount(
            Map.of("telecom.calls.v1", 6, "telecom.sms.v1", 6, "lender.events.v1", 6)));
  }

  @Test
  void shouldRefuseInputTopicsOfDifferentCountsNamingEachCount() {
    UserError e =
        assertThrows(
            UserError.class,
            () ->
                Cluster.commonPartitionCount(
                    Map.of("telecom.calls.v1", 6, "telecom.sms.v1", 6, "lender.events.v1", 3)));

    assertTrue(
        e.getMessage()
            .startsWith(
                "the input topics have different partition counts {lender.events.v1=3,"
                    + " telecom.calls.v1=6, telecom.sms.v1=6}"),
        e.getMessage());
  }
}

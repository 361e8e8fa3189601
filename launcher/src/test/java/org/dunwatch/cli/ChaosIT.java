package org.dunwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Scale-out and failover on a real 3-node cluster (replication factor 3, min.insync.replicas 2): a
 * small world through three {@code dunwatch run} instances in their own JVMs on six partitions,
 * against the same world through one instance, and with one instance killed ({@code kill -9})
 * mid-run and restarted. Every alert of the three-instance run, and nothing else, comes out of
 * each.
 *
 * <p>Runs only with {@code -Ddunwatch.chaos=true}: it has not passed yet. Two fault-free runs of
 * one world already differ in a few alerts' evidence (which of a contact's two records, telecom or
 * lender, a detector sees first depends on commit timing across repartition topics; see
 * docs/cluster.md, "Determinism"), so "0 different" cannot hold until that is fixed, and on a
 * shared 2-core machine the 3-broker cluster plus three instances took longer than CI allows.
 */
@EnabledIfSystemProperty(named = "dunwatch.chaos", matches = "true")
class ChaosIT {

  @Test
  void shouldRaiseTheSameAlertsOnOneInstanceAndAfterAnInstanceIsKilledAsOnThree() throws Exception {
    Cli.Run run =
        Cli.run(
            "chaos",
            "--seed",
            "1",
            "--subscribers",
            "300",
            "--days",
            "1",
            "--instances",
            "3",
            "--partitions",
            "6",
            "--faults",
            "one-instance,kill-instance",
            "--pause",
            "PT2S",
            "--json");

    JsonNode root = new ObjectMapper().readTree(run.out());
    JsonNode baseline = root.path("baseline");
    assertTrue(baseline.path("alerts").asInt() > 0, run.out());
    List<String> faults = new ArrayList<>();
    for (JsonNode r : root.path("runs")) {
      String fault = r.path("fault").asText();
      faults.add(fault);
      assertEquals(0, r.path("lost").asInt(), fault + " " + r);
      assertEquals(0, r.path("duplicated").asInt(), fault + " " + r);
      assertEquals(0, r.path("different").asInt(), fault + " " + r);
      assertEquals(baseline.path("found").asInt(), r.path("found").asInt(), fault + " " + r);
    }
    assertEquals(List.of("one-instance", "kill-instance"), faults);
    assertTrue(root.path("runs").get(1).path("recovery_seconds").asDouble() > 0, root.toString());
    assertEquals(0, run.exit(), run.err());
  }
}

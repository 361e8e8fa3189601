package org.dunwatch.streams.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.alert.AlertType;
import org.dunwatch.avro.alert.Severity;
import org.dunwatch.streams.state.ReachedPerson;
import org.dunwatch.streams.state.SourceSpread;
import org.junit.jupiter.api.Test;

class CircleRoutesTest {

  @Test
  void shouldListEveryoneReachedWithFirstContactAndWhetherDeclaredAndSplitTheSource() {
    Alert a = AlertFeedTest.alert("fan-1", 2, Severity.MEDIUM);
    a.setType(AlertType.CONTACT_FAN_OUT);
    a.setVictim("+8618800000002");
    SourceSpread spread =
        SourceSpread.newBuilder()
            .setSource("NUMBER:+8617000000009")
            .setLenderId("lnd-a")
            .setAgencyId("agy-1")
            .setReached(
                List.of(
                    new ReachedPerson("+8618800000010", 1_764_000_000_000L, "c1", true),
                    new ReachedPerson("+8618800000011", 1_764_000_060_000L, "c2", false)))
            .setAlertId("fan-1")
            .build();

    Map<String, Object> body = CircleRoutes.body(a, spread);

    assertEquals("+8618800000002", body.get("borrower"));
    assertEquals("NUMBER", body.get("source_kind"));
    assertEquals("+8617000000009", body.get("source"));
    assertEquals("agy-1", body.get("agency_id"));
    assertEquals(
        List.of(
            Map.of(
                "number", "+8618800000010",
                "first_time", "2025-11-24T16:00:00Z",
                "event_id", "c1",
                "declared", true),
            Map.of(
                "number", "+8618800000011",
                "first_time", "2025-11-24T16:01:00Z",
                "event_id", "c2",
                "declared", false)),
        body.get("reached"));
  }
}

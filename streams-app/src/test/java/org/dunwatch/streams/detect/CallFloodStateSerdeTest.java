package org.dunwatch.streams.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;
import org.dunwatch.avro.alert.AlertType;
import org.dunwatch.streams.rules.CallFloodRule;
import org.dunwatch.streams.state.AvroStateSerde;
import org.dunwatch.streams.state.CallFloodState;
import org.dunwatch.streams.state.FloodIncident;
import org.dunwatch.streams.state.FloodRuleKind;
import org.dunwatch.streams.state.TrackedCall;
import org.dunwatch.streams.testdata.CallBuilder;
import org.junit.jupiter.api.Test;

/** The CALL_FLOOD state as it is written to RocksDB and the changelog. */
class CallFloodStateSerdeTest {

  private final AvroStateSerde<CallFloodState> serde = AvroStateSerde.of(CallFloodState.class);

  @Test
  void shouldReadBackWhatItWrote() {
    CallFloodState state = stateWith(3);
    byte[] bytes = serde.serialize("ignored", state);
    assertEquals(state, serde.deserialize("ignored", bytes));
    assertArrayEquals(bytes, serde.serialize("other", serde.deserialize("ignored", bytes)));
  }

  @Test
  void shouldPassNullThrough() {
    assertNull(serde.serialize("t", null));
    assertNull(serde.deserialize("t", null));
  }

  @Test
  void shouldRefuseBytesWrittenWithAnUnknownSchema() {
    byte[] bytes = serde.serialize("t", stateWith(1));
    bytes[5] ^= 0x5a; // inside the writer schema's fingerprint
    assertThrows(SerializationException.class, () -> serde.deserialize("t", bytes));
    assertThrows(SerializationException.class, () -> serde.deserialize("t", new byte[] {1, 2, 3}));
  }

  @Test
  void shouldStayUnder61BytesACallAtTheDefaultCap() {
    // E.164 callers and UUID call ids: about 60 bytes a call (59 before the early rule's hung_up
    // flag), so 500 calls are about 30 KB
    int cap = CallFloodRule.defaults().maxTrackedCalls();
    int size = serde.serialize("t", stateWith(cap)).length;
    assertTrue(size < cap * 61, "size at the cap: " + size);
  }

  private static CallFloodState stateWith(int calls) {
    List<TrackedCall> list = new ArrayList<>();
    long t0 = CallBuilder.T0.toEpochMilli();
    for (int i = 0; i < calls; i++) {
      list.add(
          new TrackedCall(
              t0 + 200_000L * i,
              CallBuilder.number(i % 50),
              i % 3 != 0,
              UUID.nameUUIDFromBytes(("call" + i).getBytes(StandardCharsets.UTF_8)).toString(),
              i % 3 == 1));
    }
    FloodIncident incident =
        new FloodIncident(
            IncidentIds.alertId(AlertType.CALL_FLOOD, CallBuilder.VICTIM, t0),
            t0,
            t0 + 200_000L * calls,
            3,
            FloodRuleKind.VICTIM_24H,
            80,
            "HIGH");
    return new CallFloodState(list, t0 - 1, incident);
  }
}

package org.dunwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.dunwatch.producers.ingest.RecordSink;
import org.junit.jupiter.api.Test;

class SliceGateTest {

  static final Instant T0 = Instant.parse("2024-07-26T00:00:00Z");
  static final TopicPartition CALLS = new TopicPartition("telecom.calls.v1", 0);

  /** A sink that counts what it was sent and flushed, and logs both in {@code log}. */
  static final class CountingSink implements RecordSink<String, String> {
    final List<String> log;
    long sent;
    long flushed;

    CountingSink(List<String> log) {
      this.log = log;
    }

    @Override
    public void send(String key, String value, Instant eventTime) {
      sent++;
      log.add("send " + value);
    }

    @Override
    public void flush() {
      flushed = sent;
      log.add("flush");
    }
  }

  /** The application's position: the broker's end is what was flushed, waits are logged. */
  static final class FakeProgress implements SliceGate.Progress {
    final List<String> log;
    final CountingSink sink;

    FakeProgress(List<String> log, CountingSink sink) {
      this.log = log;
      this.sink = sink;
    }

    @Override
    public Map<TopicPartition, Long> ends() {
      return Map.of(CALLS, sink.flushed);
    }

    @Override
    public void awaitCommitted(Map<TopicPartition, Long> targets) {
      log.add("await " + targets.get(CALLS));
    }
  }

  /** Sends {@code count} events half an hour apart from {@code T0} through {@code gated}. */
  private static void everyHalfHour(RecordSink<String, String> gated, int count) {
    for (int i = 0; i < count; i++) {
      gated.send("k", "e" + i, T0.plus(Duration.ofMinutes(30L * i)));
    }
  }

  @Test
  void shouldWaitForTheSliceBeforeTheLastBeforeSendingTheNext() {
    List<String> log = new ArrayList<>();
    CountingSink sink = new CountingSink(log);
    SliceGate gate = new SliceGate(Duration.ofHours(1), 1, new FakeProgress(log, sink));
    RecordSink<String, String> gated = gate.wrap(sink);

    // events at 00:00, 00:30, 01:00, 01:30, 02:00: slices [00:00, 00:30], [01:00, 01:30], [02:00]
    everyHalfHour(gated, 5);

    // the first boundary flushes and notes where slice 1 ends; the second waits for it
    assertEquals(
        List.of("send e0", "send e1", "flush", "send e2", "send e3", "flush", "await 2", "send e4"),
        log);
    assertEquals(2, gate.slices());
  }

  @Test
  void shouldSendEverythingWithoutWaitingWhenItIsOneSlice() {
    List<String> log = new ArrayList<>();
    CountingSink sink = new CountingSink(log);
    SliceGate gate = new SliceGate(Duration.ofHours(2), 1, new FakeProgress(log, sink));
    RecordSink<String, String> gated = gate.wrap(sink);

    everyHalfHour(gated, 4);

    assertEquals(List.of("send e0", "send e1", "send e2", "send e3"), log);
    assertEquals(0, gate.slices());
  }

  @Test
  void shouldFlushEverySinkAtABoundarySoThatTheEndsCoverAllInputs() {
    List<String> log = new ArrayList<>();
    CountingSink calls = new CountingSink(log);
    CountingSink sms = new CountingSink(new ArrayList<>());
    SliceGate gate = new SliceGate(Duration.ofHours(1), 1, new FakeProgress(log, calls));
    RecordSink<String, String> gatedCalls = gate.wrap(calls);
    RecordSink<String, String> gatedSms = gate.wrap(sms);

    gatedSms.send("k", "m0", T0);
    gatedCalls.send("k", "c0", T0.plus(Duration.ofHours(1)));

    assertEquals(1, sms.flushed, "the message sent before the boundary is flushed at it");
  }

  @Test
  void shouldReportAFailedWaitAsAUserError() {
    CountingSink sink = new CountingSink(new ArrayList<>());
    SliceGate gate =
        new SliceGate(
            Duration.ofHours(1),
            1,
            new SliceGate.Progress() {
              @Override
              public Map<TopicPartition, Long> ends() {
                return Map.of(CALLS, 0L);
              }

              @Override
              public void awaitCommitted(Map<TopicPartition, Long> targets) throws Exception {
                throw new java.util.concurrent.TimeoutException("no answer from the broker");
              }
            });
    RecordSink<String, String> gated = gate.wrap(sink);

    gated.send("k", "e0", T0);
    gated.send("k", "e1", T0.plus(Duration.ofHours(1)));
    UserError e =
        assertThrows(UserError.class, () -> gated.send("k", "e2", T0.plus(Duration.ofHours(2))));

    assertTrue(e.getMessage().contains("no answer from the broker"), e.getMessage());
  }
}

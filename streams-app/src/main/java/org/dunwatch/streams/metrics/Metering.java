package org.dunwatch.streams.metrics;

import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.dunwatch.avro.alert.Alert;
import org.dunwatch.avro.dlq.DeadLetter;

/**
 * Pass-through processors that count what flows at the topology's edges (inputs, alerts, dead
 * letters) into {@link DunwatchMeters}: the detectors themselves know nothing of metrics.
 */
public final class Metering {

  private Metering() {}

  /** Counts records read from {@code topic} and notes the stream time each task has reached. */
  public static <K, V> FixedKeyProcessorSupplier<K, V, V> input(String topic) {
    return () -> new Input<>(topic);
  }

  /** Counts alerts by type, severity and jurisdiction, incidents opened, and their latency. */
  public static <K> FixedKeyProcessorSupplier<K, Alert, Alert> alerts() {
    return Alerts::new;
  }

  /** Counts dead letters by stage and origin, late records among them. */
  public static <K> FixedKeyProcessorSupplier<K, DeadLetter, DeadLetter> deadLetters() {
    return DeadLetters::new;
  }

  private abstract static class Pass<K, V> implements FixedKeyProcessor<K, V, V> {
    FixedKeyProcessorContext<K, V> context;
    DunwatchMeters meters;

    @Override
    public void init(FixedKeyProcessorContext<K, V> context) {
      this.context = context;
      this.meters = DunwatchMeters.from(context.appConfigs());
    }

    @Override
    public void process(FixedKeyRecord<K, V> record) {
      count(record.value());
      context.forward(record);
    }

    abstract void count(V value);
  }

  private static final class Input<K, V> extends Pass<K, V> {
    private final String topic;
    private io.micrometer.core.instrument.Counter in;
    private TaskId task;

    Input(String topic) {
      this.topic = topic;
    }

    @Override
    public void init(FixedKeyProcessorContext<K, V> context) {
      super.init(context);
      in = meters.recordsIn(topic);
      task = context.taskId();
    }

    @Override
    void count(V value) {
      in.increment();
      meters.streamTime(topic, task, context.currentStreamTimeMs());
    }

    @Override
    public void close() {
      meters.taskClosed(topic, task);
    }
  }

  private static final class Alerts<K> extends Pass<K, Alert> {
    @Override
    void count(Alert alert) {
      if (alert != null) {
        meters.alert(alert);
      }
    }
  }

  private static final class DeadLetters<K> extends Pass<K, DeadLetter> {
    @Override
    void count(DeadLetter letter) {
      if (letter != null) {
        meters.deadLetter(letter);
      }
    }
  }
}

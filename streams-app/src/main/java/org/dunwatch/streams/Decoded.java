package org.dunwatch.streams;

import org.dunwatch.avro.dlq.DeadLetter;

/** A decoded input record, or the dead letter saying why it could not be used. */
record Decoded<V>(V value, byte[] rawKey, DeadLetter dead) {

  static <V> Decoded<V> ok(V value) {
    return new Decoded<>(value, null, null);
  }

  static <V> Decoded<V> dead(byte[] rawKey, DeadLetter dead) {
    return new Decoded<>(null, rawKey, dead);
  }

  boolean isDead() {
    return dead != null;
  }
}

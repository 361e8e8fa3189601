package org.dunwatch.streams.state;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The stream-time purge every detector's store gets, so that state follows the subscribers active
 * within the rule's window rather than every number ever seen.
 *
 * <p>Cost: a full scan of the store, reading and deserialising every entry, once per purge interval
 * of stream time; writes only for what changed. The writes come after the scan, not during it, so
 * the iterator never sees its own changes.
 */
public final class StorePurge {

  private StorePurge() {}

  /**
   * Replaces each value with {@code kept.apply(value)}: the same instance leaves the entry alone,
   * {@code null} deletes it, another value replaces it (what is left of it).
   *
   * @return how many entries were deleted or replaced
   */
  public static <K, V> int apply(KeyValueStore<K, V> store, UnaryOperator<V> kept) {
    List<KeyValue<K, V>> changes = new ArrayList<>();
    try (KeyValueIterator<K, V> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<K, V> e = it.next();
        V next = kept.apply(e.value);
        if (next != e.value) {
          changes.add(KeyValue.pair(e.key, next));
        }
      }
    }
    for (KeyValue<K, V> c : changes) {
      if (c.value == null) {
        store.delete(c.key);
      } else {
        store.put(c.key, c.value);
      }
    }
    return changes.size();
  }

  /**
   * For values that hold a list ({@code items}): keeps the items that are {@code kept}, rebuilding
   * the value from what is left ({@code rebuild}), deleting it when nothing is.
   *
   * @return how many entries were deleted or replaced
   */
  public static <K, V, E> int keepItems(
      KeyValueStore<K, V> store,
      Function<V, List<E>> items,
      Predicate<E> kept,
      Function<List<E>, V> rebuild) {
    return apply(
        store,
        v -> {
          List<E> all = items.apply(v);
          List<E> left = all.stream().filter(kept).toList();
          return left.size() == all.size() ? v : left.isEmpty() ? null : rebuild.apply(left);
        });
  }

  /**
   * Deletes every entry whose value is {@code done}.
   *
   * @return how many were deleted
   */
  public static <K, V> int deleteWhere(KeyValueStore<K, V> store, Predicate<V> done) {
    return apply(store, v -> done.test(v) ? null : v);
  }
}

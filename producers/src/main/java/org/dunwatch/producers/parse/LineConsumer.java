package org.dunwatch.producers.parse;

/**
 * Takes a parsed record with the 1-based physical line it starts on, so later failures can name it.
 */
@FunctionalInterface
public interface LineConsumer<T> {

  void accept(T record, long lineNumber);
}

package org.dunwatch.producers.sim;

import java.util.List;
import java.util.SplittableRandom;

/** Deterministic random draws; each stream of the world gets its own, derived from the seed. */
final class Rng {

  private final SplittableRandom random;

  Rng(long seed, long stream) {
    this.random = new SplittableRandom(mix(seed, stream));
  }

  static long mix(long a, long b) {
    long z = a * 0x9E3779B97F4A7C15L + b * 0xC2B2AE3D27D4EB4FL + 0x165667B19E3779F9L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  double unit() {
    return random.nextDouble();
  }

  boolean chance(double p) {
    return random.nextDouble() < p;
  }

  /** Uniform in {@code [from, to]}. */
  int between(int from, int to) {
    return from + random.nextInt(to - from + 1);
  }

  long below(long bound) {
    return random.nextLong(bound);
  }

  int below(int bound) {
    return random.nextInt(bound);
  }

  double uniform(double from, double to) {
    return from + (to - from) * random.nextDouble();
  }

  double logNormal(double median, double sigma) {
    return median * Math.exp(sigma * random.nextGaussian());
  }

  /** Pareto with minimum 1 and shape {@code alpha}: heavy-tailed tie strengths. */
  double pareto(double alpha) {
    return Math.pow(1 - random.nextDouble(), -1 / alpha);
  }

  int poisson(double mean) {
    if (mean <= 0) {
      return 0;
    }
    if (mean > 30) {
      return Math.max(0, (int) Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
    }
    double l = Math.exp(-mean);
    int k = 0;
    double p = 1;
    do {
      k++;
      p *= random.nextDouble();
    } while (p > l);
    return k - 1;
  }

  <T> T pick(List<T> items) {
    return items.get(random.nextInt(items.size()));
  }

  <T> T pick(T[] items) {
    return items[random.nextInt(items.length)];
  }

  String digits(int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append((char) ('0' + random.nextInt(10)));
    }
    return b.toString();
  }
}

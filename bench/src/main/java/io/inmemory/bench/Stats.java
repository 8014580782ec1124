package io.inmemory.bench;

import java.util.Arrays;

/** Percentiles of nanosecond samples. */
final class Stats {
  private Stats() {}

  /**
   * The {@code percentile}th percentile (nearest rank) of the samples, in milliseconds; 0 when
   * there are none.
   */
  static double percentileMillis(long[] nanos, double percentile) {
    if (nanos.length == 0) {
      return 0;
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank))] / 1e6;
  }
}

package io.inmemory.bench;

import java.util.Arrays;

/** Percentiles of nanosecond samples, and the median of per-run figures. */
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

  /** The middle value; the mean of the two middle ones for an even count. */
  static double median(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }
}

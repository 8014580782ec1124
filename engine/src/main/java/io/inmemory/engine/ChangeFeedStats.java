package io.inmemory.engine;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A snapshot of how an engine follows the changes other processes sharing its store make
 * ({@link Memory#feedStats()}): what it applied since it opened, and how stale it is. Staleness
 * is measured from when the writer recorded a change (by its own clock, so clock skew between
 * machines shifts it) to when this engine applied it, over the changes of the last minute.
 * Immutable.
 *
 * @param feed how the changes travel, for example "polling inmemory_changes"
 * @param degraded whether nothing was read for longer than {@code inmemory.cluster.max-staleness}:
 *     the partitions held are dropped (on each failed read), so reads go to the store, failing
 *     while it is unreachable
 * @param behind how long ago the last read began after which every earlier change was applied
 * @param applied the changes of other processes applied (to a partition held, or found to need
 *     nothing because it is not held)
 * @param reloads partitions dropped or reset to be read again whole (a change naming the whole
 *     partition, another embedder's memories, a trimmed feed, the feed unreadable too long)
 * @param stalenessP50 the median staleness of the last minute's changes, zero when there were none
 * @param stalenessP99 their 99th percentile
 * @param stalenessMax their maximum
 */
public record ChangeFeedStats(String feed, boolean degraded, Duration behind, long applied,
    long reloads, Duration stalenessP50, Duration stalenessP99, Duration stalenessMax) {

  /**
   * @throws IllegalArgumentException when a figure is negative or the percentiles are not
   *     ordered
   */
  public ChangeFeedStats {
    Objects.requireNonNull(feed, "feed");
    Objects.requireNonNull(behind, "behind");
    Objects.requireNonNull(stalenessP50, "stalenessP50");
    Objects.requireNonNull(stalenessP99, "stalenessP99");
    Objects.requireNonNull(stalenessMax, "stalenessMax");
    if (behind.isNegative() || applied < 0 || reloads < 0 || stalenessP50.isNegative()) {
      throw new IllegalArgumentException("feed figures must not be negative");
    }
    if (stalenessP99.compareTo(stalenessP50) < 0 || stalenessMax.compareTo(stalenessP99) < 0) {
      throw new IllegalArgumentException("staleness percentiles out of order: p50 "
          + stalenessP50 + ", p99 " + stalenessP99 + ", max " + stalenessMax);
    }
  }

  /**
   * One line for health checks, for example "polling inmemory_changes; 1,234 changes applied,
   * 2 reloads; staleness p50 180 ms p99 420 ms max 610 ms", starting "DEGRADED: change feed
   * behind by 12.3 s" when degraded.
   */
  public String describe() {
    String line = String.format(Locale.ROOT, "%s; %,d changes applied, %,d reloads; staleness"
            + " p50 %,d ms p99 %,d ms max %,d ms", feed, applied, reloads, stalenessP50.toMillis(),
        stalenessP99.toMillis(), stalenessMax.toMillis());
    return degraded ? String.format(Locale.ROOT, "DEGRADED: change feed behind by %.1f s; %s",
        behind.toMillis() / 1000.0, line) : line;
  }
}

package io.inmemory.engine;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A snapshot of an engine's partition cache: what it holds within its heap budget and what it
 * did since the engine opened. Sizes are estimates of the heap the partitions take, not
 * measurements. Immutable.
 *
 * @param budgetBytes the heap budget ({@code inmemory.cache.max-heap})
 * @param heldBytes the estimated heap of the partitions held; at most the budget after each
 *     load, though partitions evicted while in use are extra (see {@code inUseEvicted})
 * @param heldPartitions the partitions held
 * @param heldMemories the memories in the partitions held
 * @param inUseEvicted partitions evicted while an operation used them, live until it ends
 * @param hits uses that found their partition held
 * @param loads partitions loaded from the store (first uses and reloads after eviction)
 * @param adoptions uses that took back a partition evicted while in use, instead of loading it
 * @param evictions partitions dropped to keep within the budget
 * @param oversized evictions of a partition that alone outweighed the whole budget
 * @param averageLoad the mean time of a load, zero before the first
 * @param graphsRestored loads that restored a partition's HNSW graph from its index snapshot
 *     (stores that keep snapshots: file)
 * @param graphsBuilt loads that built a partition's HNSW graph, having no usable snapshot (on
 *     h2 and mongo every load of a partition of 4,000 memories or more)
 */
public record PartitionCacheStats(long budgetBytes, long heldBytes, int heldPartitions,
    long heldMemories, int inUseEvicted, long hits, long loads, long adoptions,
    long evictions, long oversized, Duration averageLoad, long graphsRestored, long graphsBuilt) {
  private static final double MIB = 1 << 20;

  /**
   * @throws IllegalArgumentException when the budget is not positive or a figure is negative
   */
  public PartitionCacheStats {
    Objects.requireNonNull(averageLoad, "averageLoad");
    if (budgetBytes <= 0) {
      throw new IllegalArgumentException("budgetBytes must be positive: " + budgetBytes);
    }
    if (heldBytes < 0 || heldPartitions < 0 || heldMemories < 0 || inUseEvicted < 0 || hits < 0
        || loads < 0 || adoptions < 0
        || evictions < 0 || oversized < 0 || averageLoad.isNegative() || graphsRestored < 0
        || graphsBuilt < 0) {
      throw new IllegalArgumentException("cache figures must not be negative");
    }
  }

  /**
   * One line for health checks, for example "312 partitions (31,200 memories) in 48.1 MiB of
   * 256.0 MiB; 1,204 loads (avg 3.1 ms), 892 evictions, 96.2% hits".
   */
  public String describe() {
    long uses = hits + loads + adoptions;
    return String.format(Locale.ROOT, "%,d partitions (%,d memories) in %.1f MiB of %.1f MiB;"
            + " %,d loads (avg %.1f ms), %,d evictions, %.1f%% hits", heldPartitions,
        heldMemories, heldBytes / MIB, budgetBytes / MIB, loads, averageLoad.toNanos() / 1e6,
        evictions, uses == 0 ? 100.0 : 100.0 * (hits + adoptions) / uses);
  }
}

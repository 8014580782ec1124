package io.inmemory.engine.index;

import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The vectors of one {@link VectorIndex} in one of its two layouts. Not thread-safe: the index
 * calls writes under its write lock and searches under its read lock. Vectors handed in are
 * owned by the store and already validated.
 */
sealed interface Store permits FlatStore, GraphStore {

  int size();

  boolean contains(String id);

  /** The stored vector of {@code id}, or null; the caller must not modify it. */
  float @Nullable [] vector(String id);

  void put(String id, float[] vector);

  boolean remove(String id);

  /**
   * The best {@code k} vectors among those whose id passes {@code filter} (all when null);
   * {@code matchingCount} is the caller's count of passing ids, or -1 when unknown. A graph
   * searches with beam width {@code ef} (at least k), widened for a filter; a flat store is exact.
   */
  List<Neighbor> search(
      float[] query, int k, int ef, @Nullable Predicate<String> filter, int matchingCount);

  /** Whether the layout should be rebuilt from its current vectors (see {@link #entries()}). */
  boolean rebuildDue();

  /** A snapshot of every stored vector; the entries stay valid after later writes. */
  List<Entry> entries();

  /** The layout that suits {@code entries}: a graph from the HNSW threshold on, else flat. */
  static Store of(List<Entry> entries, int dimension, IndexSettings settings)
      throws InterruptedException {
    if (entries.size() >= settings.hnswThreshold()) {
      return GraphStore.build(entries, dimension, settings);
    }
    FlatStore flat = new FlatStore(dimension, settings);
    for (Entry entry : entries) {
      flat.put(entry.id(), entry.vector());
    }
    return flat;
  }
}

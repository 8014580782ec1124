package io.inmemory.engine.index;

/**
 * Tuning of a {@link VectorIndex}. Engine-internal, not API. Immutable and thread-safe.
 *
 * <p>Defaults, measured with {@code IndexBench} (TODO numbers).
 *
 * @param hnswThreshold size from which the index searches an HNSW graph instead of scanning
 *     every vector; the graph is built from the current vectors when the size reaches it
 * @param m HNSW links per node and layer (twice as many on the bottom layer)
 * @param efConstruction HNSW beam width while inserting; higher builds a better graph, slower
 * @param efFloor smallest HNSW search beam width; a search for k results uses
 *     {@code max(efFloor, 2k)}, widened further for filtered searches
 * @param graphCandidateCost cost of one candidate fetched from the graph, in exact-scan dot
 *     products. A filtered search with m matching ids among n would fetch about
 *     {@code ef(k) * n / m} candidates from the graph to find k matches; it scans the m ids exactly
 *     instead when that is cheaper, i.e. when {@code m * m < graphCandidateCost * ef(k) * n}
 */
public record IndexSettings(
    int hnswThreshold, int m, int efConstruction, int efFloor, double graphCandidateCost) {

  public IndexSettings {
    requireAtLeast("hnswThreshold", hnswThreshold, 1);
    requireAtLeast("m", m, 2);
    requireAtLeast("efConstruction", efConstruction, 1);
    requireAtLeast("efFloor", efFloor, 1);
    if (!(graphCandidateCost >= 0 && graphCandidateCost < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(
          "graphCandidateCost must be finite and not negative, was " + graphCandidateCost);
    }
  }

  /** The measured defaults described above. */
  public static IndexSettings defaults() {
    return new IndexSettings(2_000, 16, 100, 64, 40);
  }

  /** These settings with another {@link #hnswThreshold()}. */
  public IndexSettings withHnswThreshold(int threshold) {
    return new IndexSettings(threshold, m, efConstruction, efFloor, graphCandidateCost);
  }

  /** Whether a filtered search for {@code k} of {@code matching} ids among {@code size} scans. */
  boolean scanFiltered(int k, int matching, int size) {
    return matching <= k || (double) matching * matching < graphCandidateCost * ef(k) * size;
  }

  /** The search beam width for {@code k} results. */
  int ef(int k) {
    return (int) Math.max(efFloor, Math.min(Integer.MAX_VALUE, 2L * k));
  }

  private static void requireAtLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
    }
  }
}

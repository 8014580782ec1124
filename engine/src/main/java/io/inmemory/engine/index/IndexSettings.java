package io.inmemory.engine.index;

/**
 * Tuning of a {@link VectorIndex}. Engine-internal, not API. Immutable and thread-safe.
 *
 * <p>The defaults were measured with {@code io.inmemory.bench.IndexBench} (clustered 384-d unit
 * vectors, k = 10, 2 shared cores, median of 3 runs; {@code mvn -q -o -pl
 * engine,embeddings-onnx,bench package -DskipTests}, then {@code java -cp
 * bench/target/inmemory-bench.jar io.inmemory.bench.IndexBench --sizes
 * 1000,2000,3000,4000,5000,7500,10000,20000,100000 --runs 3}):
 *
 * <ul>
 *   <li>{@code hnswThreshold} 4,000 (measured with plain-Java dot products; the Vector API
 *       speeds both sides up, the cross-over was not re-measured). Exact scan p50 grows linearly, about 0.11 ms per 1,000
 *       vectors (0.34 ms at 3k, 0.45 at 4k, 0.56 at 5k, 1.15 at 10k, 11.5 at 100k); HNSW p50 is
 *       0.29 ms at 2k, 0.32 at 3k, 0.36 at 4k, 0.37 at 5k, 0.45 at 10k, 0.96 at 100k. The curves
 *       cross near 3,000, where the two are equal within the noise; from 4,000 HNSW is clearly
 *       faster (1.26× at 4k, 1.5× at 5k, 2.6× at 10k), and below that the exact scan is as fast,
 *       exact, and spares the graph build (about 0.5 ms of CPU per vector).
 *   <li>{@code m} 16, {@code efConstruction} 100: recall@10 1.0 up to 20k and 0.995 at 100k;
 *       efConstruction 200 gave the same recall (0.9955 vs 0.996 at 100k, ef 128) at twice the
 *       build cost.
 *   <li>{@code efFloor} 64 and {@code efScaleFrom} 100,000, from the beam-width sweep ({@code
 *       index-ef}, bench/results/index-ef.md; one build per set, Vector API dot products). At 100k
 *       real-text vectors recall@10 was 0.961, 0.983, 0.993, 0.996 with ef 32, 64, 96, 128 for
 *       p50 0.37, 0.67, 0.91, 1.19 ms; clustered 0.873, 0.969, 0.987, 0.994 for 0.54, 0.60,
 *       0.79, 0.82 ms. 64 keeps recall@10 above 0.95 on both with p50 well under 1 ms; 96 buys
 *       one more point of recall for a third more time. On 1M clustered vectors the same graph
 *       needs ten times the beam for the same recall (ef 64: 0.636; 512: 0.956, p50 6.2 ms; 768:
 *       0.974): on this data recall follows ef / size, so above {@code efScaleFrom} the beam grows
 *       in proportion to the partition — recall first, at a cost linear in the size (still a few
 *       hundredths of a scan: 1M at ef 640 reads about 2% of the vectors).
 *   <li>{@code filterTestCost} 0.05, {@code graphCandidateCost} 8, fitted to filtered searches
 *       ({@code --filtered-size 20000} and {@code 100000}, filter = a random id set): per id
 *       tested 12 ns at 20k and 80 ns at 100k (cache misses), per match scored 0.4 and 1 µs, per
 *       graph candidate 5 to 6 µs. Graph over-fetch vs exact scan of the matches: 2.6 vs 2.7 ms
 *       (20k, 30% match), 5.9 vs 0.76 ms (20k, 10%), 7.6 vs 20 ms (100k, 10%), 12.7 vs 9.9 ms
 *       (100k, 5%); the rule picks the faster in each of these. Near the switch both cost about
 *       the same, so the precise values matter little.
 * </ul>
 *
 * @param hnswThreshold size from which the index searches an HNSW graph instead of scanning
 *     every vector; the graph is built from the current vectors when the size reaches it
 * @param m HNSW links per node and layer (twice as many on the bottom layer)
 * @param efConstruction HNSW beam width while inserting; higher builds a better graph, slower
 * @param efFloor HNSW search beam width up to {@code efScaleFrom} vectors; a search for k
 *     results uses at least 2k, widened further for filtered searches (see {@link #ef})
 * @param efScaleFrom partition size above which the beam width grows in proportion to the size
 * @param filterTestCost cost of testing one id against the filter in an exact scan, relative
 *     to scoring one matching vector
 * @param graphCandidateCost cost of one candidate fetched from the graph, relative to scoring one
 *     matching vector. A filtered search with m matching ids among n would fetch about
 *     {@code ef(k) * n / m} candidates from the graph to find k matches; it scans instead (test n
 *     ids, score m) when that is estimated cheaper: {@code filterTestCost * n + m <
 *     graphCandidateCost * ef(k) * n / m}
 */
public record IndexSettings(
    int hnswThreshold,
    int m,
    int efConstruction,
    int efFloor,
    int efScaleFrom,
    double filterTestCost,
    double graphCandidateCost) {

  public IndexSettings {
    requireAtLeast("hnswThreshold", hnswThreshold, 1);
    requireAtLeast("m", m, 2);
    requireAtLeast("efConstruction", efConstruction, 1);
    requireAtLeast("efFloor", efFloor, 1);
    requireAtLeast("efScaleFrom", efScaleFrom, 1);
    requireCost("filterTestCost", filterTestCost);
    requireCost("graphCandidateCost", graphCandidateCost);
  }

  /** The measured defaults described above. */
  public static IndexSettings defaults() {
    return new IndexSettings(4_000, 16, 100, 64, 100_000, 0.05, 8);
  }

  /** These settings with another {@link #hnswThreshold()}. */
  public IndexSettings withHnswThreshold(int threshold) {
    return new IndexSettings(threshold, m, efConstruction, efFloor, efScaleFrom, filterTestCost,
        graphCandidateCost);
  }

  /**
   * Whether a filtered search for {@code k} of {@code matching} ids among {@code size} scans
   * rather than walk the graph with beam width {@code ef}.
   */
  boolean scanFiltered(int k, int ef, int matching, int size) {
    return matching <= k
        || filterTestCost * size + matching < graphCandidateCost * ef * size / matching;
  }

  /**
   * The search beam width for {@code k} results among {@code size} vectors: {@code efFloor},
   * times {@code size / efScaleFrom} when that is more than 1, and at least 2k.
   */
  public int ef(int k, int size) {
    double scaled = efFloor * Math.max(1.0, (double) size / efScaleFrom);
    return (int) Math.min(Integer.MAX_VALUE, Math.max(Math.ceil(scaled), 2L * k));
  }

  private static void requireCost(String name, double value) {
    if (!(value >= 0 && value < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(name + " must be finite and not negative, was " + value);
    }
  }

  private static void requireAtLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
    }
  }
}

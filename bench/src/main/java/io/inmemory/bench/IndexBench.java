package io.inmemory.bench;

import io.inmemory.engine.index.IndexSettings;
import io.inmemory.engine.index.Neighbor;
import io.inmemory.engine.index.VectorIndex;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * Latency, recall and insert rate of {@link VectorIndex} in both layouts, exact scan and HNSW, on
 * synthetic clustered unit vectors (like sentence embeddings: topics with spread around them), to
 * find the size where HNSW starts to pay off and the filter selectivity below which an exact scan
 * of the matching ids beats over-fetching from the graph.
 *
 * <p>Options: {@code --sizes 1000,2000,5000,10000,20000,100000} {@code --dim 384}
 * {@code --queries 300} {@code --runs 3} {@code --filtered-size 20000} (0 skips), and HNSW
 * overrides {@code --m}, {@code --ef-construction}, {@code --ef-floor}. Each run builds fresh
 * indexes; every figure printed is the median over the runs. Results on a shared machine are
 * noisy: compare within one invocation.
 *
 * <p>A command-line program, run from one thread.
 */
public final class IndexBench {

  private static final int K = 10;
  private static final int CLUSTERS = 100;
  private static final double NOISE = 0.75;
  private static final double[] SELECTIVITIES = {0.3, 0.1, 0.05, 0.02, 0.01, 0.001};

  private IndexBench() {}

  public static void main(String[] args) {
    Options options = Options.parse(args);
    int[] sizes = options.integers("sizes", "1000,2000,5000,10000,20000,100000");
    int dim = options.integer("dim", 384);
    int queries = options.integer("queries", 300);
    int runs = options.integer("runs", 3);
    int filteredSize = options.integer("filtered-size", 20000);
    IndexSettings base = IndexSettings.defaults();
    IndexSettings defaults = new IndexSettings(base.hnswThreshold(),
        options.integer("m", base.m()), options.integer("ef-construction", base.efConstruction()),
        options.integer("ef-floor", base.efFloor()), base.filterTestCost(),
        base.graphCandidateCost());
    System.out.printf(
        "IndexBench: dim %d, k %d, %d queries, median of %d runs, %d processors, %s%n%n",
        dim, K, queries, runs, Runtime.getRuntime().availableProcessors(), defaults);

    List<List<SizeRow>> sizeRuns = new ArrayList<>();
    List<List<FilterRow>> filterRuns = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      Data data = new Data(dim, new Random(run));
      List<SizeRow> rows = new ArrayList<>();
      for (int size : sizes) {
        rows.add(measureSize(data, size, queries, defaults));
      }
      sizeRuns.add(rows);
      if (filteredSize > 0) {
        filterRuns.add(measureFiltered(data, filteredSize, queries, defaults));
      }
    }
    printSizes(sizes, sizeRuns);
    if (filteredSize > 0) {
      printFiltered(filteredSize, filterRuns);
    }
  }

  record SizeRow(
      double exactP50,
      double exactP99,
      double hnswP50,
      double hnswP99,
      double recall,
      double buildRate,
      double insertRate,
      double exactBytes,
      double hnswBytes) {}

  record FilterRow(double selectivity, double exactP50, double graphP50, double graphRecall) {}

  private static SizeRow measureSize(Data data, int size, int queryCount, IndexSettings defaults) {
    Map<String, float[]> vectors = data.vectors(size);
    List<float[]> queries = data.queries(queryCount);

    long before = usedHeap();
    VectorIndex exact = new VectorIndex(data.dim, defaults.withHnswThreshold(Integer.MAX_VALUE));
    exact.putAll(vectors);
    double exactBytes = (double) (usedHeap() - before) / size;
    Latency exactLatency = time(queries, q -> exact.search(q, K));
    List<List<Neighbor>> truth = new ArrayList<>();
    for (float[] q : queries) {
      truth.add(exact.search(q, K));
    }

    before = usedHeap();
    long start = System.nanoTime();
    VectorIndex graph = new VectorIndex(data.dim, defaults.withHnswThreshold(1));
    graph.putAll(vectors);
    double buildRate = size / ((System.nanoTime() - start) / 1e9);
    double hnswBytes = (double) (usedHeap() - before) / size;
    Latency graphLatency = time(queries, q -> graph.search(q, K));
    double recall = 0;
    for (int i = 0; i < queries.size(); i++) {
      recall += recall(truth.get(i), graph.search(queries.get(i), K));
    }
    recall /= queries.size();

    Map<String, float[]> extra = data.vectors(Math.min(1_000, Math.max(100, size / 10)));
    start = System.nanoTime();
    extra.forEach(graph::put);
    double insertRate = extra.size() / ((System.nanoTime() - start) / 1e9);

    System.out.printf("  size %d done (exact p50 %.3f ms, hnsw p50 %.3f ms, recall %.4f)%n",
        size, exactLatency.p50, graphLatency.p50, recall);
    return new SizeRow(exactLatency.p50, exactLatency.p99, graphLatency.p50, graphLatency.p99,
        recall, buildRate, insertRate, exactBytes, hnswBytes);
  }

  private static List<FilterRow> measureFiltered(
      Data data, int size, int queryCount, IndexSettings defaults) {
    Map<String, float[]> vectors = data.vectors(size);
    List<float[]> queries = data.queries(queryCount);
    // A graph candidate cost of 0 keeps the index on the graph unless at most k ids match.
    IndexSettings neverExact = new IndexSettings(1, defaults.m(), defaults.efConstruction(),
        defaults.efFloor(), defaults.filterTestCost(), 0);
    VectorIndex graph = new VectorIndex(data.dim, neverExact);
    graph.putAll(vectors);
    List<String> ids = new ArrayList<>(vectors.keySet());
    Random random = new Random(size);
    List<FilterRow> rows = new ArrayList<>();
    for (double selectivity : SELECTIVITIES) {
      Collections.shuffle(ids, random);
      int matching = Math.max(1, (int) Math.round(size * selectivity));
      Set<String> allowed = new HashSet<>(ids.subList(0, matching));
      Predicate<String> filter = allowed::contains;
      // A matching count of 1 (not above k) sends the index down its exact path.
      Latency exactLatency = time(queries, q -> graph.search(q, K, filter, 1));
      Latency graphLatency = time(queries, q -> graph.search(q, K, filter, matching));
      double recall = 0;
      for (float[] q : queries) {
        recall += recall(graph.search(q, K, filter, 1), graph.search(q, K, filter, matching));
      }
      rows.add(new FilterRow(selectivity, exactLatency.p50, graphLatency.p50,
          recall / queries.size()));
    }
    return rows;
  }

  private static void printSizes(int[] sizes, List<List<SizeRow>> runs) {
    System.out.println();
    System.out.println("| size | exact p50 ms | exact p99 ms | HNSW p50 ms | HNSW p99 ms"
        + " | recall@10 | HNSW build/s (all cores) | HNSW insert/s (1 thread)"
        + " | heap B/vector exact | heap B/vector HNSW |");
    System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    int crossover = -1;
    for (int i = 0; i < sizes.length; i++) {
      int index = i;
      ToDoubleFunction<ToDoubleFunction<SizeRow>> median =
          field -> median(runs.stream().mapToDouble(r -> field.applyAsDouble(r.get(index))));
      double exactP50 = median.applyAsDouble(SizeRow::exactP50);
      double hnswP50 = median.applyAsDouble(SizeRow::hnswP50);
      System.out.printf("| %d | %.3f | %.3f | %.3f | %.3f | %.4f | %.0f | %.0f | %.0f | %.0f |%n",
          sizes[i], exactP50, median.applyAsDouble(SizeRow::exactP99), hnswP50,
          median.applyAsDouble(SizeRow::hnswP99), median.applyAsDouble(SizeRow::recall),
          median.applyAsDouble(SizeRow::buildRate), median.applyAsDouble(SizeRow::insertRate),
          median.applyAsDouble(SizeRow::exactBytes), median.applyAsDouble(SizeRow::hnswBytes));
      if (crossover < 0 && hnswP50 < exactP50) {
        crossover = sizes[i];
      }
    }
    System.out.println();
    System.out.println(crossover < 0
        ? "HNSW p50 never beat the exact scan at the sizes measured."
        : "Smallest measured size where the HNSW p50 beats the exact scan: " + crossover);
  }

  private static void printFiltered(int size, List<List<FilterRow>> runs) {
    System.out.printf("%nFiltered search, %d vectors, k %d, matching count known:%n%n", size, K);
    System.out.println("| matching fraction | exact scan of matches p50 ms"
        + " | HNSW over-fetch p50 ms | HNSW recall@10 | default rule picks |");
    System.out.println("|---:|---:|---:|---:|---:|");
    IndexSettings defaults = IndexSettings.defaults();
    int ef = Math.max(defaults.efFloor(), 2 * K);
    for (int i = 0; i < SELECTIVITIES.length; i++) {
      int index = i;
      ToDoubleFunction<ToDoubleFunction<FilterRow>> median =
          field -> median(runs.stream().mapToDouble(r -> field.applyAsDouble(r.get(index))));
      double matching = Math.max(1, Math.round(size * SELECTIVITIES[i]));
      // The rule documented on IndexSettings.graphCandidateCost, for this row.
      boolean scan = matching <= K || defaults.filterTestCost() * size + matching
          < defaults.graphCandidateCost() * ef * size / matching;
      System.out.printf("| %.3f | %.3f | %.3f | %.4f | %s |%n", SELECTIVITIES[i],
          median.applyAsDouble(FilterRow::exactP50), median.applyAsDouble(FilterRow::graphP50),
          median.applyAsDouble(FilterRow::graphRecall), scan ? "scan" : "graph");
    }
  }

  record Latency(double p50, double p99) {}

  /** Runs the queries untimed for at least half a second to warm up, then timed; milliseconds. */
  private static Latency time(List<float[]> queries, java.util.function.Consumer<float[]> search) {
    long warmUpEnd = System.nanoTime() + 500_000_000L;
    do {
      queries.forEach(search);
    } while (System.nanoTime() < warmUpEnd);
    long[] nanos = new long[queries.size()];
    for (int i = 0; i < nanos.length; i++) {
      long start = System.nanoTime();
      search.accept(queries.get(i));
      nanos[i] = System.nanoTime() - start;
    }
    return new Latency(Stats.percentileMillis(nanos, 50), Stats.percentileMillis(nanos, 99));
  }

  private static double recall(List<Neighbor> truth, List<Neighbor> found) {
    Set<String> expected = new HashSet<>();
    truth.forEach(n -> expected.add(n.id()));
    return truth.isEmpty() ? 1
        : (double) found.stream().filter(n -> expected.contains(n.id())).count() / truth.size();
  }

  private static double median(java.util.stream.DoubleStream values) {
    double[] sorted = values.sorted().toArray();
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  private static long usedHeap() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Unit vectors scattered around fixed random topic centres, keyed by random UUIDs. */
  private static final class Data {
    final int dim;
    final Random random;
    final Vectors vectors;

    Data(int dim, Random random) {
      this.dim = dim;
      this.random = random;
      this.vectors = new Vectors(dim, CLUSTERS, NOISE, random);
    }

    Map<String, float[]> vectors(int count) {
      Map<String, float[]> byId = new HashMap<>(count * 2);
      for (int i = 0; i < count; i++) {
        byId.put(new UUID(random.nextLong(), random.nextLong()).toString(), vectors.next());
      }
      return byId;
    }

    List<float[]> queries(int count) {
      return List.of(vectors.next(count));
    }
  }
}

package io.inmemory.bench;

import io.inmemory.engine.index.IndexSettings;
import io.inmemory.engine.index.Neighbor;
import io.inmemory.engine.index.VectorIndex;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The recall/latency trade of our HNSW graph: each dataset and size is built once with the given
 * {@code --m} and {@code --ef-construction}, then searched with every beam width of {@code --efs}
 * ({@link VectorIndex#search(float[], int, int)}); p50/p99 of single-thread searches (k = 10,
 * warm) and recall@10 against the exact top 10. This is how the default beam widths of
 * {@link IndexSettings} were chosen. Datasets and their options as for {@link IndexBench}.
 *
 * <pre>{@code
 * java -Xmx14g --add-modules jdk.incubator.vector -jar bench/target/inmemory-bench.jar index-ef \
 *     --datasets real,clustered --sizes 100000,1000000 --efs 16,32,64,96,128,192,256,384,512
 * }</pre>
 *
 * <p>A command-line program, run from one thread (the graph build uses all cores).
 */
public final class EfSweepBench {

  private EfSweepBench() {}

  public static void main(String[] args) {
    Options options = Options.parse(args);
    int[] sizes = options.integers("sizes", "100000");
    int[] efs = options.integers("efs", "16,32,64,96,128,192,256,384,512");
    int queryCount = options.integer("queries", 500);
    // Threshold 1: every size measured is a graph, however small.
    IndexSettings settings = IndexBench.settings(options).withHnswThreshold(1);

    Report report = Report.of("index-ef", "Vector index: recall against latency by beam width",
        args);
    report.note(String.format(Locale.ROOT, "k = %d; graph built once per dataset and size with"
        + " M = %d, efConstruction = %d on all cores, then searched from one thread with each"
        + " beam width ef; %d queries each, after a warm-up.", IndexBench.K, settings.m(),
        settings.efConstruction(), queryCount));
    Report.Table table = report.table("Results", "dataset", "size", "build/s", "ef", "p50 ms",
        "p99 ms", "recall@10");
    Report.Plot plot = report.lines("tradeoff", "Recall@10 against p50 latency, one point per"
        + " beam width", "p50 (ms)", "recall@10");
    for (String name : options.get("datasets", "real,clustered").split(",")) {
      Optional<IndexBench.Dataset> loaded =
          IndexBench.dataset(name, sizes, options.integer("dim", 384), queryCount, options, report);
      if (loaded.isEmpty()) {
        continue;
      }
      IndexBench.Dataset dataset = loaded.get();
      for (int size : sizes) {
        if (size > dataset.documents().length) {
          continue;
        }
        List<Set<String>> truth = IndexBench.truth(dataset, size);
        Map<String, float[]> vectors = new HashMap<>(size * 2);
        for (int i = 0; i < size; i++) {
          vectors.put(IndexBench.id(i), dataset.documents()[i]);
        }
        VectorIndex index = new VectorIndex(dataset.documents()[0].length, settings);
        long start = System.nanoTime();
        index.putAll(vectors);
        double buildRate = size / ((System.nanoTime() - start) / 1e9);
        List<float[]> queries = Arrays.asList(dataset.queries());
        double[] p50s = new double[efs.length];
        double[] recalls = new double[efs.length];
        for (int e = 0; e < efs.length; e++) {
          int ef = efs[e];
          IndexBench.Latency latency =
              IndexBench.time(queries, q -> index.search(q, IndexBench.K, ef));
          double recall = 0;
          for (int q = 0; q < queries.size(); q++) {
            List<String> found = index.search(queries.get(q), IndexBench.K, ef).stream()
                .map(Neighbor::id).toList();
            recall += IndexBench.recall(truth.get(q), found);
          }
          p50s[e] = latency.p50();
          recalls[e] = recall / queries.size();
          System.err.printf(Locale.ROOT, "index-ef: %s %,d ef %d: p50 %.3f ms, p99 %.3f ms,"
              + " recall %.4f%n", name, size, ef, latency.p50(), latency.p99(), recalls[e]);
          table.row(name, size, buildRate, ef, latency.p50(), latency.p99(), recalls[e]);
        }
        plot.series(name + " " + size, p50s, recalls);
      }
    }
    report.write(options);
  }
}

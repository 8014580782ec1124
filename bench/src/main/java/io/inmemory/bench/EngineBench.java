package io.inmemory.bench;

import io.inmemory.AddRequest;
import io.inmemory.InMemoryConfig;
import io.inmemory.SearchRequest;
import io.inmemory.engine.Memory;
import io.inmemory.engine.spi.Embedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Search latency of the engine end to end through {@link Memory#search}, excluding embedding: a
 * table embedder hands out precomputed clustered vectors, so what is timed is validation,
 * partition lookup, index search and result building. One partition (one user) per size.
 *
 * <p>Usage: {@code engine [--sizes 10000,100000] [--queries 2000] [--dim 384]}.
 */
final class EngineBench {
  private EngineBench() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    int[] sizes = options.integers("sizes", "10000,100000");
    int queries = options.integer("queries", 2000);
    int dim = options.integer("dim", 384);

    System.out.println("## Engine search latency, excluding embedding (one partition, limit 10)");
    System.out.println();
    System.out.println("| memories | add rate (memories/s, batches of 1000) | search p50 ms | search p99 ms"
        + " | filtered (10% tag) p50 ms | filtered p99 ms |");
    System.out.println("|---:|---:|---:|---:|---:|---:|");
    for (int size : sizes) {
      run(size, queries, dim);
    }
  }

  private static void run(int size, int queries, int dim) {
    TableEmbedder embedder = new TableEmbedder(dim);
    Vectors vectors = new Vectors(dim, Math.max(10, size / 500), 0.35, new Random(size));
    float[][] corpus = vectors.next(size);
    float[][] probes = vectors.next(queries);
    InMemoryConfig config = InMemoryConfig.builder().isolated()
        .set(InMemoryConfig.STORE, "memory").build();
    try (Memory memory = Memory.builder().config(config).embedder(embedder).build()) {
      long start = System.nanoTime();
      for (int from = 0; from < size; from += 1000) {
        List<AddRequest> batch = new ArrayList<>();
        for (int i = from; i < Math.min(size, from + 1000); i++) {
          String text = "doc " + i;
          embedder.register(text, corpus[i]);
          batch.add(AddRequest.builder(text, "bench").tags(i % 10 == 0 ? "tenth" : "other")
              .build());
        }
        memory.addAll(batch);
      }
      double addRate = size / ((System.nanoTime() - start) / 1e9);
      for (int i = 0; i < queries; i++) {
        embedder.register("query " + i, probes[i]);
      }
      for (int i = 0; i < Math.min(queries, 500); i++) {
        memory.search("query " + i, "bench", 10);
      }
      long[] plain = new long[queries];
      long[] filtered = new long[queries];
      for (int i = 0; i < queries; i++) {
        long t0 = System.nanoTime();
        memory.search("query " + i, "bench", 10);
        plain[i] = System.nanoTime() - t0;
        SearchRequest request = SearchRequest.builder("bench").query("query " + i)
            .tags(List.of("tenth")).build();
        t0 = System.nanoTime();
        memory.search(request);
        filtered[i] = System.nanoTime() - t0;
      }
      System.out.printf("| %,d | %,.0f | %.3f | %.3f | %.3f | %.3f |%n", size, addRate,
          Stats.percentileMillis(plain, 50), Stats.percentileMillis(plain, 99),
          Stats.percentileMillis(filtered, 50), Stats.percentileMillis(filtered, 99));
    }
  }

  /** Hands out precomputed vectors by text, so embedding costs nothing. */
  private static final class TableEmbedder implements Embedder {
    private final int dim;
    private final Map<String, float[]> table = new ConcurrentHashMap<>();
    private final Vectors fallback;

    TableEmbedder(int dim) {
      this.dim = dim;
      this.fallback = new Vectors(dim, 1, 1, new Random(3));
    }

    void register(String text, float[] vector) {
      table.put(text, vector);
    }

    @Override
    public String id() {
      return "table:" + dim;
    }

    @Override
    public int dimension() {
      return dim;
    }

    @Override
    public float[] embedQuery(String text) {
      return table.computeIfAbsent(text, t -> fallback.uniform());
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
      return texts.stream().map(this::embedQuery).toList();
    }
  }
}

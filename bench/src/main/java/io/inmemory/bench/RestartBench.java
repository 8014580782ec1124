package io.inmemory.bench;

import io.inmemory.AddRequest;
import io.inmemory.InMemoryConfig;
import io.inmemory.Limits;
import io.inmemory.engine.Memory;
import io.inmemory.engine.spi.Embedder;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.store.file.FileStoreProvider;
import io.inmemory.store.file.FileStoreSettings;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Time to reopen a file store holding one user's memories, as after an application restart: a
 * fresh JVM opens {@link Memory} on the folder and runs the first search of that user, which
 * loads the partition and its vector index (built, or read if the engine persists it — the bench
 * measures whichever is in place); a second fresh JVM opens the store alone and loads the user's
 * memories. Heap after the load is the used heap after a full GC.
 *
 * <p>The store is created through {@link Memory} with synthetic clustered vectors
 * ({@link Vectors}) from an embedder that hands them out, and WordNet sentences as contents
 * (Debian package {@code wordnet-base}, see {@link Corpus}): reopening never embeds, so the vectors'
 * origin does not matter, and the embedder id stays the same across reopen (another id would
 * re-embed everything). By default one {@code addAll} per size, so the engine builds the HNSW
 * graph once on every core rather than inserting one vector at a time.
 *
 * <p>Usage: {@code restart [--sizes 100000,1000000] [--dim 384] [--runs 3] [--batch <size>]
 * [--slow-seconds 60]} with a heap of about 12 GB for 1M ({@code java -Xmx14g --add-modules jdk.incubator.vector -jar
 * …}). A size
 * whose first reopen takes longer than {@code --slow-seconds} is measured once, to stay within
 * budget. Children inherit the JVM's {@code -Xmx}.
 */
final class RestartBench {
  private static final String USER = "bench";
  private static final String RESULT = "RESULT ";

  private RestartBench() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    int dim = options.integer("dim", 384);
    if (options.get("reopen") != null) {
      reopen(Path.of(options.get("reopen")), options.get("what"), dim,
          options.integer("size", 0));
      return;
    }
    int[] sizes = options.integers("sizes", "100000,1000000");
    int runs = options.integer("runs", 3);
    int slowSeconds = options.integer("slow-seconds", 60);
    Report report = Report.of("restart", "Reopening a file store of one user", args);
    report.note("File store (default settings) in a temporary folder, one user, " + dim
        + "-d clustered synthetic vectors (reopen never embeds) and WordNet sentences as"
        + " contents (repeated with a round number past the 169k distinct ones). Each reopen runs in a fresh JVM"
        + " (same -Xmx): 'engine' = open Memory + first search of the user (loads the partition"
        + " and its vector index); 'store only' = open the store + load the user's memories."
        + " Medians over the runs; every run's figure in the last table.");
    Report.Table table = report.table("Reopen", "memories", "create s", "on disk MiB", "runs",
        "engine open s", "first search s", "engine total s", "heap after load MiB",
        "store open s", "store load s");
    Report.Table spreads = Spread.table(report, "Reopen of each fresh JVM", "memories",
        "measure");
    List<double[]> totals = new ArrayList<>();
    for (int size : sizes) {
      Path folder = Files.createTempDirectory("inmemory-restart-bench");
      try {
        double create = create(folder, size, dim, options.integer("batch", size));
        double diskMib = bytes(folder) / 1048576.0;
        List<Map<String, Double>> engine = new ArrayList<>();
        List<Map<String, Double>> store = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
          engine.add(child(folder, "engine", dim, size));
          store.add(child(folder, "store", dim, size));
          double total = engine.get(run).get("open") + engine.get(run).get("search");
          System.err.printf("reopen %,d, run %d: engine %.1f s, store only %.1f s%n", size,
              run + 1, total, store.get(run).get("open") + store.get(run).get("load"));
          if (run == 0 && total > slowSeconds) {
            break;
          }
        }
        double open = median(engine, "open");
        double search = median(engine, "search");
        table.row(size, create, diskMib, engine.size(), open, search,
            median(engine, "total"), median(engine, "heap"), median(store, "open"),
            median(store, "load"));
        totals.add(new double[] {size, median(engine, "total")});
        spread(engine, "total").row(spreads, size, "engine total s");
        spread(store, "open", "load").row(spreads, size, "store open + load s");
      } finally {
        EngineBench.deleteTree(folder);
      }
    }
    report.lines("reopen", "Reopen: open Memory + first search", "memories", "seconds")
        .logarithmic(true, false)
        .series("engine total", totals.stream().mapToDouble(t -> t[0]).toArray(),
            totals.stream().mapToDouble(t -> t[1]).toArray());
    report.write(options);
  }

  /** Fills the folder with {@code size} memories of one user; returns the seconds it took. */
  private static double create(Path folder, int size, int dim, int batch) {
    long t0 = System.nanoTime();
    List<String> sentences = Corpus.wordnetSentences(Corpus.WORDNET);
    try (Memory memory = Memory.builder().config(config(folder))
        .embedder(new ClusteredEmbedder(dim, size)).build()) {
      for (int from = 0; from < size; from += batch) {
        List<AddRequest> requests = new ArrayList<>(Math.min(batch, size - from));
        for (int i = from; i < Math.min(size, from + batch); i++) {
          requests.add(AddRequest.builder(content(sentences, i), USER).build());
        }
        memory.addAll(requests);
        System.err.printf("created %,d/%,d memories (%.0f s)%n", from + requests.size(), size,
            (System.nanoTime() - t0) / 1e9);
      }
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * The text of memory {@code i}: a WordNet sentence, so that the store's records and the
   * engine's keyword index are as large as real memories make them; past the distinct sentences
   * they repeat with their round number.
   */
  static String content(List<String> sentences, int i) {
    String sentence = sentences.get(i % sentences.size());
    int round = i / sentences.size();
    return round == 0 ? sentence : sentence + " (" + round + ")";
  }

  /** Runs one reopen in a fresh JVM; returns its measures in seconds (heap in MiB). */
  private static Map<String, Double> child(Path folder, String what, int dim, int size)
      throws IOException, InterruptedException {
    return parse(ChildJvm.run(RestartBench.class, List.of("--reopen", folder.toString(),
        "--what", what, "--dim", Integer.toString(dim), "--size", Integer.toString(size)),
        RESULT));
  }

  /** Parses {@code key=value} pairs separated by spaces. */
  static Map<String, Double> parse(String line) {
    Map<String, Double> values = new HashMap<>();
    for (String pair : line.trim().split(" +")) {
      int eq = pair.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("not key=value: " + pair);
      }
      values.put(pair.substring(0, eq), Double.parseDouble(pair.substring(eq + 1)));
    }
    return values;
  }

  /** In the child JVM: one timed reopen, printed as a {@value #RESULT} line. */
  private static void reopen(Path folder, String what, int dim, int size) {
    long t0 = System.nanoTime();
    if (what.equals("engine")) {
      try (Memory memory = Memory.builder().config(config(folder))
          .embedder(new ClusteredEmbedder(dim, size)).build()) {
        long t1 = System.nanoTime();
        int hits = memory.search("a first question", USER, 10).hits().size();
        long t2 = System.nanoTime();
        if (hits != Math.min(10, size)) {
          throw new IllegalStateException("the first search found " + hits + " memories");
        }
        System.out.printf("%sopen=%f search=%f total=%f heap=%f%n", RESULT, (t1 - t0) / 1e9,
            (t2 - t1) / 1e9, (t2 - t0) / 1e9, usedHeapMib());
      }
    } else {
      try (MemoryStore store = new FileStoreProvider().open(config(folder))) {
        long t1 = System.nanoTime();
        int loaded = store.load(new PartitionKey(PartitionKey.DEFAULT_NAMESPACE, USER)).size();
        long t2 = System.nanoTime();
        if (loaded != size) {
          throw new IllegalStateException("loaded " + loaded + " memories, not " + size);
        }
        System.out.printf("%sopen=%f load=%f%n", RESULT, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
      }
    }
  }

  private static double usedHeapMib() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
  }

  private static InMemoryConfig config(Path folder) {
    // One addAll fills the store (--batch defaults to the whole size, up to 1M): the most allowed.
    return InMemoryConfig.builder().isolated().set(InMemoryConfig.STORE, FileStoreProvider.NAME)
        .set(FileStoreSettings.DIR.name(), folder.toString())
        .set(Limits.MAX_BATCH_SIZE, 10_000_000).build();
  }

  private static long bytes(Path folder) throws IOException {
    try (Stream<Path> paths = Files.walk(folder)) {
      return paths.filter(Files::isRegularFile).mapToLong(path -> path.toFile().length()).sum();
    }
  }

  /** The sum of {@code measures} in each run. */
  private static Spread spread(List<Map<String, Double>> runs, String... measures) {
    return Spread.of(runs.stream().mapToDouble(run -> Arrays.stream(measures)
        .mapToDouble(run::get).sum()).toArray());
  }

  private static double median(List<Map<String, Double>> runs, String measure) {
    return spread(runs, measure).median();
  }

  /**
   * Hands out clustered synthetic unit vectors; the same id for every instance of a dimension,
   * so a reopened engine accepts the stored embeddings. Thread-safe.
   */
  static final class ClusteredEmbedder implements Embedder {
    private final int dim;
    private final Vectors vectors;

    ClusteredEmbedder(int dim, int size) {
      this.dim = dim;
      this.vectors = new Vectors(dim, Math.max(10, size / 500), 0.35, new Random(size));
    }

    @Override
    public String id() {
      return "bench-clustered:" + dim;
    }

    @Override
    public int dimension() {
      return dim;
    }

    @Override
    public synchronized float[] embedQuery(String text) {
      return vectors.next();
    }

    @Override
    public synchronized List<float[]> embedDocuments(List<String> texts) {
      return List.of(vectors.next(texts.size()));
    }
  }
}

package io.inmemory.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.embeddings.onnx.OnnxEmbedder;
import io.inmemory.engine.index.IndexSettings;
import io.inmemory.engine.index.Neighbor;
import io.inmemory.engine.index.VectorIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/**
 * Our {@link VectorIndex} ({@link IndexSettings#defaults()}: exact below 4k vectors, HNSW above)
 * side by side with its peers — an exact scan of a {@code float[][]} and LangChain4j's
 * {@code InMemoryEmbeddingStore} — on the same vectors and queries in the same run: bulk add rate
 * (ours builds its graph on all cores), single-thread insert rate into the filled store, search
 * p50/p99 (k = 10, warm), recall@10 against the exact top 10, and heap bytes per vector (used-heap
 * delta after full GCs, ids of 36 characters included). Every figure is the median over
 * {@code --runs}; speed-ups are ratios of those medians. A filtered-search table (clustered
 * vectors) compares the exact scan of the matching ids with over-fetching from the graph.
 *
 * <p>Datasets ({@code --datasets real,clustered,uniform}):
 *
 * <ul>
 *   <li>{@code real}: WordNet sentences embedded by the default model, read from the cache that
 *       {@code corpus} writes (see {@link Corpus}); queries are held-out sentences. Only sizes the
 *       cache holds are measured.
 *   <li>{@code clustered}: synthetic unit vectors around 100 random centres ({@link Vectors}).
 *   <li>{@code uniform}: uniformly random unit vectors, the known worst case of graph indexes,
 *       reported for honesty and not tuned for; sizes {@code --uniform-sizes 10000,100000}.
 * </ul>
 *
 * <p>The full run (about 40 minutes on 2 quiet cores, most of it building the 1M graph), with the
 * Vector API as a deployment should run it (without the flag the dot products run in plain Java,
 * 2 to 3.5 times slower; the report names which), after building the jar with {@code mvn -q -o -pl bench package -DskipTests} and
 * generating the corpus once ({@code java -jar bench/target/inmemory-bench.jar corpus --size
 * 100000}, about 9 minutes):
 *
 * <pre>{@code
 * java -Xmx14g --add-modules jdk.incubator.vector -jar bench/target/inmemory-bench.jar index \
 *     --sizes 10000,100000,1000000 --runs 3
 * }</pre>
 *
 * <p>Other options: {@code --queries 500} (ours), {@code --peer-queries 200} (the other systems,
 * scaled down in proportion above 100k: 20 at 1M), {@code --inserts 500} single-thread inserts
 * (the query vectors, under new ids), {@code --dim 384} (synthetic sets), {@code --large-runs 1}
 * (runs at 1M and above), {@code --filtered-size 20000} (0 skips), {@code --cache} and {@code --model} (as for {@code corpus}), HNSW overrides
 * {@code --m}, {@code --ef-construction}, {@code --ef-floor}, {@code --ef-scale-from}, {@code --mem0-sizes 10000} (mem0 on
 * the real dataset, 0 skips) with {@code --mem0 bench/peers/mem0}, and {@code --out} for the
 * report folder. A command-line program, run from one thread.
 *
 * <p><b>{@code --jvms N}</b> measures InMemory alone, once in each of N fresh JVMs (N of at least
 * {@value #MIN_JVMS} for the targets to count), and writes {@code index-jvms.md|json|png}: each
 * JVM's figures, their min / median / max with the runs a factor of two from the median flagged,
 * a chart of p50 and p99 by JVM and issue 11's targets at 100k — the distribution a median of
 * three hides. About 40 s per JVM at 100k on 2 quiet cores:
 *
 * <pre>{@code
 * java -Xmx10g --add-modules jdk.incubator.vector -jar bench/target/inmemory-bench.jar index \
 *     --jvms 10 --datasets clustered --sizes 100000
 * }</pre>
 */
public final class IndexBench {
  static final int K = 10;
  static final String OURS = "InMemory";
  /** Fresh JVMs a {@code --jvms} distribution needs before its targets can pass. */
  static final int MIN_JVMS = 10;

  private static final String CHILD_SYSTEM = "child-system";
  private static final String CHILD_DATASET = "child-dataset";
  private static final String CHILD_SIZE = "child-size";
  private static final String CHILD_TRUTH = "child-truth";
  private static final String ROW = "ROW ";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final com.sun.management.ThreadMXBean ALLOCATIONS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private static final int CLUSTERS = 100;
  private static final double NOISE = 0.75;
  private static final double[] SELECTIVITIES = {0.3, 0.1, 0.05, 0.02, 0.01, 0.001};
  private static final int MIN_PEER_QUERIES = 20;

  private IndexBench() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    Options options = Options.parse(args);
    if (options.get(CHILD_SYSTEM) != null) {
      measureInChild(options);
      return;
    }
    int queryCount = options.integer("queries", 500);
    int runs = options.integer("runs", 3);
    IndexSettings settings = settings(options);
    int jvms = options.integer("jvms", 0);
    if (jvms > 0) {
      Report report = Report.of("index-jvms", "index", "Vector index: InMemory alone in "
          + jvms + " fresh JVMs", args);
      report.note(String.format(Locale.ROOT, "k = %d; %s; InMemory alone, once in each of %d"
              + " fresh JVMs with the same options on the same vectors: bulk add, %d searches"
              + " (after half a second of warm-up), then %d single-thread inserts. Allocation:"
              + " bytes the searching thread allocated per timed search, which noise does not"
              + " move: a JVM whose dot products fell off the Vector API's intrinsics allocates"
              + " vectors on every step.", K, settings, jvms, queryCount,
          Math.min(queryCount, options.integer("inserts", 500))));
      List<List<Row>> distributions = new ArrayList<>();
      forEachSize(options, report, (dataset, size) -> distributions.add(
          childRuns(dataset, size, jvms, args, List.of(OURS)).get(OURS)));
      reportDistributions(report, distributions);
      report.write(options);
      return;
    }
    int peerQueries = options.integer("peer-queries", 200);
    int inserts = Math.min(queryCount, options.integer("inserts", 500));
    int filteredSize = options.integer("filtered-size", 20_000);

    Report report = Report.of("index",
        "Vector index: InMemory vs exact scan vs LangChain4j (and mem0 on real text)", args);
    report.note(String.format(Locale.ROOT, "k = %d; %s; median of %d runs (%d at 1M) on the same vectors,"
            + " each system and run in a fresh JVM with the same options (so that no system runs"
            + " with JIT profiles or garbage left by another);"
            + " InMemory answers %d queries, the other systems %d (fewer above 100k, in"
            + " proportion); %d single-thread inserts after the searches. Heap per vector: used"
            + " heap after full GCs, before and after filling, ids of 36 characters included.",
        K, settings, runs, options.integer("large-runs", 1), queryCount, peerQueries, inserts));
    Mem0 mem0 = Mem0.of(options, report);
    List<Row> rows = new ArrayList<>();
    List<List<Row>> allRuns = new ArrayList<>();
    forEachSize(options, report, (dataset, size) -> {
      // A 1M graph takes minutes to build: measured --large-runs times (1 by default).
      int sizeRuns = size >= 1_000_000 ? options.integer("large-runs", 1) : runs;
      for (List<Row> systemRuns : childRuns(dataset, size, sizeRuns, args,
          peers(dataset.documents()[0].length, settings).keySet()).values()) {
        rows.add(Row.median(systemRuns));
        allRuns.add(systemRuns);
      }
      mem0.measure(dataset, size, peerQueries).ifPresent(rows::add);
    });
    reportSizes(report, rows);
    reportRuns(report, allRuns);
    if (filteredSize > 0) {
      reportFiltered(report, filteredSize, options.integer("dim", 384), queryCount, runs,
          settings);
    }
    report.write(options);
  }

  /** A measurement of one dataset at one size. */
  @FunctionalInterface
  private interface SizeMeasurement {
    void measure(Dataset dataset, int size) throws IOException, InterruptedException;
  }

  /**
   * Runs {@code measurement} for every dataset of {@code --datasets} and each of its sizes
   * ({@code --sizes}, {@code --uniform-sizes}) that the dataset holds, in order.
   */
  private static void forEachSize(Options options, Report report, SizeMeasurement measurement)
      throws IOException, InterruptedException {
    int[] sizes = options.integers("sizes", "10000,100000");
    int[] uniformSizes = options.integers("uniform-sizes", "10000,100000");
    for (String name : options.get("datasets", "real,clustered,uniform").split(",")) {
      int[] wanted = name.equals("uniform") ? uniformSizes : sizes;
      Optional<Dataset> loaded = dataset(name, wanted, options.integer("dim", 384),
          options.integer("queries", 500), options, report);
      if (loaded.isPresent()) {
        for (int size : wanted) {
          if (size <= loaded.get().documents().length) {
            measurement.measure(loaded.get(), size);
          }
        }
      }
    }
  }

  /**
   * The systems measured in the JVM, by name, ours first. Another peer is one more line (mem0
   * runs in Node.js, see {@link Mem0}).
   */
  static Map<String, Supplier<Peer>> peers(int dimension, IndexSettings settings) {
    Map<String, Supplier<Peer>> peers = new LinkedHashMap<>();
    peers.put(OURS, () -> new OursPeer(OURS, dimension, settings));
    peers.put(ExactScan.NAME, ExactScan::new);
    peers.put(LangChain4jPeer.NAME, LangChain4jPeer::new);
    return peers;
  }

  /**
   * The vectors of one dataset: enough documents for its largest measured size, and queries; with
   * their texts when the dataset is real text (empty lists otherwise).
   */
  record Dataset(String name, float[][] documents, float[][] queries,
      List<String> documentTexts, List<String> queryTexts) {

    Dataset(String name, float[][] documents, float[][] queries) {
      this(name, documents, queries, List.of(), List.of());
    }
  }

  /**
   * One system's figures at one dataset and size: one run's, or the median of several.
   * {@code searchAllocation} is the bytes the searching thread allocated per timed search (NaN
   * where not measured): a figure noise cannot move, which tells a JVM whose dot products fell
   * off the Vector API's intrinsics (each step then allocates its vectors) from a merely slow one.
   */
  record Row(String dataset, int size, String system, double addRate, double insertRate,
      double p50, double p99, double recall, double heapBytes, int queries,
      double searchAllocation) {

    /** The median of each figure over rows of the same dataset, size and system. */
    static Row median(List<Row> runs) {
      Row first = runs.get(0);
      ToDoubleFunction<ToDoubleFunction<Row>> median =
          field -> Stats.median(runs.stream().mapToDouble(field).toArray());
      return new Row(first.dataset, first.size, first.system, median.applyAsDouble(Row::addRate),
          median.applyAsDouble(Row::insertRate), median.applyAsDouble(Row::p50),
          median.applyAsDouble(Row::p99), median.applyAsDouble(Row::recall),
          median.applyAsDouble(Row::heapBytes), first.queries,
          median.applyAsDouble(Row::searchAllocation));
    }
  }

  /**
   * mem0's open-source engine (npm {@code mem0ai}, run by {@link Mem0Peer} in Node.js) on the real
   * dataset: the same texts and the same vectors (its embedder looks them up), in its fastest
   * mode (vectors in memory, no history), once per size of {@code --mem0-sizes} (default 10,000;
   * its search is a linear scan in JavaScript). Skipped with a note when the peer is not
   * installed ({@code bench/peers/mem0/install.sh}) or {@code --mem0-sizes 0}.
   */
  private record Mem0(Path folder, Set<Integer> sizes) {
    static final String FOLDER = "bench/peers/mem0";

    static Mem0 of(Options options, Report report) {
      Path folder = Path.of(options.get("mem0", FOLDER));
      Set<Integer> sizes = new HashSet<>();
      Arrays.stream(options.integers("mem0-sizes", "10000")).filter(size -> size > 0)
          .forEach(sizes::add);
      if (!sizes.isEmpty() && !Files.isDirectory(folder.resolve("node_modules/mem0ai"))) {
        report.note("mem0 skipped: its npm package is not installed in " + folder
            + " (run `" + folder.resolve("install.sh") + "` once).");
        sizes.clear();
      } else if (!sizes.isEmpty()) {
        report.note("mem0 (npm `mem0ai`, its open-source `Memory`, Node.js in a child process,"
            + " offline) is given the same texts and the same vectors (its embedder looks them"
            + " up), in its fastest mode: vectors in memory, no history. Its search fuses a vector"
            + " scan with a keyword score over the texts, so its recall against the exact vector"
            + " top 10 measures a different ranking, not an approximation; its heap is in"
            + " another process and not shown.");
      }
      return new Mem0(folder, sizes);
    }

    /**
     * mem0's figures at this size, when measured here: add rate, p50/p99 and recall@10 against
     * the exact top 10 of the vectors (mem0 also mixes a keyword score into its ranking, which
     * costs it recall against that truth); its heap lives in another process and is not shown.
     */
    Optional<Row> measure(Dataset dataset, int size, int peerQueries) {
      if (!sizes.contains(size) || dataset.documentTexts().isEmpty()) {
        return Optional.empty();
      }
      List<Mem0Peer.Doc> docs = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        docs.add(new Mem0Peer.Doc(id(i), dataset.documentTexts().get(i), dataset.documents()[i]));
      }
      int count = othersQueries(peerQueries, size, dataset.queries().length);
      List<Mem0Peer.Query> queries = new ArrayList<>(count);
      for (int q = 0; q < count; q++) {
        queries.add(new Mem0Peer.Query(dataset.queryTexts().get(q), dataset.queries()[q]));
      }
      System.err.printf(Locale.ROOT, "index: %s %,d mem0 (%d queries)%n", dataset.name(), size,
          count);
      Mem0Peer.Result result;
      try {
        result = Mem0Peer.run(folder, docs, queries, Mem0Peer.Settings.fastest(K,
            Duration.ofMinutes(60)));
      } catch (IOException e) {
        throw new UncheckedIOException("mem0 peer failed", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while mem0 ran", e);
      }
      double recall = 0;
      for (int q = 0; q < count; q++) {
        Set<String> truth = new HashSet<>();
        for (int position : ExactScan.topK(dataset.documents(), size, dataset.queries()[q], K)) {
          truth.add(id(position));
        }
        recall += recall(truth, result.topIds().get(q));
      }
      return Optional.of(new Row(dataset.name(), size, "mem0 " + result.version(),
          result.addsPerSecond(), Double.NaN, result.p50Millis(), result.p99Millis(),
          recall / count, Double.NaN, count, Double.NaN));
    }
  }

  /** One target of the issue checked against a measured figure. */
  record Check(String target, String dataset, double measured, double goal, boolean pass) {}

  static Optional<Dataset> dataset(String name, int[] sizes, int dim, int queryCount,
      Options options, Report report) {
    int largest = Arrays.stream(sizes).max().orElse(0);
    switch (name) {
      case "clustered" -> {
        Vectors vectors = new Vectors(dim, CLUSTERS, NOISE, new Random(1));
        System.err.printf(Locale.ROOT, "index: generating %,d clustered vectors%n", largest);
        return Optional.of(new Dataset(name, vectors.next(largest), vectors.next(queryCount)));
      }
      case "uniform" -> {
        Vectors vectors = new Vectors(dim, 1, 1, new Random(2));
        float[][] documents = new float[largest][];
        Arrays.setAll(documents, i -> vectors.uniform());
        float[][] queries = new float[queryCount][];
        Arrays.setAll(queries, i -> vectors.uniform());
        return Optional.of(new Dataset(name, documents, queries));
      }
      case "real" -> {
        return realDataset(sizes, queryCount, options, report);
      }
      default -> throw new IllegalArgumentException("unknown dataset " + name
          + ": expected real, clustered or uniform");
    }
  }

  private static Optional<Dataset> realDataset(int[] sizes, int queryCount, Options options,
      Report report) {
    Path cache = Corpus.cacheFolder(options);
    String embedderId;
    try (OnnxEmbedder embedder = Corpus.embedder(options)) {
      embedderId = embedder.id();
    }
    int documents = Corpus.available(cache, embedderId, Corpus.DOCS);
    int queries = Math.min(queryCount, Corpus.available(cache, embedderId, Corpus.QUERIES));
    int largest = Arrays.stream(sizes).filter(size -> size <= documents).max().orElse(0);
    if (largest == 0 || queries == 0) {
      report.note(String.format(Locale.ROOT, "Dataset real skipped: the cache %s holds %,d"
              + " documents and %,d queries embedded by %s; generate them with `java -jar"
              + " bench/target/inmemory-bench.jar corpus --size %d`.", cache, documents, queries,
          embedderId, Arrays.stream(sizes).max().orElse(0)));
      return Optional.empty();
    }
    if (largest < Arrays.stream(sizes).max().orElse(0)) {
      report.note(String.format(Locale.ROOT, "Dataset real: measured up to the %,d cached"
          + " documents only. 1M real texts are out of reach here: WordNet's glosses give 169k"
          + " distinct sentences (GCIDE would add about 350k, still short of 1M), and"
          + " embedding 1M texts at the 190 to 350 texts/s measured here takes 50 to 90"
          + " minutes; the 1M figures use clustered vectors (see bench/corpus/README.md).",
          documents));
    }
    System.err.printf(Locale.ROOT, "index: loading %,d real vectors from %s%n", largest, cache);
    return Optional.of(new Dataset("real",
        Corpus.load(cache, embedderId, Corpus.DOCS, largest).orElseThrow(),
        Corpus.load(cache, embedderId, Corpus.QUERIES, queries).orElseThrow(),
        Corpus.loadTexts(cache, embedderId, Corpus.DOCS, largest).orElseThrow(),
        Corpus.loadTexts(cache, embedderId, Corpus.QUERIES, queries).orElseThrow()));
  }

  /**
   * Measures each of {@code systems} {@code runs} times at one dataset and size, every run in a
   * fresh JVM, the systems taking turns; returns their rows by system, in run order.
   */
  private static Map<String, List<Row>> childRuns(Dataset dataset, int size, int runs,
      String[] args, Collection<String> systems) throws IOException, InterruptedException {
    List<Set<String>> truth = truth(dataset, size);
    Path truthFile = Files.createTempFile("inmemory-index-truth", ".txt");
    try {
      Files.write(truthFile, truth.stream().map(ids -> String.join(" ", ids)).toList());
      Map<String, List<Row>> bySystem = new LinkedHashMap<>();
      for (int run = 0; run < runs; run++) {
        for (String system : systems) {
          List<String> childArgs = new ArrayList<>(List.of(args));
          childArgs.addAll(List.of("--" + CHILD_SYSTEM, system, "--" + CHILD_DATASET,
              dataset.name(), "--" + CHILD_SIZE, Integer.toString(size), "--" + CHILD_TRUTH,
              truthFile.toString()));
          Row row = JSON.readValue(ChildJvm.run(IndexBench.class, childArgs, ROW), Row.class);
          System.err.printf(Locale.ROOT, "index: %s %,d run %d %s: add %.0f/s, insert %.0f/s,"
                  + " p50 %.3f ms, p99 %.3f ms, recall %.4f, %.0f B/vector, %.0f B allocated"
                  + " per search%n", dataset.name(), size, run + 1, row.system(), row.addRate(),
              row.insertRate(), row.p50(), row.p99(), row.recall(), row.heapBytes(),
              row.searchAllocation());
          bySystem.computeIfAbsent(row.system(), s -> new ArrayList<>()).add(row);
        }
      }
      return bySystem;
    } finally {
      Files.deleteIfExists(truthFile);
    }
  }

  /** The defaults with the HNSW overrides given as options. */
  static IndexSettings settings(Options options) {
    IndexSettings base = IndexSettings.defaults();
    return new IndexSettings(base.hnswThreshold(),
        options.integer("m", base.m()), options.integer("ef-construction", base.efConstruction()),
        options.integer("ef-floor", base.efFloor()),
        options.integer("ef-scale-from", base.efScaleFrom()), base.filterTestCost(),
        base.graphCandidateCost());
  }

  /**
   * In a child JVM: loads the dataset as the parent did (same options, same seeds, so the same
   * vectors), reads the parent's exact top 10, measures one system once and prints its row as
   * one {@value #ROW} line of JSON.
   */
  private static void measureInChild(Options options) throws IOException {
    String name = options.get(CHILD_DATASET);
    int[] wanted = options.integers(name.equals("uniform") ? "uniform-sizes" : "sizes",
        "10000,100000");
    int queryCount = options.integer("queries", 500);
    Dataset dataset = dataset(name, wanted, options.integer("dim", 384), queryCount, options,
        Report.of("index", "child", new String[0])).orElseThrow();
    int size = options.integer(CHILD_SIZE, 0);
    List<Set<String>> truth = Files.readAllLines(Path.of(options.get(CHILD_TRUTH))).stream()
        .map(line -> Set.of(line.split(" "))).toList();
    IndexSettings settings = settings(options);
    Supplier<Peer> factory = peers(dataset.documents()[0].length, settings)
        .get(options.get(CHILD_SYSTEM));
    int inserts = Math.min(queryCount, options.integer("inserts", 500));
    Row row = measure(factory, dataset, size, truth,
        othersQueries(options.integer("peer-queries", 200), size, dataset.queries().length),
        Arrays.copyOf(dataset.queries(), inserts));
    System.out.println(ROW + JSON.writeValueAsString(row));
  }

  /** The ids of the exact top {@link #K} of each query among the first {@code size} documents. */
  static List<Set<String>> truth(Dataset dataset, int size) {
    System.err.printf(Locale.ROOT, "index: %s %,d: exact top %d of %d queries%n",
        dataset.name(), size, K, dataset.queries().length);
    return IntStream.range(0, dataset.queries().length).parallel()
        .mapToObj(q -> {
          Set<String> ids = new HashSet<>();
          for (int position : ExactScan.topK(dataset.documents(), size, dataset.queries()[q], K)) {
            ids.add(id(position));
          }
          return ids;
        }).toList();
  }

  /** How many queries the systems other than ours answer: fewer above 100k, at least 20. */
  static int othersQueries(int peerQueries, int size, int available) {
    long scaled = (long) peerQueries * 100_000 / Math.max(size, 100_000);
    return (int) Math.min(available, Math.max(Math.min(peerQueries, MIN_PEER_QUERIES), scaled));
  }

  private static Row measure(Supplier<Peer> factory, Dataset dataset, int size,
      List<Set<String>> truth, int othersQueries, float[][] extra) {
    long before = usedHeap();
    try (Peer peer = factory.get()) {
      double addRate = fill(peer, dataset.documents(), size);
      double heap = (double) (usedHeap() - before) / size;
      boolean ours = peer.name().equals(OURS);
      List<float[]> queries =
          Arrays.asList(dataset.queries()).subList(0, ours ? truth.size() : othersQueries);
      Latency latency = time(queries, q -> peer.search(q, K));
      double recall = 0;
      for (int q = 0; q < queries.size(); q++) {
        recall += recall(truth.get(q), peer.search(queries.get(q), K));
      }
      long start = System.nanoTime();
      for (int i = 0; i < extra.length; i++) {
        peer.add(id(size + i), extra[i]);
      }
      double insertRate = extra.length / ((System.nanoTime() - start) / 1e9);
      return new Row(dataset.name(), size, peer.name(), addRate, insertRate, latency.p50(),
          latency.p99(), recall / queries.size(), heap, queries.size(),
          latency.allocatedBytes());
    }
  }

  /** Adds the first {@code size} documents in bulk under fresh ids; returns vectors per second. */
  private static double fill(Peer peer, float[][] documents, int size) {
    List<String> ids = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      ids.add(id(i));
    }
    long start = System.nanoTime();
    peer.addAll(ids, Arrays.asList(documents).subList(0, size));
    return size / ((System.nanoTime() - start) / 1e9);
  }

  /** The id of the document at {@code position}: a new string of a UUID's 36 characters. */
  static String id(int position) {
    return new UUID(0, position).toString();
  }

  private static void reportSizes(Report report, List<Row> rows) {
    Report.Table table = report.table("Results (medians)", "dataset", "size", "system",
        "add/s (bulk)", "insert/s (1 thread)", "p50 ms", "p99 ms", "recall@10", "heap B/vector",
        "queries");
    rows.forEach(r -> table.row(r.dataset(), r.size(), r.system(), r.addRate(), r.insertRate(),
        r.p50(), r.p99(), r.recall(), r.heapBytes(), r.queries()));

    List<String> systems = rows.stream().map(Row::system).distinct().toList();
    List<String> others = systems.stream().filter(s -> !s.equals(OURS)).toList();
    List<String> columns = new ArrayList<>(List.of("dataset", "size"));
    others.forEach(o -> columns.addAll(List.of("vs " + o + " p50", "vs " + o + " p99")));
    Report.Table speedups = report.table("Speed-up of InMemory search (times faster, ratio of"
        + " medians)", columns.toArray(String[]::new));
    List<String> categories = new ArrayList<>();
    Map<String, double[]> bars = new LinkedHashMap<>();
    List<List<Row>> groups = groups(rows);
    for (List<Row> group : groups) {
      Row ours = find(group, OURS);
      if (ours == null) {
        continue;
      }
      List<Object> cells = new ArrayList<>(List.of(ours.dataset(), ours.size()));
      categories.add(ours.dataset() + " " + ours.size());
      for (String other : others) {
        Row peer = find(group, other);
        double p50 = peer == null ? Double.NaN : peer.p50() / ours.p50();
        double p99 = peer == null ? Double.NaN : peer.p99() / ours.p99();
        cells.add(p50);
        cells.add(p99);
        bars.computeIfAbsent("vs " + other + " p50", k -> new double[groups.size()]);
        bars.computeIfAbsent("vs " + other + " p99", k -> new double[groups.size()]);
        // A chart has no "missing": a peer absent at this size shows as no bar.
        bars.get("vs " + other + " p50")[categories.size() - 1] = peer == null ? 0 : p50;
        bars.get("vs " + other + " p99")[categories.size() - 1] = peer == null ? 0 : p99;
      }
      speedups.row(cells.toArray());
    }

    Report.Table targets = report.table("Targets (issue 6; uniform vectors excluded)", "target",
        "dataset", "measured", "goal", "verdict");
    checks(rows).forEach(c -> targets.row(c.target(), c.dataset(), c.measured(), c.goal(),
        c.pass() ? "pass" : "MISS"));

    for (String dataset : rows.stream().map(Row::dataset).distinct().toList()) {
      Report.Plot plot = report.lines("latency-" + dataset, "Search latency, " + dataset
          + " vectors (k = 10)", "vectors", "ms").logarithmic(true, true);
      for (String system : systems) {
        List<Row> series = rows.stream()
            .filter(r -> r.dataset().equals(dataset) && r.system().equals(system)).toList();
        if (!series.isEmpty()) {
          double[] x = series.stream().mapToDouble(Row::size).toArray();
          plot.series(system + " p50", x, series.stream().mapToDouble(Row::p50).toArray());
          plot.series(system + " p99", x, series.stream().mapToDouble(Row::p99).toArray());
        }
      }
    }
    Report.Plot recall = report.lines("recall", "Recall@10 against the exact top 10", "vectors",
        "recall@10").logarithmic(true, false);
    rows.stream().map(r -> r.dataset() + " " + r.system()).distinct().forEach(label -> {
      List<Row> series = rows.stream()
          .filter(r -> label.equals(r.dataset() + " " + r.system())).toList();
      recall.series(label, series.stream().mapToDouble(Row::size).toArray(),
          series.stream().mapToDouble(Row::recall).toArray());
    });
    if (!categories.isEmpty() && !bars.isEmpty()) {
      Report.Plot plot = report.bars("speedup", "InMemory search speed-up (times faster)",
          "dataset and size", "times").categories(categories.toArray(String[]::new));
      bars.forEach((label, values) -> plot.series(label,
          Arrays.copyOf(values, categories.size())));
    }
  }

  /** The index targets, checked at 100k and 1M on every dataset but uniform. */
  static List<Check> checks(List<Row> rows) {
    List<Check> checks = new ArrayList<>();
    for (List<Row> group : groups(rows)) {
      Row ours = find(group, OURS);
      if (ours == null || ours.dataset().equals("uniform")) {
        continue;
      }
      String dataset = ours.dataset();
      if (ours.size() == 100_000) {
        checks.add(atMost("100k: search p50 ms", dataset, ours.p50(), 1));
        checks.add(atLeast("100k: recall@10", dataset, ours.recall(), 0.95));
        checks.add(atLeast("100k: inserts/s (1 thread)", dataset, ours.insertRate(), 2_500));
        Row langChain = find(group, LangChain4jPeer.NAME);
        if (langChain != null) {
          double speedup = langChain.p50() / ours.p50();
          checks.add(new Check("100k: p50 speed-up vs LangChain4j, recall@10 >= 0.95", dataset,
              speedup, 20, speedup >= 20 && ours.recall() >= 0.95));
        }
      } else if (ours.size() == 1_000_000) {
        checks.add(atMost("1M: search p50 ms", dataset, ours.p50(), 3));
        checks.add(atLeast("1M: recall@10", dataset, ours.recall(), 0.95));
        checks.add(atMost("1M: heap bytes per vector", dataset, ours.heapBytes(), 2_500));
      }
    }
    return checks;
  }

  /**
   * Every run of every system behind the medians, one figure a row: the spread that a median of
   * three hides, runs a factor of two from the median flagged.
   */
  private static void reportRuns(Report report, List<List<Row>> allRuns) {
    Report.Table table = Spread.table(report, "Runs behind the medians (each run in a fresh"
        + " JVM)", "dataset", "size", "system", "figure");
    for (List<Row> runs : allRuns) {
      Row first = runs.get(0);
      for (Figure figure : Figure.values()) {
        figure.spread(runs).ifPresent(spread -> spread.row(table, first.dataset(), first.size(),
            first.system(), figure.label));
      }
    }
  }

  /** The per-run figures whose spread the reports show. */
  enum Figure {
    P50("search p50 ms", Row::p50),
    P99("search p99 ms", Row::p99),
    INSERTS("inserts/s (1 thread)", Row::insertRate),
    ALLOCATION("bytes allocated per search", Row::searchAllocation);

    final String label;
    private final ToDoubleFunction<Row> field;

    Figure(String label, ToDoubleFunction<Row> field) {
      this.label = label;
      this.field = field;
    }

    /** This figure over {@code runs}; empty when a run did not measure it. */
    Optional<Spread> spread(List<Row> runs) {
      double[] values = runs.stream().mapToDouble(field).toArray();
      return Arrays.stream(values).anyMatch(Double::isNaN) ? Optional.empty()
          : Optional.of(Spread.of(values));
    }
  }

  /**
   * The {@code --jvms} report: per dataset and size, our system's figures in each fresh JVM, their
   * spread, a chart of p50 and p99 by JVM (sorted) and the targets at 100k.
   */
  private static void reportDistributions(Report report, List<List<Row>> distributions) {
    Report.Table perJvm = report.table("InMemory, one fresh JVM per row", "dataset", "size",
        "JVM", "add/s (bulk)", "insert/s (1 thread)", "p50 ms", "p99 ms", "recall@10",
        "bytes allocated per search");
    Report.Table spreads = Spread.table(report, "Spread over the JVMs", "dataset", "size",
        "figure");
    Report.Plot chart = report.lines("jvms", "Search latency in each fresh JVM, sorted",
        "JVMs (sorted by the figure)", "ms").logarithmic(false, true);
    for (List<Row> runs : distributions) {
      Row first = runs.get(0);
      for (int i = 0; i < runs.size(); i++) {
        Row r = runs.get(i);
        perJvm.row(r.dataset(), r.size(), i + 1, r.addRate(), r.insertRate(), r.p50(), r.p99(),
            r.recall(), r.searchAllocation());
      }
      for (Figure figure : Figure.values()) {
        figure.spread(runs).ifPresent(spread -> spread.row(spreads, first.dataset(),
            first.size(), figure.label));
      }
      double[] rank = IntStream.rangeClosed(1, runs.size()).asDoubleStream().toArray();
      String label = first.dataset() + " " + first.size();
      chart.series(label + " p50", rank, runs.stream().mapToDouble(Row::p50).sorted().toArray());
      chart.series(label + " p99", rank, runs.stream().mapToDouble(Row::p99).sorted().toArray());
    }
    List<Check> checks = distributions.stream()
        .flatMap(runs -> distributionChecks(runs).stream()).toList();
    if (checks.isEmpty()) {
      report.note("Issue 11's targets apply at 100,000 vectors (not uniform); none was measured.");
      return;
    }
    Report.Table targets = report.table("Targets in every fresh JVM (issue 11; 100k, uniform"
        + " vectors excluded)", "target", "dataset", "measured", "goal", "verdict");
    checks.forEach(c -> targets.row(c.target(), c.dataset(), wholeAsCount(c.measured()),
        wholeAsCount(c.goal()), c.pass() ? "pass" : "MISS"));
  }

  /** A whole number as a count (printed without decimals), any other as it is. */
  private static Object wholeAsCount(double value) {
    return value == Math.rint(value) ? (Object) (long) value : (Object) value;
  }

  /**
   * The targets for our system in fresh JVMs at 100k (not on uniform vectors): search p50
   * at most 0.7 ms in at least 90% of the JVMs and at most 1.2 ms in every one, at least 1,000
   * single-thread inserts/s in every one; none passes with fewer than {@link #MIN_JVMS} JVMs.
   */
  static List<Check> distributionChecks(List<Row> runs) {
    Row first = runs.get(0);
    if (first.size() != 100_000 || first.dataset().equals("uniform")) {
      return List.of();
    }
    Spread p50 = Figure.P50.spread(runs).orElseThrow();
    Spread inserts = Figure.INSERTS.spread(runs).orElseThrow();
    boolean enough = runs.size() >= MIN_JVMS;
    long needed = (long) Math.ceil(0.9 * runs.size());
    String of = " (" + runs.size() + " JVMs" + (enough ? ")" : ", too few: needs "
        + MIN_JVMS + ")");
    long fast = p50.atMost(0.7);
    return List.of(
        new Check("JVMs with p50 <= 0.7 ms (90% needed)" + of, first.dataset(), fast, needed,
            enough && fast >= needed),
        new Check("worst p50 ms" + of, first.dataset(), p50.max(), 1.2,
            enough && p50.max() <= 1.2),
        new Check("fewest inserts/s (1 thread)" + of, first.dataset(), inserts.min(), 1_000,
            enough && inserts.min() >= 1_000));
  }

  private static Check atMost(String target, String dataset, double measured, double goal) {
    return new Check(target, dataset, measured, goal, measured <= goal);
  }

  private static Check atLeast(String target, String dataset, double measured, double goal) {
    return new Check(target, dataset, measured, goal, measured >= goal);
  }

  /** The rows grouped by dataset and size, in order of first appearance. */
  private static List<List<Row>> groups(List<Row> rows) {
    Map<String, List<Row>> groups = new LinkedHashMap<>();
    rows.forEach(r -> groups.computeIfAbsent(r.dataset() + "/" + r.size(),
        k -> new ArrayList<>()).add(r));
    return List.copyOf(groups.values());
  }

  private static Row find(List<Row> group, String system) {
    return group.stream().filter(r -> r.system().equals(system)).findFirst().orElse(null);
  }

  private record FilterRow(double selectivity, double exactP50, double graphP50,
      double graphRecall) {}

  private static void reportFiltered(Report report, int size, int dim, int queryCount, int runs,
      IndexSettings settings) {
    Vectors generator = new Vectors(dim, CLUSTERS, NOISE, new Random(3));
    Map<String, float[]> vectors = new HashMap<>(size * 2);
    for (int i = 0; i < size; i++) {
      vectors.put(id(i), generator.next());
    }
    List<float[]> queries = List.of(generator.next(queryCount));
    // A graph candidate cost of 0 keeps the index on the graph unless at most k ids match.
    IndexSettings neverExact = new IndexSettings(1, settings.m(), settings.efConstruction(),
        settings.efFloor(), settings.efScaleFrom(), settings.filterTestCost(), 0);
    List<List<FilterRow>> allRuns = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      System.err.printf(Locale.ROOT, "index: filtered %,d run %d%n", size, run + 1);
      VectorIndex graph = new VectorIndex(dim, neverExact);
      graph.putAll(vectors);
      List<String> ids = new ArrayList<>(vectors.keySet());
      Random random = new Random(size + run);
      List<FilterRow> rows = new ArrayList<>();
      for (double selectivity : SELECTIVITIES) {
        Collections.shuffle(ids, random);
        int matching = Math.max(1, (int) Math.round(size * selectivity));
        Set<String> allowed = new HashSet<>(ids.subList(0, matching));
        Predicate<String> filter = allowed::contains;
        // A matching count of 1 (not above k) sends the index down its exact path.
        Latency exact = time(queries, q -> graph.search(q, K, filter, 1));
        Latency overFetch = time(queries, q -> graph.search(q, K, filter, matching));
        double recall = 0;
        for (float[] q : queries) {
          recall += recallOf(graph.search(q, K, filter, 1), graph.search(q, K, filter, matching));
        }
        rows.add(new FilterRow(selectivity, exact.p50(), overFetch.p50(),
            recall / queries.size()));
      }
      allRuns.add(rows);
    }
    Report.Table table = report.table(String.format(Locale.ROOT, "Filtered search, %,d"
            + " clustered vectors, k %d, matching count known (medians)", size, K),
        "matching fraction", "exact scan of matches p50 ms", "HNSW over-fetch p50 ms",
        "HNSW recall@10", "default rule picks");
    int ef = settings.ef(K, size);
    for (int i = 0; i < SELECTIVITIES.length; i++) {
      int index = i;
      ToDoubleFunction<ToDoubleFunction<FilterRow>> median = field -> Stats.median(
          allRuns.stream().mapToDouble(r -> field.applyAsDouble(r.get(index))).toArray());
      double matching = Math.max(1, Math.round(size * SELECTIVITIES[i]));
      // The rule documented on IndexSettings.graphCandidateCost, for this row.
      boolean scan = matching <= K || settings.filterTestCost() * size + matching
          < settings.graphCandidateCost() * ef * size / matching;
      table.row(SELECTIVITIES[i], median.applyAsDouble(FilterRow::exactP50),
          median.applyAsDouble(FilterRow::graphP50), median.applyAsDouble(FilterRow::graphRecall),
          scan ? "scan" : "graph");
    }
  }

  /** Search latency percentiles in milliseconds, and the bytes allocated per search. */
  record Latency(double p50, double p99, double allocatedBytes) {}

  /**
   * Runs the queries untimed, cycling, for at least half a second and at least 10 queries (slow
   * peers answer few queries), then each once timed; milliseconds, and the bytes this thread
   * allocated per timed query.
   */
  static Latency time(List<float[]> queries, Consumer<float[]> search) {
    long warmUpEnd = System.nanoTime() + 500_000_000L;
    for (int i = 0; i < Math.min(10, queries.size()) || System.nanoTime() < warmUpEnd; i++) {
      search.accept(queries.get(i % queries.size()));
    }
    long[] nanos = new long[queries.size()];
    long allocatedBefore = ALLOCATIONS.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < nanos.length; i++) {
      long start = System.nanoTime();
      search.accept(queries.get(i));
      nanos[i] = System.nanoTime() - start;
    }
    double allocated = (double) (ALLOCATIONS.getCurrentThreadAllocatedBytes() - allocatedBefore)
        / nanos.length;
    return new Latency(Stats.percentileMillis(nanos, 50), Stats.percentileMillis(nanos, 99),
        allocated);
  }

  /** The share of {@code truth} found in {@code found}; 1 when there is no truth. */
  static double recall(Set<String> truth, List<String> found) {
    return truth.isEmpty() ? 1
        : (double) found.stream().filter(truth::contains).count() / truth.size();
  }

  private static double recallOf(List<Neighbor> truth, List<Neighbor> found) {
    Set<String> expected = new HashSet<>();
    truth.forEach(n -> expected.add(n.id()));
    return recall(expected, found.stream().map(Neighbor::id).toList());
  }

  private static long usedHeap() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}

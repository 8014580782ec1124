package io.inmemory.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * mem0's open-source engine (npm {@code mem0ai}, installed by {@code bench/peers/mem0/install.sh})
 * as a side-by-side peer: {@link #run} hands it our precomputed vectors through
 * {@code mem0-peer.mjs}, so a comparison measures the engines and not the embedding models. The
 * peer runs offline: no LLM (memories are added with {@code infer:false}), telemetry off and
 * {@code HOME} in a scratch folder.
 *
 * <p>Its search scans every memory in JavaScript (about 0.7 s a query at 10k memories), so callers
 * should keep query counts small there. Stateless; {@link #run} blocks until the peer exits.
 *
 * <p>Smoke run: {@code java -cp bench/target/inmemory-bench.jar io.inmemory.bench.Mem0Peer
 * --docs 1000 --queries 50} (also {@code --dim 384}, {@code --k 10}, {@code --storage memory|file},
 * {@code --history on|off}, {@code --peer bench/peers/mem0}) prints adds/s, search latency and
 * recall against an exact scan.
 */
public final class Mem0Peer {

  /** Where the peer lives, relative to the repository root. */
  static final Path DEFAULT_DIR = Path.of("bench", "peers", "mem0");

  private static final String SCRIPT = "mem0-peer.mjs";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How mem0 stores its memories; adds are about ten times faster in memory than in files. */
  enum Storage {
    /** SQLite {@code :memory:} databases. */
    MEMORY,
    /** SQLite files in the run's scratch folder. */
    FILE;

    String argument() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One memory to add: {@code text} must be unique within a run (mem0 returns texts, which map
   * back to ids). The vector array is not copied.
   */
  record Doc(String id, String text, float[] vector) {
    Doc {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(text, "text");
      if (vector.length == 0) {
        throw new IllegalArgumentException("empty vector for doc " + id);
      }
    }
  }

  /** One search. The vector array is not copied. */
  record Query(String text, float[] vector) {
    Query {
      Objects.requireNonNull(text, "text");
      if (vector.length == 0) {
        throw new IllegalArgumentException("empty vector for query '" + text + "'");
      }
    }
  }

  /**
   * How to run the peer.
   *
   * @param history whether mem0 records each add in its SQLite history table
   * @param warmup searches run before the timed ones, from the first queries
   * @param timeout how long the whole peer run may take before it is killed
   */
  record Settings(int k, Storage storage, boolean history, int warmup, Duration timeout) {
    Settings {
      Objects.requireNonNull(storage, "storage");
      Objects.requireNonNull(timeout, "timeout");
      if (k < 1 || warmup < 0 || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("bad settings: k " + k + ", warmup " + warmup
            + ", timeout " + timeout);
      }
    }

    /** In-memory storage without history (mem0's fastest mode), 3 warm-up searches. */
    static Settings fastest(int k, Duration timeout) {
      return new Settings(k, Storage.MEMORY, false, 3, timeout);
    }
  }

  /**
   * What the peer measured.
   *
   * @param topIds for each query in order, the ids of the docs mem0 ranked first (at most k)
   */
  record Result(String version, Storage storage, boolean history, int docs, double addsPerSecond,
      List<Double> latenciesMillis, List<List<String>> topIds) {
    Result {
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(storage, "storage");
      latenciesMillis = List.copyOf(latenciesMillis);
      topIds = topIds.stream().map(List::copyOf).toList();
      if (latenciesMillis.size() != topIds.size()) {
        throw new IllegalArgumentException(latenciesMillis.size() + " latencies for "
            + topIds.size() + " queries");
      }
    }

    double p50Millis() {
      return percentileMillis(50);
    }

    double p99Millis() {
      return percentileMillis(99);
    }

    private double percentileMillis(double percentile) {
      long[] nanos = latenciesMillis.stream().mapToLong(ms -> Math.round(ms * 1e6)).toArray();
      return Stats.percentileMillis(nanos, percentile);
    }
  }

  private Mem0Peer() {}

  /**
   * Adds {@code docs} for one user to a fresh mem0, then runs {@code queries} and returns what it
   * measured. The inputs and mem0's files live in a temporary folder that is deleted afterwards.
   *
   * @param peerDir the folder of {@code mem0-peer.mjs} and its {@code node_modules}
   * @throws IllegalStateException when node or the npm packages are missing, or the peer fails or
   *     times out
   */
  static Result run(Path peerDir, List<Doc> docs, List<Query> queries, Settings settings)
      throws IOException, InterruptedException {
    return run("node", peerDir, docs, queries, settings);
  }

  /** {@link #run(Path, List, List, Settings)} with {@code node} as the Node.js executable. */
  static Result run(String node, Path peerDir, List<Doc> docs, List<Query> queries,
      Settings settings) throws IOException, InterruptedException {
    Path script = peerDir.resolve(SCRIPT);
    if (!Files.isRegularFile(script)) {
      throw new IllegalStateException("no " + SCRIPT + " in " + peerDir.toAbsolutePath());
    }
    if (!Files.isDirectory(peerDir.resolve("node_modules").resolve("mem0ai"))) {
      throw new IllegalStateException("mem0ai is not installed in " + peerDir.toAbsolutePath()
          + ": run " + peerDir.resolve("install.sh") + " once (needs the npm registry)");
    }
    Path work = Files.createTempDirectory("mem0-peer");
    try {
      writeInputs(work, docs, queries);
      Path out = work.resolve("result.json");
      ProcessBuilder builder = new ProcessBuilder(command(node, script, work, out, settings))
          .redirectOutput(work.resolve("stdout.log").toFile())
          .redirectError(ProcessBuilder.Redirect.INHERIT);
      Path home = Files.createDirectory(work.resolve("home"));
      builder.environment().put("HOME", home.toString());
      builder.environment().put("MEM0_TELEMETRY", "false");
      Process process;
      try {
        process = builder.start();
      } catch (IOException e) {
        throw new IllegalStateException("cannot start '" + node + "': Node.js 18 or newer must be"
            + " on the PATH (Debian: apt-get install nodejs npm), then run "
            + peerDir.resolve("install.sh"), e);
      }
      try {
        if (!process.waitFor(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
          throw new IllegalStateException("the mem0 peer took longer than " + settings.timeout());
        }
      } finally {
        process.destroyForcibly();
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException("the mem0 peer failed with exit code "
            + process.exitValue() + " (its error is printed above)");
      }
      if (!Files.isRegularFile(out)) {
        throw new IllegalStateException("the mem0 peer exited but wrote no result");
      }
      Result result = parseResult(Files.readString(out));
      if (result.topIds().size() != queries.size()) {
        throw new IllegalStateException("the mem0 peer answered " + result.topIds().size()
            + " of " + queries.size() + " queries");
      }
      return result;
    } finally {
      deleteRecursively(work);
    }
  }

  /** The peer's command line. */
  static List<String> command(String node, Path script, Path in, Path out, Settings settings) {
    return List.of(node, script.toAbsolutePath().toString(),
        "--in", in.toAbsolutePath().toString(),
        "--out", out.toAbsolutePath().toString(),
        "--k", Integer.toString(settings.k()),
        "--storage", settings.storage().argument(),
        "--history", settings.history() ? "on" : "off",
        "--warmup", Integer.toString(settings.warmup()));
  }

  /**
   * Writes {@code docs.jsonl} and {@code queries.jsonl} into {@code folder}.
   *
   * @throws IllegalArgumentException when two docs share a text
   */
  static void writeInputs(Path folder, List<Doc> docs, List<Query> queries) throws IOException {
    Set<String> texts = new HashSet<>();
    for (Doc doc : docs) {
      if (!texts.add(doc.text())) {
        throw new IllegalArgumentException("two docs have the text '" + doc.text() + "'");
      }
    }
    try (BufferedWriter out = Files.newBufferedWriter(folder.resolve("docs.jsonl"))) {
      for (Doc doc : docs) {
        out.write(JSON.writeValueAsString(new DocLine(doc.id(), doc.text(), doc.vector())));
        out.newLine();
      }
    }
    try (BufferedWriter out = Files.newBufferedWriter(folder.resolve("queries.jsonl"))) {
      for (Query query : queries) {
        out.write(JSON.writeValueAsString(new QueryLine(query.text(), query.vector())));
        out.newLine();
      }
    }
  }

  private record DocLine(String id, String text, float[] vector) {}

  private record QueryLine(String text, float[] vector) {}

  /** Parses the peer's {@code result.json}. */
  static Result parseResult(String json) throws IOException {
    JsonNode root = JSON.readTree(json);
    List<Double> latencies = new ArrayList<>();
    required(root, "latencies_ms").forEach(ms -> latencies.add(ms.asDouble()));
    List<List<String>> topIds = new ArrayList<>();
    for (JsonNode ids : required(root, "top_ids")) {
      List<String> row = new ArrayList<>();
      ids.forEach(id -> row.add(id.asText()));
      topIds.add(row);
    }
    return new Result(required(root, "version").asText(),
        Storage.valueOf(required(root, "storage").asText().toUpperCase(Locale.ROOT)),
        required(root, "history").asBoolean(), required(root, "docs").asInt(),
        required(root, "adds_per_s").asDouble(), latencies, topIds);
  }

  private static JsonNode required(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      throw new IllegalArgumentException("the mem0 peer's result has no '" + field + "'");
    }
    return node;
  }

  private static void deleteRecursively(Path folder) throws IOException {
    try (Stream<Path> paths = Files.walk(folder)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.delete(path);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  /** The smoke run described in the class comment. */
  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    int size = options.integer("docs", 1000);
    int queryCount = options.integer("queries", 50);
    int dim = options.integer("dim", 384);
    Settings settings = new Settings(options.integer("k", 10),
        Storage.valueOf(options.get("storage", "memory").toUpperCase(Locale.ROOT)),
        options.get("history", "off").equals("on"), 3, Duration.ofMinutes(15));
    Vectors vectors = new Vectors(dim, 100, 0.75, new Random(42));
    List<Doc> docs = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      docs.add(new Doc("d" + i, "memory m" + i, vectors.next()));
    }
    List<Query> queries = new ArrayList<>();
    for (int i = 0; i < queryCount; i++) {
      queries.add(new Query("question q" + i, vectors.next()));
    }
    Result result = run(Path.of(options.get("peer", DEFAULT_DIR.toString())), docs, queries,
        settings);
    double recall = 0;
    for (int q = 0; q < queryCount; q++) {
      Set<String> truth = new HashSet<>(exactTop(docs, queries.get(q).vector(), settings.k()));
      recall += result.topIds().get(q).stream().filter(truth::contains).count()
          / (double) settings.k();
    }
    System.out.printf(Locale.ROOT,
        "mem0ai %s, %s storage, history %s: %d docs (dim %d), %.0f adds/s; %d queries,"
            + " search p50 %.1f ms, p99 %.1f ms, recall@%d vs exact %.3f%n",
        result.version(), settings.storage().argument(), settings.history() ? "on" : "off", size,
        dim, result.addsPerSecond(), queryCount, result.p50Millis(), result.p99Millis(),
        settings.k(), recall / queryCount);
  }

  private static List<String> exactTop(List<Doc> docs, float[] query, int k) {
    return docs.stream()
        .sorted(Comparator.comparingDouble((Doc doc) -> -dot(doc.vector(), query)))
        .limit(k).map(Doc::id).toList();
  }

  private static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }
}

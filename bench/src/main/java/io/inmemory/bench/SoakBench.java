package io.inmemory.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.bench.SoakWorkload.Operation;
import io.inmemory.engine.embedding.Embeddings;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * A soak test: the server under a steady mixed load of searches, adds, updates and deletes for a
 * long time (default {@value #DEFAULT_MINUTES} minutes), to show what a short benchmark cannot —
 * a heap that keeps growing, latency that drifts, errors that only come with time.
 *
 * <p>The server runs in a child JVM ({@link SoakServer}; file store fsyncing every write, the real
 * default ONNX embedder, authentication on), driven over loopback by {@link LoadDriver} in open
 * loop at a fixed rate per operation ({@link SoakWorkload} says what the requests are). The
 * server has its own JVM so that its heap is measured alone: the driver's latency samples and
 * garbage are not in it, and the full collection that measures it pauses only the server — and
 * only between windows, when no request is in flight. Before the run it is seeded, its query
 * cache is filled (the cache's legitimate growth to its bound would otherwise look like a trend),
 * and the mixed load runs unrecorded for {@code --warm-up-seconds} so that the first minute is not
 * the JIT's. Then, after each window of {@code --window-seconds} (a "minute"), the server's heap
 * is measured after a forced full collection, with its threads and open files, and each
 * operation's throughput, p50/p99/p99.9 latency (from the scheduled send), errors and unsent
 * requests are recorded. At the end each user's memory count on the server is compared with the
 * driver's count from the answers, and the server's live objects by class before the first window
 * and after the last show what grew.
 *
 * <p>The trend check fits a line through heap after GC per minute. Memories are added faster than
 * deleted, so part of that slope is the data: the heap a memory costs is measured while seeding
 * and the slope of (heap − memories held × that cost) is what the data does not explain; it
 * "grows" when above {@code --heap-tolerance} MiB per minute and more than two standard errors
 * above zero. p99 is stable when no minute's p99 exceeds the best minute's by more than
 * {@code --p99-ratio}. Errors must be zero. Writes {@code soak.md|json} and charts of heap, p99
 * and throughput per minute.
 *
 * <p>Usage: {@code soak [--minutes 30] [--window-seconds 60] [--users 8] [--seed 12000]
 * [--search-rate 20] [--add-rate 4] [--update-rate 1] [--delete-rate 2]
 * [--new-query-share 0.5] [--repeated-queries 50] [--warm-queries 10000]
 * [--warm-up-seconds 30] [--connections 4] [--heap-tolerance 0.25] [--p99-ratio 2]
 * [--dir DIR] [--out DIR]}. Rates are requests per second; 0 leaves an operation out. Any error
 * fails the benchmark after the report is written.
 *
 * <p>Not thread-safe: one per run, driven by the thread that runs {@code main}.
 */
final class SoakBench {
  static final int DEFAULT_MINUTES = 30;
  private static final double MIB = 1 << 20;
  private static final int GROWTH_ROWS = 12;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One measured window.
   *
   * @param number 1 for the first
   * @param atMinutes when the server was probed, in minutes since the first window started
   * @param probe the server's state after the window
   * @param held memories the users hold by the answers so far
   * @param results per operation run in the window
   */
  record Minute(int number, double atMinutes, SoakServer.Probe probe, long held,
      Map<Operation, LoadDriver.Result> results) {
    Minute {
      Map<Operation, LoadDriver.Result> copy = new EnumMap<>(Operation.class);
      copy.putAll(results);
      results = Collections.unmodifiableMap(copy);
    }

    double heapMiB() {
      return probe.heapAfterGcBytes() / MIB;
    }
  }

  /**
   * A least-squares line's slope and the standard error of that slope (NaN under three points).
   */
  record Fit(double slope, double standardError) {
    static Fit of(double[] x, double[] y) {
      if (x.length != y.length || x.length < 2) {
        throw new IllegalArgumentException("a line needs at least two points, as many x as y: "
            + x.length + " vs " + y.length);
      }
      double meanX = Arrays.stream(x).average().orElseThrow();
      double meanY = Arrays.stream(y).average().orElseThrow();
      double sxx = 0;
      double sxy = 0;
      for (int i = 0; i < x.length; i++) {
        sxx += (x[i] - meanX) * (x[i] - meanX);
        sxy += (x[i] - meanX) * (y[i] - meanY);
      }
      if (sxx == 0) {
        throw new IllegalArgumentException("a line needs two different x values");
      }
      double slope = sxy / sxx;
      if (x.length < 3) {
        return new Fit(slope, Double.NaN);
      }
      double residuals = 0;
      for (int i = 0; i < x.length; i++) {
        double r = y[i] - meanY - slope * (x[i] - meanX);
        residuals += r * r;
      }
      return new Fit(slope, Math.sqrt(residuals / (x.length - 2) / sxx));
    }

    /**
     * Whether the line rises by more than {@code tolerance} per x and by more than two standard
     * errors (when known): growth, not noise.
     */
    boolean grows(double tolerance) {
      return slope > tolerance && (Double.isNaN(standardError) || slope - 2 * standardError > 0);
    }
  }

  /**
   * How the live objects of one class changed over the run.
   *
   * @param type the class name as the JVM writes it ({@code [B} for byte arrays)
   */
  record Growth(String type, long instancesBefore, long instancesAfter, long bytesBefore,
      long bytesAfter) {
    long change() {
      return bytesAfter - bytesBefore;
    }
  }

  /**
   * One line of the trend check.
   *
   * @param measured a count or a figure; NaN when it cannot be computed
   * @param twoStandardErrors the measured slope's uncertainty, NaN for other figures
   * @param met null for a figure without a target
   */
  record Check(String check, Number measured, double twoStandardErrors, String target,
      Boolean met) {}

  private final String[] args;
  private final Options options;
  private final Duration window;
  private final int windows;
  private final int users;
  private final int seed;
  private final int warmQueries;
  private final int connections;
  private final Map<Operation, Double> rates = new EnumMap<>(Operation.class);
  /** What went wrong, for the report: the first errors of each run, count mismatches. */
  private final List<String> problems = new ArrayList<>();
  /** Errors outside the measured windows: in the warm-up, in the final counts. */
  private long otherErrors;

  private SoakBench(String[] args) {
    this.args = args.clone();
    options = Options.parse(args);
    window = Duration.ofMillis(Math.round(options.decimal("window-seconds", 60) * 1000));
    double minutes = options.decimal("minutes", DEFAULT_MINUTES);
    windows = (int) Math.round(minutes * 60_000 / window.toMillis());
    users = options.integer("users", 8);
    seed = options.integer("seed", 12_000);
    warmQueries = options.integer("warm-queries",
        Embeddings.QUERY_CACHE_SIZE.defaultValue().orElseThrow());
    connections = options.integer("connections", 4);
    rates.put(Operation.SEARCH, options.decimal("search-rate", 20));
    rates.put(Operation.ADD, options.decimal("add-rate", 4));
    rates.put(Operation.UPDATE, options.decimal("update-rate", 1));
    rates.put(Operation.DELETE, options.decimal("delete-rate", 2));
    if (window.toMillis() < 1000 || windows < 3) {
      throw new IllegalArgumentException("a soak needs windows of at least a second and at"
          + " least three of them, for a trend: --minutes " + minutes + " gives " + windows
          + " windows of " + window.toMillis() + " ms");
    }
    if (rates.values().stream().anyMatch(r -> !(r >= 0))
        || rates.values().stream().allMatch(r -> r == 0)) {
      throw new IllegalArgumentException("rates must be >= 0, one at least positive: " + rates);
    }
    if (rates.get(Operation.DELETE) > rates.get(Operation.ADD)) {
      throw new IllegalArgumentException("--delete-rate must not exceed --add-rate, or deletes"
          + " run out of memories: " + rates);
    }
    if (seed < 2 && (rates.get(Operation.UPDATE) > 0 || rates.get(Operation.DELETE) > 0)) {
      throw new IllegalArgumentException("updates and deletes need --seed 2 or more memories");
    }
  }

  public static void main(String[] args) throws Exception {
    new SoakBench(args).run();
  }

  private void run() throws Exception {
    Report report = Report.of("soak", "Soak: the server under a steady mixed load over time",
        args);
    report.note(setup());
    List<String> childArgs = options.get("dir") == null ? List.of()
        : List.of("--dir", options.get("dir"));
    List<Minute> minutes = new ArrayList<>();
    try (ChildJvm.Session server = ChildJvm.session(SoakServer.class, childArgs)) {
      String[] ready = server.await(SoakServer.READY).split(" ");
      URI url = URI.create(ready[0]);
      SoakWorkload workload = new SoakWorkload(ready[1], users,
          options.integer("repeated-queries", 50), options.decimal("new-query-share", 0.5),
          warmQueries);
      double bytesPerMemory = seed(report, server, url, workload);
      SoakServer.Probe before = warmUp(report, server, url, workload);
      Map<String, long[]> classesBefore = histogram(server);
      long start = System.nanoTime();
      for (int w = 1; w <= windows; w++) {
        Map<Operation, LoadDriver.Result> results = window(url, workload);
        SoakServer.Probe probe = probe(server);
        Minute minute = new Minute(w, (System.nanoTime() - start) / 60e9, probe,
            workload.heldTotal(), results);
        minutes.add(minute);
        log(minute);
      }
      Map<String, long[]> classesAfter = histogram(server);
      verifyCounts(url, workload);
      perMinute(report, before, minutes, bytesPerMemory);
      double tolerance = options.decimal("heap-tolerance", 0.25);
      double p99Ratio = options.decimal("p99-ratio", 2);
      report.note(reading(tolerance, p99Ratio));
      trend(report, checks(minutes, bytesPerMemory, tolerance, p99Ratio, otherErrors));
      grew(report, growth(classesBefore, classesAfter, GROWTH_ROWS));
      charts(report, minutes, bytesPerMemory);
    }
    if (!problems.isEmpty()) {
      report.note("**Errors and unsent requests** (the first few of each run): "
          + String.join("; ", problems));
    }
    report.write(options);
    if (otherErrors + minutes.stream().mapToLong(SoakBench::errorCount).sum() > 0) {
      throw new IllegalStateException("the soak saw errors; see the report");
    }
  }

  private String setup() {
    return "The server runs in a child JVM (same JVM options as this one) on loopback: file store"
        + " fsyncing every write (`sync=always`, the product default), the real default ONNX"
        + " embedder, authentication on, rate limit off. It is measured in its own JVM so that"
        + " the heap figures are the server's alone (not the driver's samples and garbage) and"
        + " the full collection before each figure (`System.gc()` in the server, then heap in"
        + " use) pauses only the server, between windows, when no request is in flight. "
        + users + " users with Zipf shares (user k gets 1/(k+1) of the seeds, adds and searches),"
        + " seeded with " + seed + " memories; the query-embedding cache is filled with "
        + warmQueries + " questions first, and the mixed load runs unrecorded for "
        + options.decimal("warm-up-seconds", 30) + " s. Then " + windows + " windows of "
        + window.toMillis() / 1000.0 + " s (\"minutes\"), each operation in open loop at its"
        + " rate over " + connections + " connections, latency from the scheduled send: "
        + rates.entrySet().stream().map(e -> e.getKey().label() + " " + e.getValue() + "/s")
            .reduce((a, b) -> a + ", " + b).orElseThrow()
        + ". Searches (limit " + SoakWorkload.LIMIT + ") ask a new question (embedded in the"
        + " call) in " + options.decimal("new-query-share", 0.5) + " of the cases, else one of "
        + options.integer("repeated-queries", 50) + " repeated ones; adds and updates embed new"
        + " text; updates change seeded memories, deletes remove others. Every answer is"
        + " checked (memory as sent, hits of the searching user only, deleted = true), and at the"
        + " end each user's memory count on the server must equal the driver's. The machine may"
        + " be shared: latency figures are noisy.";
  }

  private static String reading(double tolerance, double p99Ratio) {
    return String.format(Locale.ROOT, "How to read the trend check: a least-squares line runs"
        + " through heap after GC per minute. Memories are added faster than deleted, so part of"
        + " its slope is data: the heap one memory costs was measured while seeding, and the line"
        + " through heap minus memories held times that cost is what the data does not explain."
        + " That part counts as growth when steeper than %.2f MiB/min and more than two standard"
        + " errors above zero. Some of it is kept by design: the file store keeps every memory's"
        + " history in memory (one entry per update and per delete, with its texts, and the add"
        + " entry of a deleted memory), and the HNSW graph of a large user keeps deleted and"
        + " replaced vectors as tombstones until they outnumber the live ones and it is rebuilt."
        + " The figure per update or delete is what these cost, or a leak if far above a few"
        + " kilobytes. p99 counts as stable when the worst minute's is at most %.1f times the"
        + " best minute's.", tolerance, p99Ratio);
  }

  /**
   * Seeds the memories, probing the heap after the first request and after the last: the bytes
   * of heap a memory costs (memory, vector, index, history entry), NaN with fewer than two
   * requests.
   */
  private double seed(Report report, ChildJvm.Session server, URI url, SoakWorkload workload)
      throws IOException {
    List<HttpConnection.Request> requests = workload.seedRequests(seed);
    System.err.printf(Locale.ROOT, "[soak] seeding %,d memories%n", seed);
    long started = System.nanoTime();
    SoakServer.Probe first = null;
    long firstHeld = 0;
    try (HttpConnection http = new HttpConnection(url)) {
      for (HttpConnection.Request request : requests) {
        workload.seeded(request, http.send(request));
        if (first == null) {
          // after the first request, so that what loads on first use is not charged to memories
          first = probe(server);
          firstHeld = workload.heldTotal();
        }
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    SoakServer.Probe last = probe(server);
    double perMemory = requests.size() < 2 ? Double.NaN
        : (double) (last.heapAfterGcBytes() - first.heapAfterGcBytes())
            / (workload.heldTotal() - firstHeld);
    report.table("Seeding", "memories", "seconds", "memories/s", "heap after GC, first batch MiB",
            "heap after GC, seeded MiB", "heap bytes per memory")
        .row(workload.heldTotal(), seconds, workload.heldTotal() / seconds,
            first == null ? Double.NaN : first.heapAfterGcBytes() / MIB,
            last.heapAfterGcBytes() / MIB, perMemory);
    return perMemory;
  }

  /**
   * Fills the query cache, then runs the mixed load unrecorded (errors still count); returns the
   * server's state at the end.
   */
  private SoakServer.Probe warmUp(Report report, ChildJvm.Session server, URI url,
      SoakWorkload workload) throws InterruptedException, IOException {
    long started = System.nanoTime();
    if (warmQueries > 0) {
      System.err.printf(Locale.ROOT, "[soak] filling the query cache: %,d questions%n",
          warmQueries);
      LoadDriver.Result result = LoadDriver.run(new LoadDriver.Load(connections,
              Duration.ofDays(1), warmQueries, 0), () -> new HttpConnection(url),
          workload.warmUpQueries(), workload.check(Operation.SEARCH));
      otherErrors += result.errors();
      record("query cache warm-up", result);
    }
    double cacheSeconds = (System.nanoTime() - started) / 1e9;
    double mixed = options.decimal("warm-up-seconds", 30);
    if (mixed > 0) {
      System.err.printf(Locale.ROOT, "[soak] mixed load, unrecorded, %.0f s%n", mixed);
      window(url, workload, Duration.ofMillis(Math.round(mixed * 1000)))
          .forEach((operation, result) -> {
            otherErrors += result.errors();
            record("warm-up " + operation.label(), result);
          });
    }
    SoakServer.Probe probe = probe(server);
    report.table("Warm-up", "questions cached", "seconds", "mixed load s", "memories held",
            "heap after GC MiB")
        .row(warmQueries, cacheSeconds, mixed, workload.heldTotal(),
            probe.heapAfterGcBytes() / MIB);
    return probe;
  }

  private Map<Operation, LoadDriver.Result> window(URI url, SoakWorkload workload)
      throws InterruptedException {
    return window(url, workload, window);
  }

  /** Runs every operation with a rate for {@code length}, all at once. */
  private Map<Operation, LoadDriver.Result> window(URI url, SoakWorkload workload,
      Duration length) throws InterruptedException {
    Map<Operation, Double> positive = new EnumMap<>(Operation.class);
    rates.forEach((operation, rate) -> {
      if (rate > 0) {
        positive.put(operation, rate);
      }
    });
    return workload.run(positive, connections, length,
        operation -> () -> new HttpConnection(url));
  }

  /** The server's live objects by class after a full collection: instances and bytes. */
  private static Map<String, long[]> histogram(ChildJvm.Session server) throws IOException {
    server.send(SoakServer.HISTOGRAM_COMMAND);
    return JSON.readValue(server.await(SoakServer.HISTOGRAM), new TypeReference<>() {});
  }

  /** The {@code top} classes whose live bytes grew most from {@code before} to {@code after}. */
  static List<Growth> growth(Map<String, long[]> before, Map<String, long[]> after, int top) {
    long[] none = {0, 0};
    return after.entrySet().stream()
        .map(e -> new Growth(e.getKey(), before.getOrDefault(e.getKey(), none)[0],
            e.getValue()[0], before.getOrDefault(e.getKey(), none)[1], e.getValue()[1]))
        .filter(g -> g.change() > 0)
        .sorted(Comparator.comparingLong(Growth::change).reversed()
            .thenComparing(Growth::type))
        .limit(top)
        .toList();
  }

  private static SoakServer.Probe probe(ChildJvm.Session server) throws IOException {
    server.send(SoakServer.PROBE_COMMAND);
    return SoakServer.Probe.parse(server.await(SoakServer.PROBE));
  }

  /** Keeps a run's first errors for the report. */
  private void record(String what, LoadDriver.Result result) {
    if (result.errors() > 0 || result.unsent() > 0) {
      problems.add(what + ": " + result.errors() + " errors, " + result.unsent() + " unsent"
          + (result.firstErrors().isEmpty() ? "" : ", e.g. "
              + String.join(" | ", result.firstErrors())));
    }
  }

  private void log(Minute minute) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
        "[soak] minute %d/%d: heap after GC %.1f MiB, %,d memories, %d threads",
        minute.number(), windows, minute.heapMiB(), minute.held(), minute.probe().threads()));
    minute.results().forEach((operation, r) -> {
      line.append(String.format(Locale.ROOT, "; %s %.1f/s p50 %.1f p99 %.1f ms",
          operation.label(), achieved(r), r.percentileMillis(50), r.percentileMillis(99)));
      if (r.errors() > 0 || r.unsent() > 0) {
        line.append(String.format(Locale.ROOT, " errors %d unsent %d", r.errors(), r.unsent()));
      }
      record("minute " + minute.number() + " " + operation.label(), r);
    });
    System.err.println(line);
  }

  /**
   * Compares each user's memory count on the server with the driver's; a difference is an
   * error.
   */
  private void verifyCounts(URI url, SoakWorkload workload) throws IOException {
    Map<String, Long> expected = workload.held();
    try (HttpConnection http = new HttpConnection(url)) {
      for (int k = 0; k < users; k++) {
        HttpConnection.Request request = workload.statsRequest(k);
        HttpConnection.Response response = http.send(request);
        long stored = response.ok()
            ? JSON.readTree(response.body()).path("memory_count").asLong(-1) : -1;
        if (stored != expected.get(SoakWorkload.user(k))) {
          otherErrors++;
          problems.add(SoakWorkload.user(k) + " holds " + (stored < 0 ? "? (HTTP "
              + response.status() + ")" : stored) + " memories on the server, "
              + expected.get(SoakWorkload.user(k)) + " by the answers");
        }
      }
    }
  }

  /** The tables per minute; {@code before} is the server's state before the first. */
  private void perMinute(Report report, SoakServer.Probe before, List<Minute> minutes,
      double bytesPerMemory) {
    Report.Table server = report.table("Server per minute (after each window, full GC forced)",
        "minute", "at min", "memories", "heap after GC MiB", "expected from memories MiB",
        "GC ms (load)", "GCs (load)", "threads", "open files");
    double[] expected = expected(minutes, bytesPerMemory);
    SoakServer.Probe previous = before;
    for (Minute m : minutes) {
      SoakServer.Probe p = m.probe();
      server.row(m.number(), m.atMinutes(), m.held(), m.heapMiB(), expected[m.number() - 1],
          p.loadGcMillis() - previous.loadGcMillis(), p.loadGcCount() - previous.loadGcCount(),
          p.threads(), p.openFiles());
      previous = p;
    }
    Report.Table requests = report.table("Requests per minute (open loop; latency from the"
            + " scheduled send)", "minute", "operation", "target/s", "achieved/s", "p50 ms",
        "p99 ms", "p99.9 ms", "requests", "errors", "unsent");
    for (Minute m : minutes) {
      m.results().forEach((operation, r) -> requests.row(m.number(), operation.label(),
          rates.get(operation), achieved(r), r.percentileMillis(50), r.percentileMillis(99),
          r.percentileMillis(99.9), r.requests(), r.errors(), r.unsent()));
    }
  }

  /**
   * The heap the data alone would explain: the first minute's heap plus the cost of each memory
   * held since; the first minute's heap throughout when that cost is unknown.
   */
  static double[] expected(List<Minute> minutes, double bytesPerMemory) {
    Minute first = minutes.get(0);
    double perMemory = Double.isNaN(bytesPerMemory) ? 0 : bytesPerMemory;
    return minutes.stream().mapToDouble(m -> first.heapMiB()
        + (m.held() - first.held()) * perMemory / MIB).toArray();
  }

  /** The trend check of {@code minutes}; {@code otherErrors} are errors outside the windows. */
  static List<Check> checks(List<Minute> minutes, double bytesPerMemory, double tolerance,
      double p99Ratio, long otherErrors) {
    double[] at = minutes.stream().mapToDouble(Minute::atMinutes).toArray();
    double[] heap = minutes.stream().mapToDouble(Minute::heapMiB).toArray();
    double[] expected = expected(minutes, bytesPerMemory);
    double[] unexplained = new double[heap.length];
    Arrays.setAll(unexplained, i -> heap[i] - expected[i]);
    Fit raw = Fit.of(at, heap);
    Fit rest = Fit.of(at, unexplained);
    List<Check> checks = new ArrayList<>();
    checks.add(new Check("heap after GC: fitted slope, MiB/min", raw.slope(),
        2 * raw.standardError(), "—", null));
    checks.add(new Check("of which the memories added explain, MiB/min",
        raw.slope() - rest.slope(), Double.NaN, "—", null));
    checks.add(new Check("heap the data does not explain: fitted slope, MiB/min (flat = no"
        + " growth)", rest.slope(), 2 * rest.standardError(),
        String.format(Locale.ROOT, "<= %.2f or within 2 SE of 0", tolerance),
        !rest.grows(tolerance)));
    double writes = perMinute(minutes, Operation.UPDATE) + perMinute(minutes, Operation.DELETE);
    checks.add(new Check("the same per update or delete, bytes", writes == 0 ? Double.NaN
        : rest.slope() * MIB / writes, Double.NaN, "—", null));
    for (Operation operation : Operation.values()) {
      double[] p99 = minutes.stream().filter(m -> m.results().containsKey(operation))
          .mapToDouble(m -> m.results().get(operation).percentileMillis(99)).toArray();
      if (p99.length > 0) {
        double ratio = Arrays.stream(p99).max().orElseThrow()
            / Arrays.stream(p99).min().orElseThrow();
        checks.add(new Check("p99 of " + operation.label() + ": worst / best minute", ratio,
            Double.NaN, String.format(Locale.ROOT, "<= %.1f", p99Ratio), ratio <= p99Ratio));
      }
    }
    long failed = otherErrors + minutes.stream().mapToLong(SoakBench::errorCount).sum();
    checks.add(new Check("errors", failed, Double.NaN, "0", failed == 0));
    long unsent = minutes.stream().flatMap(m -> m.results().values().stream())
        .mapToLong(LoadDriver.Result::unsent).sum();
    checks.add(new Check("requests left unsent (the rate was not kept)", unsent, Double.NaN, "0",
        unsent == 0));
    checks.add(new Check("threads, last minute minus first", change(minutes,
        m -> m.probe().threads()), Double.NaN, "—", null));
    checks.add(new Check("open files, last minute minus first", change(minutes,
        m -> m.probe().openFiles()), Double.NaN, "—", null));
    return checks;
  }

  private static long change(List<Minute> minutes, ToLongFunction<Minute> figure) {
    return figure.applyAsLong(minutes.get(minutes.size() - 1))
        - figure.applyAsLong(minutes.get(0));
  }

  /** Requests sent per second of the window: the rate the server was offered and kept up with. */
  static double achieved(LoadDriver.Result result) {
    return result.requests() / (result.load().duration().toNanos() / 1e9);
  }

  /** Requests of {@code operation} sent per minute, over all the windows. */
  private static double perMinute(List<Minute> minutes, Operation operation) {
    return minutes.stream().filter(m -> m.results().containsKey(operation))
        .mapToDouble(m -> achieved(m.results().get(operation)) * 60).average().orElse(0);
  }

  private static long errorCount(Minute minute) {
    return minute.results().values().stream().mapToLong(LoadDriver.Result::errors).sum();
  }

  private static void trend(Report report, List<Check> checks) {
    Report.Table table = report.table("Trend check (issue 10: 0 errors, heap after GC flat, p99"
        + " stable)", "check", "measured", "± 2 SE", "target", "met");
    for (Check c : checks) {
      table.row(c.check(), c.measured(), c.twoStandardErrors(), c.target(),
          c.met() == null ? "—" : c.met() ? "yes" : "no");
    }
  }

  private static void grew(Report report, List<Growth> growth) {
    Report.Table table = report.table("What grew from the start to the last minute: live"
            + " objects by class, the " + GROWTH_ROWS + " largest increases", "class",
        "instances before", "instances after", "MiB before", "MiB after", "change KiB");
    for (Growth g : growth) {
      table.row(g.type(), g.instancesBefore(), g.instancesAfter(), g.bytesBefore() / MIB,
          g.bytesAfter() / MIB, g.change() / 1024.0);
    }
  }

  private static void charts(Report report, List<Minute> minutes, double bytesPerMemory) {
    double[] at = minutes.stream().mapToDouble(Minute::atMinutes).toArray();
    report.lines("heap", "Server heap after a full GC, per minute", "minutes", "MiB")
        .series("measured", at, minutes.stream().mapToDouble(Minute::heapMiB).toArray())
        .series("expected from the memories held", at, expected(minutes, bytesPerMemory));
    Report.Plot p99 = report.lines("p99", "p99 latency per minute (from the scheduled send)",
        "minutes", "p99 ms").logarithmic(false, true);
    Report.Plot throughput = report.lines("throughput", "Requests per second, per minute",
        "minutes", "requests/s");
    for (Operation operation : Operation.values()) {
      List<Minute> with = minutes.stream().filter(m -> m.results().containsKey(operation))
          .toList();
      if (!with.isEmpty()) {
        double[] x = with.stream().mapToDouble(Minute::atMinutes).toArray();
        p99.series(operation.label(), x, with.stream()
            .mapToDouble(m -> m.results().get(operation).percentileMillis(99)).toArray());
        throughput.series(operation.label(), x, with.stream()
            .mapToDouble(m -> achieved(m.results().get(operation))).toArray());
      }
    }
  }
}

package io.inmemory.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.inmemory.bench.SoakWorkload.Operation;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Several server replicas behind a balancer on one database (issue 15): each replica a child JVM
 * ({@link SoakServer} on the mongo store, real default ONNX embedder, authentication on, its heap
 * capped by {@code --replica-heap}), all on the in-process MongoDB stand-in over loopback TCP (or
 * the MongoDB of {@code --uri}), one admin key and one API key for all. For each replica count of
 * {@code --replicas}, on a fresh database:
 *
 * <ol>
 *   <li>seeds {@code --seed} memories over {@code --users} Zipf users through the first replica,
 *       waits {@code --bound-ms} (the staleness bound), and runs the mixed load unrecorded for
 *       {@code --warm-up-seconds};
 *   <li>{@code --runs} times: searches and adds in closed loop (throughput), then every operation
 *       at its fixed rate in open loop (latency from the scheduled send) while the staleness probe
 *       runs every {@code --probe-interval-ms}; each operation on its own {@code --connections}
 *       connections dealt round-robin over the replicas, as an L4 balancer does. Every answer is
 *       checked on whichever replica gave it ({@link SoakWorkload}: a check that holds per
 *       replica); updates change seeded memories and deletes remove seeded ones or ones added at
 *       least {@code --min-age-ms} (default: the bound) ago, so that no write depends on a replica having seen another's write
 *       sooner than the bound;
 *   <li>the replicas' CPU while idle for {@code --idle-seconds} (what following the store costs),
 *       then {@code --idle-probes} staleness probes without load ({@link StalenessProbe}: a change
 *       through replica i, searched on replica i + 1 until shown; {@code
 *       --probe-timeout-seconds} without it is "not seen", never a figure);
 *   <li>after the bound, each user's memory count on every replica against the driver's count
 *       from the answers, and each replica's heap after a full collection, threads and what its
 *       partition cache holds ({@code /v1/health}).
 * </ol>
 *
 * <p>Writes {@code cluster.md|json}. Errors of the load or the probes fail the benchmark after the
 * report is written; so do cross-replica findings (changes not seen, counts that differ) unless
 * {@code --cross-replica report} makes them figures only.
 *
 * <p>Usage: {@code cluster [--replicas 1,3] [--seconds 20] [--runs 3] [--users 8] [--seed 2000]
 * [--connections 6] [--search-rate 40] [--add-rate 10] [--update-rate 2] [--delete-rate 2]
 * [--new-query-share 0.5] [--repeated-queries 50] [--warm-up-seconds 10] [--idle-seconds 10]
 * [--idle-probes 20] [--probe-interval-ms 250] [--probe-timeout-seconds 10] [--bound-ms 1000]
 * [--min-age-ms <bound>] [--replica-heap 512m] [--cross-replica fail|report]
 * [--uri mongodb://…] [--out DIR]}. {@code --min-age-ms} longer than the run confines deletes
 * to seeded memories, which every replica loaded after seeding: then no check depends on one
 * replica seeing another's writes.
 *
 * <p>Not thread-safe: one per run, driven by the thread that runs {@code main}.
 */
final class ClusterBench {
  private static final double MIB = 1 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String STAND_IN_LOG_LEVEL = "org.slf4j.simpleLogger.log.de.bwaldvogel";
  /** The operations of the closed-loop phase: updates and deletes would use up the old memories. */
  private static final List<Operation> CLOSED = List.of(Operation.SEARCH, Operation.ADD);

  private final String[] args;
  private final Options options;
  private final int[] replicaCounts;
  private final Duration duration;
  private final int runs;
  private final int users;
  private final int seed;
  private final int connections;
  private final Duration bound;
  private final Duration minAge;
  private final Duration probeTimeout;
  private final boolean crossReplicaFails;
  private final Map<Operation, Double> rates = new EnumMap<>(Operation.class);
  private final Report report;
  private final Report.Table requests;
  private final Report.Table staleness;
  private final Report.Table perReplica;
  private final Report.Table cost;
  private final Report.Table counts;
  private final Report.Table checks;
  /** What went wrong, for the report: the first errors of each run, mismatched counts. */
  private final List<String> problems = new ArrayList<>();
  private long errors;
  private long crossReplica;
  /** Closed-loop requests/s of the first replica count, to compare the others with. */
  private double firstThroughput = Double.NaN;

  private ClusterBench(String[] args) {
    this.args = args.clone();
    options = Options.parse(args);
    replicaCounts = options.integers("replicas", "1,3");
    duration = Duration.ofMillis(Math.round(options.decimal("seconds", 20) * 1000));
    runs = options.integer("runs", 3);
    users = options.integer("users", 8);
    seed = options.integer("seed", 2000);
    connections = options.integer("connections", 6);
    bound = Duration.ofMillis(options.integer("bound-ms", 1000));
    minAge = Duration.ofMillis(options.integer("min-age-ms", (int) bound.toMillis()));
    probeTimeout = Duration.ofMillis(Math.round(options.decimal("probe-timeout-seconds", 10)
        * 1000));
    crossReplicaFails = switch (options.get("cross-replica", "fail")) {
      case "fail" -> true;
      case "report" -> false;
      default -> throw new IllegalArgumentException("--cross-replica is fail or report: "
          + options.get("cross-replica"));
    };
    rates.put(Operation.SEARCH, options.decimal("search-rate", 40));
    rates.put(Operation.ADD, options.decimal("add-rate", 10));
    rates.put(Operation.UPDATE, options.decimal("update-rate", 2));
    rates.put(Operation.DELETE, options.decimal("delete-rate", 2));
    if (replicaCounts.length == 0 || IntStream.of(replicaCounts).anyMatch(n -> n < 1)
        || runs < 1 || users < 1 || seed < 2 || connections < 1 || duration.toMillis() < 100
        || rates.values().stream().anyMatch(r -> !(r >= 0)) || bound.isNegative()
        || minAge.isNegative()) {
      throw new IllegalArgumentException("cluster needs replica counts >= 1, runs >= 1, users"
          + " >= 1, --seed >= 2, connections >= 1, --seconds >= 0.1, rates >= 0, --bound-ms and"
          + " --min-age-ms >= 0: " + String.join(" ", args));
    }
    report = Report.of("cluster", "Replicas behind a balancer on one database", args);
    requests = report.table("Requests through the balancer (medians over the runs; requests and"
            + " errors are totals)", "replicas", "operation", "loop", "target/s", "requests/s",
        "p50 ms", "p99 ms", "requests", "errors", "unsent");
    staleness = report.table("Staleness: a change through replica i, searched for on replica"
            + " i + 1 (one replica: read-your-writes)", "replicas", "when", "change", "probes",
        "not seen within " + probeTimeout.toMillis() + " ms", "p50 ms",
        "p99 ms", "max ms", "searches before seen", "resolution ms");
    perReplica = report.table("Per replica (heap after a forced full GC; CPU of the measured"
            + " runs, the probes' collections excluded)", "replicas", "replica",
        "heap seeded MiB", "heap at end MiB", "requests", "CPU s", "CPU ms per request",
        "idle CPU ms/s", "GC ms", "threads", "partitions held");
    cost = report.table("Cost per request over the measured runs", "replicas", "requests",
        "replicas CPU ms per request", "bench JVM less driver ms per request",
        "driver CPU ms per request", "closed loop requests/s", "vs first row");
    counts = report.table("Each user's memory count on each replica against the driver's,"
            + " after the bound (cross-replica)", "replicas", "replica", "users matching",
        "users");
    checks = report.table("Checks", "replicas", "check", "measured", "target", "met");
  }

  public static void main(String[] args) throws Exception {
    new ClusterBench(args).run();
  }

  private void run() throws Exception {
    String uri = options.get("uri");
    MongoServer standIn = null;
    if (uri == null) {
      // the stand-in logs every connection; -D on the command wins
      if (System.getProperty(STAND_IN_LOG_LEVEL) == null) {
        System.setProperty(STAND_IN_LOG_LEVEL, "warn");
      }
      standIn = new MongoServer(new MemoryBackend());
      standIn.bind("127.0.0.1", 0);
      InetSocketAddress address = standIn.getLocalAddress();
      uri = "mongodb://127.0.0.1:" + address.getPort();
    }
    report.note(setup(standIn != null));
    try {
      for (int n : replicaCounts) {
        String database = "inmemory_cluster_bench_" + n + "_" + System.currentTimeMillis();
        try {
          measure(n, uri, database);
        } finally {
          if (standIn == null) {
            try (MongoClient client = MongoClients.create(uri)) {
              client.getDatabase(database).drop();
            }
          }
        }
      }
    } finally {
      if (standIn != null) {
        standIn.shutdownNow();
      }
    }
    report.note(scaling());
    if (!problems.isEmpty()) {
      report.note("**Errors and findings** (the first few of each run): "
          + String.join("; ", problems));
    }
    report.write(options);
    if (errors > 0) {
      throw new IllegalStateException("the replicas answered with " + errors + " errors; see"
          + " the report");
    }
    if (crossReplicaFails && crossReplica > 0) {
      throw new IllegalStateException(crossReplica + " cross-replica findings (changes not seen,"
          + " counts that differ); see the report");
    }
  }

  private void measure(int n, String uri, String database) throws Exception {
    System.err.printf(Locale.ROOT, "[cluster] %d replica(s) on %s%n", n, database);
    try (Replicas replicas = Replicas.start(n, uri, database,
        options.get("replica-heap", "512m"))) {
      SoakWorkload workload = new SoakWorkload(replicas.key(), users,
          options.integer("repeated-queries", 50), options.decimal("new-query-share", 0.5), 0,
          minAge);
      seed(replicas, workload);
      Thread.sleep(bound.toMillis());
      List<SoakServer.Probe> seeded = replicas.probe();
      warmUp(n, replicas, workload);

      List<SoakServer.Probe> before = replicas.probe();
      long[] sentBefore = replicas.sent();
      long parentBefore = SoakServer.cpuNanos();
      long driver = 0;
      Map<Operation, List<LoadDriver.Result>> closed = new EnumMap<>(Operation.class);
      Map<Operation, List<LoadDriver.Result>> open = new EnumMap<>(Operation.class);
      Map<Operation, Double> closedRates = new EnumMap<>(Operation.class);
      CLOSED.forEach(operation -> closedRates.put(operation, 0.0));
      Map<Operation, Double> openRates = positive(rates);
      List<StalenessProbe.Sample> loaded;
      try (StalenessProbe underLoad = new StalenessProbe(n, replicas::connect, replicas.key(),
          probeTimeout)) {
        for (int run = 1; run <= runs; run++) {
          Map<Operation, LoadDriver.Result> c = workload.run(closedRates, connections,
              duration, operation -> replicas.balancer());
          driver += collect(n, "closed", run, c, closed);
          Map<Operation, LoadDriver.Result> o = whileProbing(underLoad, () -> workload.run(
              openRates, connections, duration, operation -> replicas.balancer()));
          driver += collect(n, "open", run, o, open);
        }
        loaded = underLoad.samples();
        errors += underLoad.failures();
        underLoad.firstFailures().forEach(f -> problems.add(label(n) + ", probe: " + f));
      }
      List<SoakServer.Probe> after = replicas.probe();
      long[] sentAfter = replicas.sent();
      long parent = SoakServer.cpuNanos() - parentBefore;

      Thread.sleep(Math.round(options.decimal("idle-seconds", 10) * 1000));
      List<SoakServer.Probe> idle = replicas.probe();
      double idleSeconds = options.decimal("idle-seconds", 10);
      try (StalenessProbe quiet = new StalenessProbe(n, replicas::connect, replicas.key(),
          probeTimeout)) {
        quiet.times(options.integer("idle-probes", 20));
        errors += quiet.failures();
        quiet.firstFailures().forEach(f -> problems.add(label(n) + ", idle probe: " + f));
        staleness(n, loaded, quiet.samples());
      }
      Thread.sleep(bound.toMillis());
      List<String> caches = replicas.caches();
      countRows(n, replicas, workload);
      List<SoakServer.Probe> end = replicas.probe();

      requestRows(n, closed, open);
      long requestsTotal = 0;
      double cpuTotal = 0;
      for (int i = 0; i < n; i++) {
        long served = sentAfter[i] - sentBefore[i];
        double cpu = after.get(i).loadCpuNanos() - before.get(i).loadCpuNanos();
        requestsTotal += served;
        cpuTotal += cpu;
        perReplica.row(n, i + 1, seeded.get(i).heapAfterGcBytes() / MIB,
            end.get(i).heapAfterGcBytes() / MIB, served, cpu / 1e9, cpu / 1e6 / served,
            (idle.get(i).loadCpuNanos() - after.get(i).loadCpuNanos()) / 1e6 / idleSeconds,
            after.get(i).loadGcMillis() - before.get(i).loadGcMillis(), end.get(i).threads(),
            caches.get(i));
      }
      double throughput = CLOSED.stream().mapToDouble(operation ->
          LoadDriver.Summary.of(closed.get(operation)).throughput()).sum();
      if (Double.isNaN(firstThroughput)) {
        firstThroughput = throughput;
      }
      cost.row(n, requestsTotal, cpuTotal / 1e6 / requestsTotal,
          (parent - driver) / 1e6 / requestsTotal, driver / 1e6 / requestsTotal, throughput,
          throughput / firstThroughput);
    }
  }

  private void seed(Replicas replicas, SoakWorkload workload) throws IOException {
    System.err.printf(Locale.ROOT, "[cluster] seeding %,d memories through replica 1%n", seed);
    try (HttpConnection http = replicas.connect(0)) {
      for (HttpConnection.Request request : workload.seedRequests(seed)) {
        workload.seeded(request, http.send(request));
      }
    }
  }

  private void warmUp(int n, Replicas replicas, SoakWorkload workload)
      throws InterruptedException {
    double seconds = options.decimal("warm-up-seconds", 10);
    if (seconds > 0) {
      System.err.printf(Locale.ROOT, "[cluster] mixed load, unrecorded, %.0f s%n", seconds);
      workload.run(positive(rates), connections, Duration.ofMillis(Math.round(seconds * 1000)),
          operation -> replicas.balancer()).forEach((operation, result) ->
          record(label(n) + ", warm-up " + operation.label(), result));
    }
  }

  /** Runs {@code load} while {@code probe} probes every {@code --probe-interval-ms}. */
  private Map<Operation, LoadDriver.Result> whileProbing(StalenessProbe probe,
      Load load) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    Duration interval = Duration.ofMillis(options.integer("probe-interval-ms", 250));
    Thread prober = new Thread(() -> probe.every(interval, stop::get), "staleness-probe");
    prober.start();
    try {
      return load.run();
    } finally {
      stop.set(true);
      prober.join();
    }
  }

  /** A load to run. */
  @FunctionalInterface
  private interface Load {
    Map<Operation, LoadDriver.Result> run() throws Exception;
  }

  /** Logs and keeps one run's results by operation; returns the driver's CPU nanoseconds. */
  private long collect(int n, String loop, int run, Map<Operation, LoadDriver.Result> results,
      Map<Operation, List<LoadDriver.Result>> into) {
    long driver = 0;
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
        "[cluster] %d replica(s), %s loop, run %d/%d:", n, loop, run, runs));
    for (Map.Entry<Operation, LoadDriver.Result> e : results.entrySet()) {
      LoadDriver.Result r = e.getValue();
      into.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(r);
      driver += r.driverCpuNanos();
      line.append(String.format(Locale.ROOT, " %s %.1f/s p50 %.1f p99 %.1f ms",
          e.getKey().label(), r.throughput(), r.percentileMillis(50), r.percentileMillis(99)));
      if (r.errors() > 0) {
        line.append(" errors ").append(r.errors());
      }
      record(label(n) + ", " + loop + " loop run " + run + " " + e.getKey().label(), r);
    }
    System.err.println(line);
    return driver;
  }

  /** Counts a run's errors and keeps the first few for the report. */
  private void record(String what, LoadDriver.Result result) {
    errors += result.errors();
    if (result.errors() > 0 || result.unsent() > 0) {
      problems.add(what + ": " + result.errors() + " errors, " + result.unsent() + " unsent"
          + (result.firstErrors().isEmpty() ? "" : ", e.g. "
              + String.join(" | ", result.firstErrors())));
    }
  }

  private void requestRows(int n, Map<Operation, List<LoadDriver.Result>> closed,
      Map<Operation, List<LoadDriver.Result>> open) {
    long failed = 0;
    long unsent = 0;
    for (Map<Operation, List<LoadDriver.Result>> phase : List.of(closed, open)) {
      for (Map.Entry<Operation, List<LoadDriver.Result>> e : phase.entrySet()) {
        LoadDriver.Summary s = LoadDriver.Summary.of(e.getValue());
        boolean isOpen = s.load().openLoop();
        requests.row(n, e.getKey().label(), isOpen ? "fixed rate" : "closed",
            isOpen ? s.load().rate() : Double.NaN, s.throughput(), s.p50Millis(),
            s.p99Millis(), s.requests(), s.errors(), s.unsent());
        failed += s.errors();
        unsent += s.unsent();
      }
    }
    check(n, "errors of the measured runs (every answer checked, on the replica that gave it)",
        failed, false);
    check(n, "requests left unsent (a fixed rate not kept)", unsent, false);
  }

  private void staleness(int n, List<StalenessProbe.Sample> loaded,
      List<StalenessProbe.Sample> quiet) {
    long notSeen = 0;
    for (String when : List.of("under load", "idle")) {
      for (StalenessProbe.Change change : StalenessProbe.Change.values()) {
        StalenessProbe.Summary s = StalenessProbe.Summary.of(change,
            when.equals("idle") ? quiet : loaded);
        staleness.row(n, when, change.label(), s.probes(), s.notSeen(), s.p50Millis(),
            s.p99Millis(), s.maxMillis(), s.pollsBeforeSeen(), s.resolutionMillis());
        notSeen += s.notSeen();
        if (s.notSeen() > 0) {
          problems.add(label(n) + ", " + when + ": " + s.notSeen() + " of " + s.probes() + " "
              + change.label() + "s not seen within " + probeTimeout.toMillis() + " ms");
        }
      }
    }
    crossReplica += notSeen;
    check(n, "changes not seen within " + probeTimeout.toMillis() + " ms (cross-replica"
        + (n == 1 ? "; one replica: read-your-writes)" : ")"), notSeen, true);
  }

  private void countRows(int n, Replicas replicas, SoakWorkload workload) throws IOException {
    Map<String, Long> expected = workload.held();
    int differing = 0;
    for (int i = 0; i < n; i++) {
      int matching = 0;
      try (HttpConnection http = replicas.connect(i)) {
        for (int k = 0; k < users; k++) {
          HttpConnection.Response response = http.send(workload.statsRequest(k));
          long stored = response.ok()
              ? JSON.readTree(response.body()).path("memory_count").asLong(-1) : -1;
          if (stored == expected.get(SoakWorkload.user(k))) {
            matching++;
          } else if (problems.size() < 100) {
            problems.add(label(n) + ": " + SoakWorkload.user(k) + " holds " + (stored < 0
                ? "? (HTTP " + response.status() + ")" : stored) + " memories on replica "
                + (i + 1) + ", " + expected.get(SoakWorkload.user(k)) + " by the answers");
          }
        }
      }
      counts.row(n, i + 1, matching, users);
      differing += matching == users ? 0 : 1;
    }
    crossReplica += differing;
    check(n, "replicas whose counts differ from the driver's", differing, true);
  }

  private void check(int n, String what, long measured, boolean crossReplicaFinding) {
    checks.row(n, what, measured, "0", measured == 0 ? "yes"
        : crossReplicaFinding && !crossReplicaFails ? "no (reported only)" : "no");
  }

  /** "1 replica", "3 replicas". */
  private static String label(int n) {
    return n + (n == 1 ? " replica" : " replicas");
  }

  private static Map<Operation, Double> positive(Map<Operation, Double> rates) {
    Map<Operation, Double> positive = new EnumMap<>(Operation.class);
    rates.forEach((operation, rate) -> {
      if (rate > 0) {
        positive.put(operation, rate);
      }
    });
    return positive;
  }

  private String setup(boolean standIn) {
    return "Each replica is a server in its own JVM (`-Xmx" + options.get("replica-heap", "512m")
        + "` after this JVM's options), mongo store, the real default ONNX embedder,"
        + " authentication on (one admin key, one API key made through replica 1 and used on"
        + " all), rate limit off; the database is "
        + (standIn ? "the in-process MongoDB stand-in (mongo-java-server, in memory) in the"
            + " benchmark's JVM, over loopback TCP" : "the MongoDB of `--uri`")
        + ", a fresh database per replica count. " + users + " users with Zipf shares, "
        + seed + " memories seeded through replica 1, then " + bound.toMillis() + " ms (the"
        + " staleness bound) before any other replica is asked. Runs: " + runs + " of "
        + duration.toMillis() / 1000.0 + " s per loop; each operation on " + connections
        + " connections dealt round-robin over the replicas (an L4 balancer). Closed loop:"
        + " searches and adds at once, as fast as answered (updates and deletes would use up"
        + " the memories old enough to change). Fixed rates, latency from the scheduled send: "
        + positive(rates).entrySet().stream().map(e -> e.getKey().label() + " " + e.getValue()
            + "/s").reduce((a, b) -> a + ", " + b).orElse("none")
        + ". Searches ask a new question in " + options.decimal("new-query-share", 0.5)
        + " of the cases; updates change seeded memories, deletes remove seeded ones or ones"
        + " added at least " + minAge.toMillis() + " ms before (`--min-age-ms`, default the"
        + " bound), so no write needs a replica to have seen another's write sooner than the"
        + " bound. Every answer is checked on the"
        + " replica that gave it (memory as sent, hits of the searching user only, deleted ="
        + " true). The staleness probe runs every " + options.integer("probe-interval-ms", 250)
        + " ms during the fixed-rate runs and " + options.integer("idle-probes", 20)
        + " times without load: it adds a new sentence for user `" + StalenessProbe.USER
        + "` through replica i and, from that answer, searches for the sentence on replica"
        + " i + 1 every " + StalenessProbe.POLL_GAP.toMillis() + " ms until the new memory is"
        + " the top hit; then deletes it through replica i and searches on replica i + 1 until"
        + " it is gone. A change not shown within " + probeTimeout.toMillis() + " ms is counted"
        + " as not seen (no figure); a delete is followed only after its add was seen."
        + " Resolution: the poll gap plus the reader's median search latency. CPU per replica"
        + " is the process's CPU time over the measured runs (probes included, the forced"
        + " collections excluded) over the requests it answered; the bench JVM's CPU less the"
        + " driver's threads is the stand-in's cost plus the probes and bookkeeping.";
  }

  private static String scaling() {
    return "**What 2 shared cores say about scaling.** Every replica, the database stand-in and"
        + " the load driver share this machine's cores, so three replicas cannot serve more"
        + " than one: the throughput of the later rows against the first measures what running"
        + " several replicas costs (following the store's changes, shared idempotency and"
        + " revocation state, cache invalidation and reloads, more JVMs competing for the same"
        + " cores), not what they add. On a machine that also runs other work, what that work"
        + " leaves over changes from one row to the next and moves this ratio by tens of"
        + " percent either way: read it from a quiet machine. Staleness here includes waiting for a core (the reader's"
        + " search, the writer's and the follower's work queue behind the load), so it is an"
        + " upper bound of what separate machines would see. What does carry over to separate"
        + " machines is the cost per request: the replicas' CPU ms per request gives the"
        + " requests/s one core of a replica can serve (1,000 / that figure), which scales with"
        + " replicas until the database saturates; the idle CPU per replica is what each"
        + " replica costs for following the store when nobody asks anything; heap per replica"
        + " is what each one needs for the users it served. Not measurable here: network"
        + " latency to a real replica set, the cost of majority writes, the database's own"
        + " limits (the stand-in is an in-memory Java server, not mongod), and store reads per"
        + " second per replica (the stand-in counts none).";
  }

  /**
   * The replica JVMs of one measurement and the connections made to them. Thread-safe: the
   * load driver's threads connect concurrently; {@link #probe} and {@link #close} are called by
   * one thread, when no load runs.
   */
  static final class Replicas implements AutoCloseable {
    private final List<ChildJvm.Session> sessions;
    private final List<URI> urls;
    private final String key;
    /** Every connection made to each replica, to count what each one was sent. */
    private final List<List<HttpConnection>> made = new ArrayList<>();

    private Replicas(List<ChildJvm.Session> sessions, List<URI> urls, String key) {
      this.sessions = sessions;
      this.urls = urls;
      this.key = key;
      urls.forEach(url -> made.add(new ArrayList<>()));
    }

    /**
     * Starts {@code n} replicas at once on database {@code database} of {@code uri}, each with
     * {@code -Xmx<heap>}; the first makes the API key.
     */
    static Replicas start(int n, String uri, String database, String heap) throws IOException {
      List<ChildJvm.Session> sessions = new ArrayList<>();
      try {
        for (int i = 0; i < n; i++) {
          sessions.add(ChildJvm.session(SoakServer.class, List.of("-Xmx" + heap),
              List.of("--store", "mongo", "--uri", uri, "--database", database, "--key",
                  String.valueOf(i == 0))));
        }
        List<URI> urls = new ArrayList<>();
        String key = null;
        for (ChildJvm.Session session : sessions) {
          String[] ready = session.await(SoakServer.READY).split(" ");
          urls.add(URI.create(ready[0]));
          key = key == null ? ready[1] : key;
        }
        return new Replicas(sessions, urls, key);
      } catch (IOException | RuntimeException e) {
        closeAll(sessions, e);
        throw e;
      }
    }

    int size() {
      return urls.size();
    }

    /** The API key every replica accepts. */
    String key() {
      return key;
    }

    /** A new connection to replica {@code replica} (from 0), counted as that replica's. */
    HttpConnection connect(int replica) {
      HttpConnection connection = new HttpConnection(urls.get(replica));
      synchronized (made) {
        made.get(replica).add(connection);
      }
      return connection;
    }

    /** A balancer: each connection it is asked for goes to the next replica in turn. */
    Supplier<HttpConnection> balancer() {
      AtomicInteger next = new AtomicInteger();
      return () -> connect(Math.floorMod(next.getAndIncrement(), size()));
    }

    /** The requests sent to each replica so far, over every connection made. */
    long[] sent() {
      synchronized (made) {
        return made.stream().mapToLong(list -> list.stream().mapToLong(HttpConnection::sent)
            .sum()).toArray();
      }
    }

    /** Every replica's state, after a full collection in each (all asked at once). */
    List<SoakServer.Probe> probe() throws IOException {
      sessions.forEach(session -> session.send(SoakServer.PROBE_COMMAND));
      List<SoakServer.Probe> probes = new ArrayList<>();
      for (ChildJvm.Session session : sessions) {
        probes.add(SoakServer.Probe.parse(session.await(SoakServer.PROBE)));
      }
      return probes;
    }

    /** What each replica's partition cache holds, as its {@code /v1/health} describes it. */
    List<String> caches() throws IOException {
      List<String> caches = new ArrayList<>();
      for (int i = 0; i < size(); i++) {
        try (HttpConnection http = connect(i)) {
          HttpConnection.Response health = http.send(new HttpConnection.Request("GET",
              "/v1/health", key, ""));
          caches.add(JSON.readTree(health.body()).path("components").path("partitions")
              .path("detail").asText("n/a (HTTP " + health.status() + ")"));
        }
      }
      return caches;
    }

    @Override
    public void close() {
      closeAll(sessions, null);
    }

    /** Closes every session; the first failure is thrown, or added to {@code failure}. */
    private static void closeAll(List<ChildJvm.Session> sessions, Exception failure) {
      RuntimeException first = null;
      for (ChildJvm.Session session : sessions) {
        try {
          session.close();
        } catch (IOException | RuntimeException e) {
          if (failure != null) {
            failure.addSuppressed(e);
          } else if (first == null) {
            first = new IllegalStateException("a replica did not stop cleanly", e);
          } else {
            first.addSuppressed(e);
          }
        }
      }
      if (first != null) {
        throw first;
      }
    }
  }
}

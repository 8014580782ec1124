package io.inmemory.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.InMemoryConfig;
import io.inmemory.engine.Memory;
import io.inmemory.server.InMemoryServer;
import io.inmemory.server.ServerSettings;
import io.inmemory.store.file.FileStoreSettings;
import io.inmemory.store.file.SyncMode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * The server under concurrent load on loopback, authentication on, driven by {@link LoadDriver}
 * (one keep-alive socket per connection): adds and searches at each connection count, in closed
 * loop (maximum throughput) and in open loop at fixed rates (latency from the scheduled send), for
 * each store. Writes {@code server.md|json} and charts of throughput and p99 against connections.
 *
 * <p>Usage: {@code server [--connections 1,16,64] [--open-connections 16,64] [--seconds 8]
 * [--runs 3] [--max-requests 200000] [--search-rate 3000] [--add-rate 500]
 * [--store file,memory] [--dir DIR] [--url URL (--key KEY | --admin-key KEY)] [--out DIR]}.
 * Without {@code --url} each store gets a fresh server in this JVM (real ONNX embedder, rate
 * limit off, file store fsyncing every add), which shares the cores with the driver. Searches
 * repeat a few queries, so their embeddings are cached, and run on the first store only; every
 * add embeds new content. Any error fails the benchmark after the report is written.
 *
 * <p><b>Large users, new query texts</b> ({@code --large-users 1000,10000}, 0 skips): one user
 * of each size is seeded with distinct generated memories ({@link GeneratedTexts}, embedded by the
 * server), then searched with a query text never sent before on every request (embedded per
 * request) while adds of new memories to other users run alongside, at each of {@code
 * --large-connections 16,64}: in closed loop (adds on one connection per eight searching ones)
 * and at fixed rates ({@code --large-search-rate 400}, {@code --large-add-rate 40}). Issue 11's
 * target: at least 400 searches/s at p99 at most 50 ms on the 10,000-memory user at 16
 * connections.
 *
 * <p>To keep the driver off the server's cores, start the server jar pinned to one set of cores
 * and the benchmark to another, for example {@code INMEMORY_RATE_LIMIT_PER_MINUTE=0
 * INMEMORY_WORKERS=128 INMEMORY_LOG_LEVEL=warn INMEMORY_ADMIN_KEY=<32+ chars> taskset -c 1 java
 * -jar server/target/inmemory-server.jar dev} and {@code taskset -c 0 java -jar
 * bench/target/inmemory-bench.jar server --url http://127.0.0.1:8080 --admin-key <same>}.
 */
final class ServerBench {
  private static final String ADMIN = "bench-admin-key-0123456789abcdef0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WARM_UP = Duration.ofSeconds(3);
  private static final int SEED_BATCH = 100;
  private static final String[] QUERIES = {
      "what food does the user like", "meetings next week", "who is allergic to peanuts",
      "hobbies on weekends", "travel plans", "the dog's vet appointment", "books to read",
      "work deadlines"};
  private static final String[] NOTES = {
      "prefers morning meetings", "is allergic to peanuts", "moved to Berlin last spring",
      "wants the Q4 planning deck by Friday", "plays tennis on weekends",
      "is learning Japanese and practices every evening", "takes the dog to the vet monthly",
      "reads science fiction before bed"};

  private final Options options;
  private final int[] connections;
  private final int[] openConnections;
  private final Duration duration;
  private final int runs;
  private final long maxRequests;
  private final Report report;
  private final Report.Table closedTable;
  private final Report.Table openTable;
  /** Closed- and open-loop summaries by series label, in run order, for the charts. */
  private final Map<String, List<LoadDriver.Summary>> closedSeries = new LinkedHashMap<>();
  private final Map<String, List<LoadDriver.Summary>> openSeries = new LinkedHashMap<>();
  private final Report.Table largeTable;
  private final List<LargeCell> largeCells = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();

  private ServerBench(String[] args) {
    options = Options.parse(args);
    connections = options.integers("connections", "1,16,64");
    openConnections = options.integers("open-connections", "16,64");
    duration = Duration.ofSeconds(options.integer("seconds", 8));
    runs = options.integer("runs", 3);
    maxRequests = options.integer("max-requests", 200_000);
    report = Report.of("server", "Server under concurrent load on loopback", args);
    report.note(setup());
    closedTable = report.table("Closed loop (maximum throughput; latency from the send)",
        "operation", "store", "connections", "requests/s", "min requests/s", "max requests/s",
        "p50 ms", "p99 ms", "p99.9 ms", "requests", "errors", "driver cores");
    openTable = report.table("Open loop (fixed rate; latency from the scheduled send)",
        "operation", "store", "connections", "target/s", "achieved/s", "p50 ms", "p99 ms",
        "p99.9 ms", "requests", "unsent", "errors", "driver cores");
    largeTable = report.table("New query texts over large users, mixed with adds (medians over"
        + " the runs)", "memories", "loop", "search connections",
        "search target/s", "searches/s", "search p50 ms", "search p99 ms", "search p99.9 ms",
        "unsent", "add connections", "adds/s", "add p99 ms", "errors");
  }

  public static void main(String[] args) throws Exception {
    new ServerBench(args).run();
  }

  private String setup() {
    String where = options.get("url") == null
        ? "The server runs in the benchmark's JVM and shares its "
            + Runtime.getRuntime().availableProcessors() + " processors with the load driver"
            + " (the driver's own CPU use is the last column, in cores). Embedder: the real"
            + " default ONNX model; rate limit off; the file store fsyncs every add"
            + " (`inmemory.store.file.sync=always`, the product default, with group commit)."
        : "The server is the separately started one at " + options.get("url")
            + "; its store and settings are its own.";
    return where + " Every request carries an API key (authentication on). " + runs
        + " runs of " + duration.toSeconds() + " s (at most " + maxRequests + " requests) per"
        + " cell; the table shows medians over the runs, request and error counts are totals."
        + " Searches (`limit` 10) cycle through " + QUERIES.length + " queries over ten users"
        + " holding 100 seeded memories each, so query embeddings are cached; each add embeds a"
        + " new sentence. Open loop: requests scheduled at the target rate, dealt round-robin to"
        + " the connections; latency counts from the scheduled time, so falling behind shows as"
        + " latency (coordinated omission corrected); requests not sent within "
        + LoadDriver.GRACE.toSeconds() + " s after the window count as unsent (they have no"
        + " latency, so the percentiles of such a row understate). In closed loop"
        + " mean latency = connections / throughput, so p99 <= 50 ms at 64 connections needs"
        + " more than 1,280 requests/s; the open loop answers whether a given rate is served"
        + " within 50 ms. The large-user table is the unflattering case: each search carries a"
        + " query text never sent before (embedded in the request) to one user holding "
        + options.get("large-users", "1000,10000").replace(",", " or ") + " distinct memories,"
        + " while adds of new memories to other users (embedded too; the searched user keeps"
        + " its size) run alongside on one connection per eight searching ones.";
  }

  private void run() throws Exception {
    String url = options.get("url");
    List<String> stores = url == null ? List.of(options.get("store", "file,memory").split(","))
        : List.of("external");
    boolean first = true;
    for (String store : stores) {
      try (Target target = url == null ? Target.inProcess(store, options.get("dir"))
          : Target.external(URI.create(url), options.get("key"), options.get("admin-key"))) {
        target.seed();
        warmUp(target);
        if (first) {
          for (int c : connections) {
            closed("search", store, c, target, target::searches);
          }
          for (int c : openConnections) {
            open("search", store, c, options.integer("search-rate", 3000), target,
                target::searches);
          }
          largeUsers(target);
        }
        for (int c : connections) {
          closed("add", store, c, target, target::adds);
        }
        for (int c : openConnections) {
          open("add", store, c, options.integer("add-rate", 500), target, target::adds);
        }
      }
      first = false;
    }
    charts();
    targets();
    if (!errors.isEmpty()) {
      report.note("**Errors** (first few of each cell): " + String.join("; ", errors));
    }
    report.write(options);
    if (!errors.isEmpty()) {
      throw new IllegalStateException("the server answered with errors; see the report");
    }
  }

  private void warmUp(Target target) throws InterruptedException {
    System.err.println("[server] warming up " + target.label);
    for (LongFunction<HttpConnection.Request> requests : List.of(target.searches(),
        target.adds())) {
      LoadDriver.run(new LoadDriver.Load(16, WARM_UP, maxRequests, 0), target::connect,
          requests);
    }
  }

  private void closed(String operation, String store, int c, Target target,
      Supplier<LongFunction<HttpConnection.Request>> requests) throws InterruptedException {
    LoadDriver.Summary s = measure(operation, store,
        new LoadDriver.Load(c, duration, maxRequests, 0), target, requests);
    closedTable.row(operation, store, c, s.throughput(), s.minThroughput(), s.maxThroughput(),
        s.p50Millis(), s.p99Millis(), s.p999Millis(), s.requests(), s.errors(), s.driverCores());
    closedSeries.computeIfAbsent(operation + " (" + store + ")", k -> new ArrayList<>()).add(s);
  }

  private void open(String operation, String store, int c, int rate, Target target,
      Supplier<LongFunction<HttpConnection.Request>> requests) throws InterruptedException {
    LoadDriver.Summary s = measure(operation, store,
        new LoadDriver.Load(c, duration, maxRequests, rate), target, requests);
    openTable.row(operation, store, c, rate, s.throughput(), s.p50Millis(), s.p99Millis(),
        s.p999Millis(), s.requests(), s.unsent(), s.errors(), s.driverCores());
    openSeries.computeIfAbsent(operation + " (" + store + ") at " + rate + "/s",
        k -> new ArrayList<>()).add(s);
  }

  private LoadDriver.Summary measure(String operation, String store, LoadDriver.Load load,
      Target target, Supplier<LongFunction<HttpConnection.Request>> requests)
      throws InterruptedException {
    List<LoadDriver.Result> results = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      LoadDriver.Result r = LoadDriver.run(load, target::connect, requests.get());
      System.err.printf(Locale.ROOT, "[server] %s %s %s c=%d run %d/%d: %,.0f/s p50 %.2f ms"
              + " p99 %.2f ms errors %d unsent %d%n", operation, store,
          load.openLoop() ? "open@" + (long) load.rate() : "closed", load.connections(), run, runs,
          r.throughput(), r.percentileMillis(50), r.percentileMillis(99), r.errors(), r.unsent());
      r.firstErrors().forEach(e -> System.err.println("[server]   error: " + e));
      results.add(r);
    }
    LoadDriver.Summary summary = LoadDriver.Summary.of(results);
    if (summary.errors() > 0) {
      errors.add(operation + " " + store + " c=" + load.connections() + ": " + summary.errors()
          + " errors, e.g. " + String.join(" | ", summary.firstErrors()));
    }
    return summary;
  }

  /**
   * One cell of the large-user section: searches of one user with new query texts, and adds of
   * new memories to other users (so that the searched user keeps its size), run together.
   *
   * @param searchRate searches/s in open loop, 0 for closed loop (adds likewise)
   */
  record LargeCell(int memories, int connections, double searchRate,
      LoadDriver.Summary searches, LoadDriver.Summary adds) {}

  /** Seeds one user per {@code --large-users} size, then measures each cell on it. */
  private void largeUsers(Target target) throws Exception {
    int[] sizes = Arrays.stream(options.integers("large-users", "1000,10000"))
        .filter(size -> size > 0).toArray();
    for (int memories : sizes) {
      String user = "large-" + memories;
      System.err.println("[server] seeding " + user + " with " + memories + " memories");
      target.seedUser(user, memories);
      LoadDriver.run(new LoadDriver.Load(16, WARM_UP, maxRequests, 0), target::connect,
          target.newQuerySearches(user));
      for (int c : options.integers("large-connections", "16,64")) {
        largeCell(target, user, memories, c, 0, 0);
        largeCell(target, user, memories, c, options.integer("large-search-rate", 400),
            options.integer("large-add-rate", 40));
      }
    }
  }

  private void largeCell(Target target, String user, int memories, int connections,
      double searchRate, double addRate) throws Exception {
    LoadDriver.Load searchLoad = new LoadDriver.Load(connections, duration, maxRequests,
        searchRate);
    LoadDriver.Load addLoad = new LoadDriver.Load(Math.max(1, connections / 8), duration,
        maxRequests, addRate);
    List<LoadDriver.Result> searches = new ArrayList<>();
    List<LoadDriver.Result> adds = new ArrayList<>();
    ExecutorService both = Executors.newFixedThreadPool(2);
    try {
      for (int run = 1; run <= runs; run++) {
        Future<LoadDriver.Result> search = both.submit(() -> LoadDriver.run(searchLoad,
            target::connect, target.newQuerySearches(user)));
        Future<LoadDriver.Result> add = both.submit(() -> LoadDriver.run(addLoad,
            target::connect, target.adds()));
        searches.add(search.get());
        adds.add(add.get());
        LoadDriver.Result s = searches.get(run - 1);
        System.err.printf(Locale.ROOT, "[server] %s, new query texts, %s c=%d run %d/%d:"
                + " %,.0f searches/s p99 %.2f ms, %,.0f adds/s, errors %d, unsent %d%n", user,
            searchLoad.openLoop() ? "open@" + (long) searchRate : "closed", connections, run,
            runs, s.throughput(), s.percentileMillis(99), adds.get(run - 1).throughput(),
            s.errors() + adds.get(run - 1).errors(), s.unsent());
      }
    } finally {
      both.shutdownNow();
    }
    LoadDriver.Summary s = LoadDriver.Summary.of(searches);
    LoadDriver.Summary a = LoadDriver.Summary.of(adds);
    for (LoadDriver.Summary summary : List.of(s, a)) {
      if (summary.errors() > 0) {
        errors.add(user + " c=" + connections + ": " + summary.errors() + " errors, e.g. "
            + String.join(" | ", summary.firstErrors()));
      }
    }
    largeTable.row(memories, searchLoad.openLoop() ? "fixed rate" : "closed", connections,
        searchLoad.openLoop() ? searchRate : Double.NaN, s.throughput(), s.p50Millis(),
        s.p99Millis(), s.p999Millis(), s.unsent() + a.unsent(), addLoad.connections(),
        a.throughput(), a.p99Millis(), s.errors() + a.errors());
    largeCells.add(new LargeCell(memories, connections, searchRate, s, a));
  }

  /**
   * Issue 11's server target, on the cells that measure it: at 10,000 memories and 16 search
   * connections, at least 400 searches/s with p99 at most 50 ms — in closed loop, and at a fixed
   * rate of at least 400/s with nothing left unsent (and the measured rate within 1% of it).
   */
  static List<String[]> largeTargets(List<LargeCell> cells) {
    List<String[]> rows = new ArrayList<>();
    for (LargeCell cell : cells) {
      if (cell.memories() != 10_000 || cell.connections() != 16) {
        continue;
      }
      LoadDriver.Summary s = cell.searches();
      boolean open = cell.searchRate() > 0;
      // At a fixed rate with nothing unsent every scheduled search was made: the measured rate
      // falls short of the schedule only by the edges of the measuring window.
      boolean enough = open ? cell.searchRate() >= 400 && s.unsent() == 0
          && s.throughput() >= 0.99 * cell.searchRate() : s.throughput() >= 400;
      boolean met = enough && s.p99Millis() <= 50 && s.errors() == 0;
      rows.add(new String[] {"new query texts, 10,000 memories, 16 connections, "
          + (open ? "fixed rate " + (long) cell.searchRate() + "/s" : "closed loop")
          + ": >= 400 searches/s at p99 <= 50 ms", Report.format(s.throughput()) + "/s, p99 "
          + Report.format(s.p99Millis()) + " ms" + (open ? ", unsent " + s.unsent() : ""),
          met ? "yes" : "no"});
    }
    return rows;
  }

  private void charts() {
    Report.Plot throughput = report.lines("throughput", "Closed-loop throughput",
        "connections", "requests/s").logarithmic(true, true);
    closedSeries.forEach((label, s) -> throughput.series(label, x(s),
        s.stream().mapToDouble(LoadDriver.Summary::throughput).toArray()));
    Report.Plot p99 = report.lines("p99", "p99 latency (open loop: from the scheduled send)",
        "connections", "p99 ms").logarithmic(true, true);
    closedSeries.forEach((label, s) -> p99.series(label + ", closed loop", x(s),
        s.stream().mapToDouble(LoadDriver.Summary::p99Millis).toArray()));
    openSeries.forEach((label, s) -> p99.series(label + ", open loop", x(s),
        s.stream().mapToDouble(LoadDriver.Summary::p99Millis).toArray()));
  }

  private static double[] x(List<LoadDriver.Summary> summaries) {
    return summaries.stream().mapToDouble(s -> s.load().connections()).toArray();
  }

  /** Issue 6's server targets, checked at the largest connection count measured. */
  private void targets() {
    int most = Arrays.stream(connections).max().orElseThrow();
    Report.Table table = report.table("Targets at " + most + " connections (issue 6)",
        "target", "measured", "met");
    closedSeries.forEach((label, s) -> s.stream().filter(x -> x.load().connections() == most)
        .forEach(x -> {
          double goal = label.startsWith("search") ? 3000 : 500;
          table.row(label + " >= " + (int) goal + "/s, closed loop", x.throughput(),
              x.throughput() >= goal ? "yes" : "no");
        }));
    openSeries.forEach((label, s) -> s.stream().filter(x -> x.load().connections() == most)
        .forEach(x -> table.row(label + ": p99 <= 50 ms with nothing unsent, open loop",
            x.p99Millis(), x.p99Millis() <= 50 && x.unsent() == 0 ? "yes" : "no")));
    long total = closedSeries.values().stream().flatMap(List::stream)
        .mapToLong(LoadDriver.Summary::errors).sum()
        + openSeries.values().stream().flatMap(List::stream)
        .mapToLong(LoadDriver.Summary::errors).sum();
    total += largeCells.stream().mapToLong(c -> c.searches().errors() + c.adds().errors()).sum();
    table.row("zero errors, all cells", total, total == 0 ? "yes" : "no");
    List<String[]> large = largeTargets(largeCells);
    if (large.isEmpty()) {
      report.note("Issue 11's server target applies to the 10,000-memory user at 16 search"
          + " connections; not measured here.");
    } else {
      Report.Table table11 = report.table("Targets on large users (issue 11)", "target",
          "measured", "met");
      large.forEach(row -> table11.row((Object[]) row));
    }
  }

  /**
   * A server to load: started in this JVM for a store (real ONNX embedder, rate limit off, 128
   * workers, the file store fsyncing every add, in a temporary folder deleted on close), or one
   * already running at a URL. Holds an API key (of project {@code bench} when it made one).
   * Thread-safe after construction; {@link #close} once, when no load runs.
   */
  static final class Target implements AutoCloseable {
    private final String label;
    private final URI url;
    private final String key;
    private final Memory memory;
    private final InMemoryServer server;
    private final Path dir;
    /** Numbers of the generated texts not sent yet: each seeded memory and query is new. */
    private final AtomicLong nextMemory = new AtomicLong();
    private final AtomicLong nextQuery = new AtomicLong();

    private Target(String label, URI url, String key, Memory memory, InMemoryServer server,
        Path dir) {
      this.label = label;
      this.url = url;
      this.key = key;
      this.memory = memory;
      this.server = server;
      this.dir = dir;
    }

    static Target inProcess(String store, String parent) throws IOException {
      return inProcess(store, parent, Map.of(), true);
    }

    /**
     * A server in this JVM on {@code store}, configured further by {@code storeSettings} (the
     * mongo store's URI and database, say); with {@code makeKey} false it creates no API key
     * ({@link #key} is then null), for a replica of a store another replica made the key in.
     */
    static Target inProcess(String store, String parent, Map<String, String> storeSettings,
        boolean makeKey) throws IOException {
      Path dir = parent == null ? Files.createTempDirectory("inmemory-server-bench")
          : Files.createTempDirectory(Files.createDirectories(Path.of(parent)),
              "inmemory-server-bench");
      InMemoryConfig.Builder config = InMemoryConfig.builder().isolated()
          .set(InMemoryConfig.MODE, "local").set(InMemoryConfig.STORE, store)
          .set(FileStoreSettings.DIR, dir).set(FileStoreSettings.SYNC, SyncMode.ALWAYS);
      storeSettings.forEach(config::set);
      Memory memory = new Memory(config.build());
      InMemoryServer server = null;
      try {
        server = InMemoryServer.builder().config(InMemoryConfig.builder().isolated()
                .set(ServerSettings.RATE_LIMIT_PER_MINUTE.name(), "0")
                .set(ServerSettings.WORKERS.name(), "128").build())
            .memory(memory).port(0).adminKey(ADMIN).start();
        URI url = URI.create("http://127.0.0.1:" + server.port());
        System.err.println("[server] started in-process server, store " + store + " in " + dir
            + " (" + Files.getFileStore(dir).type() + ")");
        return new Target(store, url, makeKey ? generateKey(url, ADMIN) : null, memory, server,
            dir);
      } catch (IOException | RuntimeException e) {
        // the server's threads would keep the JVM alive after main fails
        if (server != null) {
          server.close();
        }
        memory.close();
        throw e;
      }
    }

    static Target external(URI url, String key, String adminKey) throws IOException {
      if (key == null && adminKey == null) {
        throw new IllegalArgumentException("--url needs --key or --admin-key");
      }
      return new Target("external", url, key != null ? key : generateKey(url, adminKey), null,
          null, null);
    }

    private static String generateKey(URI url, String adminKey) throws IOException {
      try (HttpConnection http = new HttpConnection(url)) {
        HttpConnection.Response response = http.send(new HttpConnection.Request(
            "/v1/auth/generate-key", adminKey, "{\"project_id\":\"bench\"}"));
        if (!response.ok()) {
          throw new IllegalStateException("cannot create an API key: HTTP " + response.status()
              + " " + response.body());
        }
        return JSON.readTree(response.body()).get("key").asText();
      }
    }

    /** The server's address, {@code http://host:port}. */
    URI url() {
      return url;
    }

    /** The API key the load sends; null when this target was asked to make none. */
    String key() {
      return key;
    }

    HttpConnection connect() {
      return new HttpConnection(url);
    }

    /** 1,000 memories over ten users, so searches have something to rank. */
    void seed() throws IOException {
      try (HttpConnection http = connect()) {
        for (int user = 0; user < 10; user++) {
          StringBuilder body = new StringBuilder("{\"memories\":[");
          for (int i = 0; i < 100; i++) {
            body.append(i == 0 ? "" : ",").append("{\"memory_content\":\"Note ").append(i)
                .append(": the user ").append(NOTES[i % NOTES.length])
                .append("\",\"user_id\":\"user-").append(user).append("\"}");
          }
          HttpConnection.Response response = http.send(new HttpConnection.Request(
              "/v1/memories/batch", key, body.append("]}").toString()));
          if (!response.ok()) {
            throw new IllegalStateException("seeding failed: HTTP " + response.status() + " "
                + response.body());
          }
        }
      }
    }

    /**
     * Gives {@code user} {@code count} distinct generated memories, in batches of 100 that the
     * server embeds.
     */
    void seedUser(String user, int count) throws IOException {
      try (HttpConnection http = connect()) {
        for (int from = 0; from < count; from += SEED_BATCH) {
          List<Map<String, Object>> memories = new ArrayList<>();
          for (int i = from; i < Math.min(count, from + SEED_BATCH); i++) {
            memories.add(Map.of("memory_content",
                GeneratedTexts.memory(nextMemory.getAndIncrement()), "user_id", user));
          }
          HttpConnection.Response response = http.send(new HttpConnection.Request(
              "/v1/memories/batch", key, JSON.writeValueAsString(Map.of("memories", memories))));
          if (!response.ok()) {
            throw new IllegalStateException("seeding " + user + " failed: HTTP "
                + response.status() + " " + response.body());
          }
        }
      }
    }

    /** Searches of {@code user}, each with a query text this target never sent before. */
    LongFunction<HttpConnection.Request> newQuerySearches(String user) {
      return i -> new HttpConnection.Request("/v1/memories/search", key, json(Map.of(
          "query", GeneratedTexts.query(nextQuery.getAndIncrement()), "user_id", user,
          "limit", 10)));
    }

    private static String json(Map<String, Object> body) {
      try {
        return JSON.writeValueAsString(body);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write a request body", e);
      }
    }

    LongFunction<HttpConnection.Request> searches() {
      return i -> new HttpConnection.Request("/v1/memories/search", key,
          "{\"query\":\"" + QUERIES[(int) (i % QUERIES.length)] + "\",\"user_id\":\"user-"
              + (i % 10) + "\",\"limit\":10}");
    }

    /** Adds of content never sent before (a fresh prefix per call), so each one is embedded. */
    LongFunction<HttpConnection.Request> adds() {
      long base = System.nanoTime();
      return i -> new HttpConnection.Request("/v1/memories", key,
          "{\"memory_content\":\"Load note " + base + "-" + i + ": the user "
              + NOTES[(int) (i % NOTES.length)] + "\",\"user_id\":\"load-user-" + (i % 50)
              + "\",\"tags\":[\"load\"]}");
    }

    @Override
    public void close() throws IOException {
      if (server != null) {
        server.close();
        memory.close();
        StoreBench.deleteRecursively(dir);
      }
    }
  }
}

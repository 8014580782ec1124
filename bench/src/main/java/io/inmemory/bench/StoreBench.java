package io.inmemory.bench;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.inmemory.HistoryEntry;
import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryRecord;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoreProvider;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.store.file.FileStoreProvider;
import io.inmemory.store.file.FileStoreSettings;
import io.inmemory.store.h2.H2StoreProvider;
import io.inmemory.store.h2.H2StoreSettings;
import io.inmemory.store.mongo.MongoStoreProvider;
import io.inmemory.store.mongo.MongoStoreSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.bson.Document;

/**
 * A durable store through its SPI, opened by name exactly as the engine opens it, with
 * precomputed clustered embeddings (embedding is not timed): add throughput one memory per call
 * (alone and with concurrent writers), in batches, reopen time, and bytes of storage per memory.
 * Each memory is a short text with two tags, a person, a topic, a small metadata map, a 384-float
 * embedding and its ADD history entry, as the engine writes it.
 *
 * <p>Usage: {@code store [--store file|h2|mongo] [--count 100000] [--single 2000] [--threads 8]
 * [--batch 1000] [--users 10] [--dim 384] [--dir DIR] [--uri mongodb://…]}: {@code --single}
 * one-memory calls per row, {@code --count} memories in batches for the rest. Without {@code
 * --dir}, a temporary directory is used and deleted. For {@code mongo} without {@code --uri}, the
 * in-process MongoDB stand-in the tests use serves on a loopback port: its numbers measure the
 * store's code and the driver over TCP, not a real {@code mongod}. Reopens read files the page
 * cache holds (just written); a cold cache is slower.
 */
final class StoreBench {
  private static final Instant T0 = Instant.parse("2024-06-01T09:00:00Z");
  private static final String[] TEXTS = {
      "prefers morning meetings", "is allergic to peanuts", "moved to Berlin last spring",
      "wants the Q4 planning deck by Friday", "plays tennis on weekends",
      "is learning Japanese and practices every evening"};

  private StoreBench() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    String storeName = options.get("store", "file");
    int count = options.integer("count", 100_000);
    int single = options.integer("single", 2000);
    int threads = options.integer("threads", 8);
    int batch = options.integer("batch", 1000);
    int users = options.integer("users", 10);
    int dim = options.integer("dim", 384);
    boolean temporary = options.get("dir") == null;
    Path root = temporary ? Files.createTempDirectory("inmemory-store-bench")
        : Path.of(options.get("dir"));
    try (Target target = Target.of(storeName, root, options.get("uri"))) {
      System.out.printf("## Store %s: %,d memories of %d floats, %d users, %d processors, %s%n%n",
          storeName, count, dim, users, Runtime.getRuntime().availableProcessors(),
          target.where());
      Data data = new Data(Math.max(count, single), users, dim);
      warmUp(target, data, Math.min(count, 20_000), batch);

      System.out.println("| add, one memory per call | threads | memories/s | call p50 ms"
          + " | call p99 ms |");
      System.out.println("|---|---:|---:|---:|---:|");
      for (Map.Entry<String, Map<String, String>> variant : target.singleAddVariants()
          .entrySet()) {
        int[] threadCounts = variant.getValue().isEmpty() ? new int[] {1, threads} : new int[] {1};
        for (int writers : threadCounts) {
          String run = "single-" + variant.getKey().replaceAll("\\W", "") + "-" + writers;
          singleAdds(data, target.open(run, variant.getValue()), writers, single,
              variant.getKey());
        }
      }
      System.out.println();

      System.out.println("| " + String.format("%,d", count) + " memories, batches of " + batch
          + " | value |");
      System.out.println("|---|---:|");
      long elapsed;
      try (MemoryStore store = target.open("batch", Map.of())) {
        long start = System.nanoTime();
        insertBatches(store, data, count, batch);
        elapsed = System.nanoTime() - start;
      }
      System.out.printf("| add throughput | %,.0f memories/s |%n", count / (elapsed / 1e9));
      System.out.printf("| storage per memory | %s |%n", target.bytesPerMemory("batch", count));
      System.out.printf("| reopen and load every memory (median of 3) | %.2f s |%n",
          reopenSeconds(target, "batch", data, count));
    } finally {
      if (temporary) {
        deleteRecursively(root);
      }
    }
  }

  /** Runs every code path once on a throw-away store, so the JIT has compiled them. */
  private static void warmUp(Target target, Data data, int count, int batch) throws Exception {
    singleAdds(data, target.open("warm-up-single", Map.of()), 2, 1_000, null);
    try (MemoryStore store = target.open("warm-up-batch", Map.of())) {
      insertBatches(store, data, count, batch);
    }
    reopenSeconds(target, "warm-up-batch", data, count);
  }

  /** Adds {@code total} memories one per call from {@code threads} writers; closes the store. */
  private static void singleAdds(Data data, MemoryStore opened, int threads, int total,
      String label) throws Exception {
    int perThread = total / threads;
    long[] latencies = new long[perThread * threads];
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long elapsed;
    try (MemoryStore store = opened) {
      long start = System.nanoTime();
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            int index = thread * perThread + i;
            // each thread writes its own partition, as the engine does for different users
            StoredMemory memory = data.memory(index, "single-" + thread);
            long t0 = System.nanoTime();
            store.insert(List.of(memory), List.of(added(memory)));
            latencies[index] = System.nanoTime() - t0;
          }
        }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
      elapsed = System.nanoTime() - start;
    } finally {
      pool.shutdown();
    }
    if (label != null) {
      System.out.printf("| %s | %d | %,.0f | %.3f | %.3f |%n", label, threads,
          latencies.length / (elapsed / 1e9), Stats.percentileMillis(latencies, 50),
          Stats.percentileMillis(latencies, 99));
    }
  }

  private static void insertBatches(MemoryStore store, Data data, int count, int batch) {
    for (int from = 0; from < count; from += batch) {
      List<StoredMemory> memories = new ArrayList<>(batch);
      List<HistoryEntry> entries = new ArrayList<>(batch);
      String user = data.user(from / batch);
      for (int i = from; i < Math.min(count, from + batch); i++) {
        StoredMemory memory = data.memory(i, user);
        memories.add(memory);
        entries.add(added(memory));
      }
      store.insert(memories, entries);
    }
  }

  /** Median time to open the store and load every memory, as the engine does; checks the count. */
  private static double reopenSeconds(Target target, String run, Data data, int count) {
    double[] seconds = new double[3];
    for (int attempt = 0; attempt < seconds.length; attempt++) {
      long start = System.nanoTime();
      try (MemoryStore store = target.open(run, Map.of())) {
        long loaded = 0;
        for (String user : data.users) {
          loaded += store.load(new PartitionKey(PartitionKey.DEFAULT_NAMESPACE, user)).size();
        }
        seconds[attempt] = (System.nanoTime() - start) / 1e9;
        if (loaded != count) {
          throw new IllegalStateException("reopened with " + loaded + " memories, expected "
              + count);
        }
      }
    }
    Arrays.sort(seconds);
    return seconds[1];
  }

  private static HistoryEntry added(StoredMemory memory) {
    return new HistoryEntry(memory.id(), memory.memory().userId(), HistoryEntry.Event.ADD, null,
        memory.memory().content(), memory.memory().createdAt());
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
    }
  }

  static void deleteRecursively(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }

  /**
   * Where and how the measured store is opened: one storage location per named run, opened by
   * the store's provider from configuration, as the engine does.
   */
  private abstract static class Target implements AutoCloseable {
    private final StoreProvider provider;

    Target(String storeName) {
      this.provider = ServiceLoader.load(StoreProvider.class).stream()
          .map(ServiceLoader.Provider::get).filter(p -> p.name().equals(storeName)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no store named " + storeName
              + " on the classpath; try file, h2 or mongo"));
    }

    static Target of(String storeName, Path root, String mongoUri) {
      return switch (storeName) {
        case FileStoreProvider.NAME -> new DirectoryTarget(storeName, root,
            FileStoreSettings.DIR.name(), "");
        case H2StoreProvider.NAME -> new DirectoryTarget(storeName, root,
            H2StoreSettings.URL.name(), "jdbc:h2:file:");
        case MongoStoreProvider.NAME -> new MongoTarget(mongoUri);
        default -> throw new IllegalArgumentException("unknown store " + storeName
            + "; try file, h2 or mongo");
      };
    }

    MemoryStore open(String run, Map<String, String> settings) {
      InMemoryConfig.Builder config = InMemoryConfig.builder().isolated();
      location(run).forEach(config::set);
      settings.forEach(config::set);
      return provider.open(config.build());
    }

    /** The configuration placing run {@code run} in its own storage. */
    abstract Map<String, String> location(String run);

    /** Configurations timed with one memory per call, by label; the first is the default. */
    Map<String, Map<String, String>> singleAddVariants() {
      return Map.of("default settings", Map.of());
    }

    abstract String where();

    abstract String bytesPerMemory(String run, int count) throws IOException;

    @Override
    public void close() {}
  }

  /** A store in a local directory: file and H2. */
  private static final class DirectoryTarget extends Target {
    private final String name;
    private final Path root;
    private final String key;
    private final String prefix;

    DirectoryTarget(String name, Path root, String key, String prefix) {
      super(name);
      this.name = name;
      this.root = root;
      this.key = key;
      this.prefix = prefix;
    }

    @Override
    Map<String, String> location(String run) {
      Path dir = root.resolve(run);
      return Map.of(key, prefix + (prefix.isEmpty() ? dir : dir.resolve("inmemory")));
    }

    @Override
    Map<String, Map<String, String>> singleAddVariants() {
      if (!name.equals(FileStoreProvider.NAME)) {
        return super.singleAddVariants();
      }
      Map<String, Map<String, String>> variants = new LinkedHashMap<>();
      variants.put("sync always (default)", Map.of());
      variants.put("sync periodic (weaker, opt-in)", Map.of(FileStoreSettings.SYNC.name(),
          "periodic"));
      variants.put("sync never (weaker, opt-in)", Map.of(FileStoreSettings.SYNC.name(), "never"));
      return variants;
    }

    @Override
    String where() {
      return root.toString();
    }

    @Override
    String bytesPerMemory(String run, int count) throws IOException {
      return String.format("%,.0f bytes on disk", (double) size(root.resolve(run)) / count);
    }
  }

  /** MongoDB: a database per run, on a real server or the in-process stand-in. */
  private static final class MongoTarget extends Target {
    private final MongoServer standIn;
    private final String uri;

    MongoTarget(String uri) {
      super("mongo");
      if (uri == null) {
        standIn = new MongoServer(new MemoryBackend());
        standIn.bind("127.0.0.1", 0);
        InetSocketAddress address = standIn.getLocalAddress();
        this.uri = "mongodb://127.0.0.1:" + address.getPort();
      } else {
        standIn = null;
        this.uri = uri;
      }
    }

    @Override
    Map<String, String> location(String run) {
      return Map.of(MongoStoreSettings.URI.name(), uri, MongoStoreSettings.DATABASE.name(),
          "bench_" + run.replaceAll("\\W", "_"));
    }

    @Override
    String where() {
      return standIn == null ? "a MongoDB server given by --uri"
          : "the in-process MongoDB stand-in (mongo-java-server, in memory) over loopback TCP";
    }

    @Override
    String bytesPerMemory(String run, int count) {
      try (MongoClient client = MongoClients.create(uri)) {
        Document stats = client.getDatabase(location(run).get(MongoStoreSettings.DATABASE.name()))
            .runCommand(new Document("dbStats", 1));
        Number data = stats.get("dataSize", Number.class);
        Number indexes = stats.get("indexSize", Number.class);
        return String.format("%,.0f bytes of documents + %,.0f of indexes (dbStats%s)",
            data.doubleValue() / count, indexes == null ? 0 : indexes.doubleValue() / count,
            standIn == null ? "" : " of the stand-in: its own in-memory sizes, not a mongod's");
      } catch (RuntimeException e) {
        return "n/a (dbStats: " + e.getMessage() + ")";
      }
    }

    @Override
    public void close() {
      if (standIn != null) {
        standIn.shutdownNow();
      }
    }
  }

  /** Precomputed embeddings and users; memories are built on demand around them. */
  private static final class Data {
    private final float[][] vectors;
    private final List<String> users = new ArrayList<>();

    Data(int count, int users, int dim) {
      this.vectors = new Vectors(dim, 100, 0.35, new Random(7)).next(count);
      for (int u = 0; u < users; u++) {
        this.users.add("bench-user-" + u);
      }
    }

    /** The user of the {@code batch}th batch, round robin. */
    String user(int batch) {
      return users.get(batch % users.size());
    }

    StoredMemory memory(int index, String user) {
      Instant at = T0.plusSeconds(index);
      MemoryRecord record = new MemoryRecord(String.format("m%08d", index), user,
          "Note " + index + ": the user " + TEXTS[index % TEXTS.length],
          List.of("personal", "t" + index % 7), List.of("Bob"), "profile",
          Map.of("source", "chat", "turn", index), at, at);
      return new StoredMemory(PartitionKey.DEFAULT_NAMESPACE, record,
          vectors[index % vectors.length], "table:" + vectors[0].length);
    }
  }
}

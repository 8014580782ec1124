package io.inmemory.bench;

import io.inmemory.HistoryEntry;
import io.inmemory.MemoryRecord;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.store.file.FileMemoryStore;
import io.inmemory.store.file.SyncMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * The file store through its SPI, with precomputed clustered embeddings (embedding is not timed):
 * add throughput one memory per call (each call fsynced, alone and with concurrent writers that
 * share fsyncs, and in the weaker sync modes) and in batches, reopen time, and bytes on disk per
 * memory. Each memory is a short text with two tags, a person, a topic, a small metadata map, a
 * 384-float embedding and its ADD history entry, as the engine writes it.
 *
 * <p>Usage: {@code store-file [--count 100000] [--single 2000] [--threads 8] [--batch 1000]
 * [--users 10] [--dim 384] [--dir DIR]}: {@code --single} one-memory calls per fsyncing mode (ten
 * times as many in the others), {@code --count} memories in batches for the rest. Without
 * {@code --dir}, a temporary directory is used and deleted. Reopens read files the page cache
 * holds (just written); a cold cache is slower.
 */
final class FileStoreBench {
  private static final Instant T0 = Instant.parse("2024-06-01T09:00:00Z");
  private static final String[] TEXTS = {
      "prefers morning meetings", "is allergic to peanuts", "moved to Berlin last spring",
      "wants the Q4 planning deck by Friday", "plays tennis on weekends",
      "is learning Japanese and practices every evening"};

  private FileStoreBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args);
    int count = Integer.parseInt(options.getOrDefault("count", "100000"));
    int single = Integer.parseInt(options.getOrDefault("single", "2000"));
    int threads = Integer.parseInt(options.getOrDefault("threads", "8"));
    int batch = Integer.parseInt(options.getOrDefault("batch", "1000"));
    int users = Integer.parseInt(options.getOrDefault("users", "10"));
    int dim = Integer.parseInt(options.getOrDefault("dim", "384"));
    boolean temporary = !options.containsKey("dir");
    Path root = temporary ? Files.createTempDirectory("inmemory-store-file-bench")
        : Path.of(options.get("dir"));
    System.out.printf("## File store: %,d memories of %d floats, %d users, %d processors, %s%n%n",
        count, dim, users, Runtime.getRuntime().availableProcessors(), root);
    try {
      Data data = new Data(Math.max(count, 10 * single), users, dim);
      warmUp(data, root.resolve("warm-up"), Math.min(count, 20_000), batch);
      System.out.println("| add, one memory per call | threads | memories/s | call p50 ms"
          + " | call p99 ms |");
      System.out.println("|---|---:|---:|---:|---:|");
      singleAdds(data, root.resolve("single-always-1"), SyncMode.ALWAYS, 1, single, true);
      singleAdds(data, root.resolve("single-always-n"), SyncMode.ALWAYS, threads, single, true);
      // without an fsync per call, calls are ~100 times faster: time ten times more of them
      singleAdds(data, root.resolve("single-periodic-1"), SyncMode.PERIODIC, 1, 10 * single,
          true);
      singleAdds(data, root.resolve("single-never-1"), SyncMode.NEVER, 1, 10 * single, true);
      System.out.println();

      System.out.println("| " + String.format("%,d", count) + " memories, batches of " + batch
          + " (sync always) | value |");
      System.out.println("|---|---:|");
      batchAdds(data, root.resolve("batch"), count, batch,
          FileMemoryStore.DEFAULT_COMPACTION_LOG_SIZE,
          "with background compaction (default threshold)");
      batchAdds(data, root.resolve("batch-log-only"), count, batch, Long.MAX_VALUE,
          "compaction off (log only)");
    } finally {
      if (temporary) {
        deleteRecursively(root);
      }
    }
  }

  /** Runs every code path once on a throw-away store, so the JIT has compiled them. */
  private static void warmUp(Data data, Path dir, int count, int batch) throws Exception {
    singleAdds(data, dir.resolve("single"), SyncMode.NEVER, 2, 2_000, false);
    try (FileMemoryStore store = FileMemoryStore.builder(dir.resolve("batch"))
        .sync(SyncMode.NEVER).open()) {
      insertBatches(store, data, count, batch);
      store.compact();
    }
    reopenSeconds(dir.resolve("batch"), data, count);
    deleteRecursively(dir);
  }

  private static void singleAdds(Data data, Path dir, SyncMode mode, int threads, int total,
      boolean print) throws Exception {
    int perThread = total / threads;
    long[] latencies = new long[perThread * threads];
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long elapsed;
    try (FileMemoryStore store = FileMemoryStore.builder(dir).sync(mode).open()) {
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
    if (!print) {
      return;
    }
    System.out.printf("| sync %s | %d | %,.0f | %.3f | %.3f |%n", mode.configName(), threads,
        latencies.length / (elapsed / 1e9), Stats.percentileMillis(latencies, 50),
        Stats.percentileMillis(latencies, 99));
  }

  private static void batchAdds(Data data, Path dir, int count, int batch, long compaction,
      String label) throws IOException {
    long elapsed;
    try (FileMemoryStore store = FileMemoryStore.builder(dir).compactionLogSize(compaction)
        .open()) {
      long start = System.nanoTime();
      insertBatches(store, data, count, batch);
      elapsed = System.nanoTime() - start;
    }
    System.out.printf("| %s: add throughput | %,.0f memories/s |%n", label,
        count / (elapsed / 1e9));
    System.out.printf("| %s: bytes on disk per memory | %,.0f (%s) |%n", label,
        (double) size(dir) / count, files(dir));
    System.out.printf("| %s: reopen (median of 3) | %.2f s |%n", label, reopenSeconds(dir, data,
        count));
    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      store.compact();
    }
    System.out.printf("| %s, then compacted: bytes on disk per memory | %,.0f |%n", label,
        (double) size(dir) / count);
    System.out.printf("| %s, then compacted: reopen from the snapshot (median of 3) | %.2f s |%n",
        label, reopenSeconds(dir, data, count));
  }

  private static void insertBatches(FileMemoryStore store, Data data, int count, int batch) {
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

  /** Median time to open the store and have every memory loadable; checks the count. */
  private static double reopenSeconds(Path dir, Data data, int count) {
    double[] seconds = new double[3];
    for (int run = 0; run < seconds.length; run++) {
      long start = System.nanoTime();
      try (FileMemoryStore store = FileMemoryStore.open(dir)) {
        seconds[run] = (System.nanoTime() - start) / 1e9;
        long loaded = 0;
        for (String user : data.users) {
          loaded += store.load(new PartitionKey(PartitionKey.DEFAULT_NAMESPACE, user)).size();
        }
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
    try (Stream<Path> files = Files.list(dir)) {
      return files.mapToLong(file -> file.toFile().length()).sum();
    }
  }

  private static String files(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return String.join(", ", files.map(file -> file.getFileName().toString()).sorted()
          .toList());
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
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

package io.inmemory.store.file;

import io.inmemory.HistoryEntry;
import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryRecord;
import io.inmemory.SearchRequest;
import io.inmemory.engine.Memory;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tck.HashingEmbedder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Measures reopening a file store whose one partition holds {@code count} 384-d memories: open
 * and first search without an index snapshot (the graph is built), the close that saves the
 * snapshot, then open and first search with it; a second run on the same directory measures the
 * latter only. Not a test; run with {@code java -Xmx6g -cp <store-file test classpath>
 * io.inmemory.store.file.ReopenMain [count] [dir]}.
 */
public final class ReopenMain {
  private static final int DIMENSION = 384;
  private static final String USER = "bench";

  private ReopenMain() {}

  public static void main(String[] args) throws IOException {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("inmemory-reopen");
    HashingEmbedder embedder = new HashingEmbedder("bench:384", DIMENSION);
    System.out.printf("%,d memories of %d floats in one partition, %s, %d processors%n", count,
        DIMENSION, dir, Runtime.getRuntime().availableProcessors());
    long start;
    Memory memory;
    if (Files.isDirectory(dir.resolve(IndexFiles.DIR))) {
      System.out.println("reusing the store and snapshot of an earlier run");
    } else {
      fill(dir, count, embedder.id());
      start = System.nanoTime();
      memory = open(dir, embedder);
      firstSearch(memory);
      report("open + first search, no snapshot (graph built)", start);
      start = System.nanoTime();
      memory.close();
      report("close, snapshot saved", start);
    }
    try (Stream<Path> files = Files.list(dir.resolve(IndexFiles.DIR))) {
      long bytes = files.mapToLong(file -> file.toFile().length()).sum();
      System.out.printf("snapshot size: %,d bytes (%d per memory)%n", bytes, bytes / count);
    }
    for (int run = 1; run <= 3; run++) {
      start = System.nanoTime();
      memory = open(dir, embedder);
      firstSearch(memory);
      report("open + first search, snapshot restored (run " + run + ")", start);
      start = System.nanoTime();
      memory.close();
      report("close, nothing to save", start);
    }
  }

  private static void fill(Path dir, int count, String embedderId) {
    Random random = new Random(42);
    float[][] centres = new float[100][];
    for (int c = 0; c < centres.length; c++) {
      centres[c] = unit(random, new float[DIMENSION], 1);
    }
    Instant now = Instant.now();
    try (FileMemoryStore store = FileMemoryStore.open(dir)) {
      for (int from = 0; from < count; from += 1000) {
        List<StoredMemory> memories = new ArrayList<>();
        List<HistoryEntry> entries = new ArrayList<>();
        for (int i = from; i < Math.min(count, from + 1000); i++) {
          String id = new UUID(random.nextLong(), random.nextLong()).toString();
          MemoryRecord record = new MemoryRecord(id, USER, "memory number " + i, List.of(),
              List.of(), null, Map.of(), now, now);
          memories.add(new StoredMemory(PartitionKey.DEFAULT_NAMESPACE, record,
              unit(random, centres[random.nextInt(centres.length)], 0.75), embedderId));
          entries.add(new HistoryEntry(id, USER, HistoryEntry.Event.ADD, null, record.content(),
              now));
        }
        store.insert(memories, entries);
      }
    }
  }

  private static float[] unit(Random random, float[] centre, double spread) {
    float[] v = new float[DIMENSION];
    double norm = 0;
    for (int i = 0; i < DIMENSION; i++) {
      v[i] = (float) (centre[i] + random.nextGaussian() * spread / Math.sqrt(DIMENSION));
      norm += (double) v[i] * v[i];
    }
    for (int i = 0; i < DIMENSION; i++) {
      v[i] = (float) (v[i] / Math.sqrt(norm));
    }
    return v;
  }

  private static Memory open(Path dir, HashingEmbedder embedder) {
    return Memory.builder().config(InMemoryConfig.builder().isolated().build())
        .store(FileMemoryStore.open(dir)).embedder(embedder).build();
  }

  private static void firstSearch(Memory memory) {
    memory.search(SearchRequest.builder(USER).query("memory number 7").limit(10).build());
  }

  private static void report(String what, long start) {
    System.out.printf("%s: %.2f s%n", what, (System.nanoTime() - start) / 1e9);
  }
}

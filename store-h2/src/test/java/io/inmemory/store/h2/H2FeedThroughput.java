package io.inmemory.store.h2;

import io.inmemory.HistoryEntry;
import io.inmemory.MemoryRecord;
import io.inmemory.engine.spi.StoredMemory;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.h2.tools.Server;

/**
 * Not a test: prints the add throughput of the h2 store over TCP with and without the change feed
 * (single adds, each a memory with a 384-dimension embedding and its history entry, as the engine
 * writes them), from two threads on one store and from two stores (two processes' worth). Run it
 * by hand (see the module README); nothing is asserted, as the figures depend on the machine.
 * "Without" is the same store with its feed field cleared, which is what a store on an embedded
 * database runs.
 */
public final class H2FeedThroughput {
  private static final int WARM_UP = 300;
  private static final int ADDS = 1000;
  private static final int THREADS = 2;
  private static final int ROUNDS = 3;

  private H2FeedThroughput() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("h2-feed-throughput");
    Server server = Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.toString(),
        "-ifNotExists").start();
    try {
      int database = 0;
      for (int round = 0; round < ROUNDS; round++) {
        for (boolean feed : List.of(false, true)) {
          for (int stores : List.of(1, THREADS)) {
            String url = "jdbc:h2:tcp://127.0.0.1:" + server.getPort() + "/db-" + database++;
            double perSecond = run(url, feed, stores);
            System.out.printf("round %d, feed %-3s, %d thread(s) on %d store(s): %,.0f adds/s%n",
                round + 1, feed ? "on" : "off", THREADS, stores, perSecond);
          }
        }
      }
    } finally {
      server.stop();
    }
  }

  /** Adds per second of {@link #ADDS} single adds from {@link #THREADS} threads, after a warm-up. */
  private static double run(String url, boolean feed, int storeCount) throws Exception {
    List<H2MemoryStore> stores = new ArrayList<>();
    for (int i = 0; i < storeCount; i++) {
      H2MemoryStore store = H2MemoryStore.builder().url(url).open();
      if (!feed) {
        Field field = H2MemoryStore.class.getDeclaredField("feed");
        field.setAccessible(true);
        field.set(store, null);
      }
      stores.add(store);
    }
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      adds(pool, stores, WARM_UP);
      long start = System.nanoTime();
      adds(pool, stores, ADDS);
      return ADDS / ((System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdown();
      stores.forEach(H2MemoryStore::close);
    }
  }

  private static void adds(ExecutorService pool, List<H2MemoryStore> stores, int count)
      throws Exception {
    List<Future<?>> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      H2MemoryStore store = stores.get(t % stores.size());
      String user = "user-" + t;
      threads.add(pool.submit(() -> {
        Random random = new Random();
        for (int i = 0; i < count / THREADS; i++) {
          StoredMemory memory = memory(user, random);
          store.insert(List.of(memory), List.of(new HistoryEntry(memory.id(), user,
              HistoryEntry.Event.ADD, null, memory.memory().content(), Instant.now())));
        }
      }));
    }
    for (Future<?> thread : threads) {
      thread.get();
    }
  }

  private static StoredMemory memory(String user, Random random) {
    float[] embedding = new float[384];
    for (int i = 0; i < embedding.length; i++) {
      embedding[i] = random.nextFloat() - 0.5f;
    }
    Instant now = Instant.now();
    return new StoredMemory("bench", new MemoryRecord(UUID.randomUUID().toString(), user,
        "a memory of about this length, as people tell assistants " + random.nextInt(),
        List.of("tag"), List.of(), null, Map.of(), now, now), embedding, "bench:1");
  }
}

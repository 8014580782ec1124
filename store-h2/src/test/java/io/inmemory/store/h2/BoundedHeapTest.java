package io.inmemory.store.h2;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.AddRequest;
import io.inmemory.HistoryEntry;
import io.inmemory.InMemoryConfig;
import io.inmemory.ListRequest;
import io.inmemory.MemoryRecord;
import io.inmemory.Scope;
import io.inmemory.SearchHit;
import io.inmemory.SearchRequest;
import io.inmemory.engine.Memory;
import io.inmemory.engine.PartitionCacheStats;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tck.ChildJvm;
import io.inmemory.engine.tck.HashingEmbedder;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One engine under a small heap serving many users: an H2 TCP server in this JVM holds
 * {@link #users()} users × 100 memories, and a child JVM with {@code -Xmx64m} and a partition
 * budget of 16 MiB serves every user twice, in shuffled order (a search for one memory's exact
 * text finds it first, the listing counts 100; in the second pass every tenth user also deletes a
 * memory and adds one, and searches show both). Its heap never holds more partitions than the
 * budget, it never throws {@code OutOfMemoryError} (it would exit), and it evicts. All the
 * users' partitions together weigh several times the child's heap, so the same run without a
 * bound dies of {@code OutOfMemoryError}. {@code -Dinmemory.test.bounded-users=10000} runs the
 * issue's 10,000 users (about 3 minutes here).
 */
class BoundedHeapTest {
  @RegisterExtension
  static final H2TestServer SERVER = new H2TestServer();

  private static final int MEMORIES = 100;
  private static final long BUDGET = 16L << 20;
  private static final String EMBEDDER = "hashing:1";
  /** Vectors of a small sentence model's size, so a few hundred users outweigh the heap. */
  private static final int DIMENSION = 256;
  private static final Pattern SUMMARY = Pattern.compile("summary (\\{.*})");

  @Test
  void manyUsersAreServedWithinTheBudgetOfASmallHeap(@TempDir Path temp) throws Exception {
    int users = users();
    String url = SERVER.newDatabaseUrl();
    long seedStart = System.nanoTime();
    long seedCpu = cpuNanos();
    seed(url, users);
    long seedMillis = (System.nanoTime() - seedStart) / 1_000_000;
    long seedCpuMillis = (cpuNanos() - seedCpu) / 1_000_000;

    ChildJvm.Run run = ChildJvm.run(List.of(ChildJvm.java(), "-Xmx64m", "-XX:+UseSerialGC",
            "-XX:+ExitOnOutOfMemoryError", "--add-modules", "jdk.incubator.vector",
            "-cp", System.getProperty("java.class.path"), BoundedHeapTest.class.getName(), url,
            String.valueOf(users), String.valueOf(BUDGET)),
        temp.resolve("child.log"), environment -> { }, Duration.ofMinutes(5 + users / 200));
    System.out.printf(Locale.ROOT, "seeded %,d memories in %,d ms (%,d ms of CPU, H2 server"
        + " included)%n", users * MEMORIES, seedMillis, seedCpuMillis);

    assertThat(run.output()).doesNotContain("OutOfMemoryError");
    assertThat(run.status()).as(run.output()).isZero();
    Matcher summary = SUMMARY.matcher(run.output());
    assertThat(summary.find()).as(run.output()).isTrue();
    System.out.println(summary.group(1));
    Map<String, Long> figures = figures(summary.group(1));
    assertThat(figures.get("evictions")).isPositive();
    assertThat(figures.get("maxHeldBytes")).isPositive().isLessThanOrEqualTo(BUDGET);
    assertThat(figures.get("loads")).as("every user loaded in each pass, but those still held")
        .isGreaterThanOrEqualTo(2L * users - figures.get("heldPartitions"));
    assertThat(figures.get("reloadedWriters")).as("users written after a reload").isPositive();
    assertThat(figures.get("checks")).isEqualTo(figures.get("expectedChecks"));
  }

  /** The users seeded: {@code inmemory.test.bounded-users}, by default enough to exhaust 64 MB. */
  private static int users() {
    return Integer.getInteger("inmemory.test.bounded-users", 300);
  }

  /** {@code users} × {@link #MEMORIES} memories and their history, in batches of 1,000. */
  private static void seed(String url, int users) {
    HashingEmbedder embedder = new HashingEmbedder(EMBEDDER, DIMENSION);
    try (H2MemoryStore store = H2MemoryStore.builder().url(url).open()) {
      List<StoredMemory> memories = new ArrayList<>();
      List<HistoryEntry> history = new ArrayList<>();
      Instant at = Instant.parse("2026-01-01T00:00:00Z");
      for (int u = 0; u < users; u++) {
        for (int i = 0; i < MEMORIES; i++) {
          MemoryRecord record = new MemoryRecord(id(u, i), user(u), text(u, i), List.of(),
              List.of(), null, Map.of(), at, at);
          memories.add(new StoredMemory(PartitionKey.DEFAULT_NAMESPACE, record,
              embedder.embedDocuments(List.of(record.content())).get(0), EMBEDDER));
          history.add(new HistoryEntry(record.id(), user(u), HistoryEntry.Event.ADD, null,
              record.content(), at));
          if (memories.size() == 1_000) {
            store.insert(memories, history);
            memories.clear();
            history.clear();
          }
        }
      }
      if (!memories.isEmpty()) {
        store.insert(memories, history);
      }
    }
  }

  private static String user(int u) {
    return "user" + u;
  }

  private static String id(int u, int i) {
    return new UUID(u, i).toString();
  }

  /** A text no other memory has: its exact search finds it first. */
  private static String text(int u, int i) {
    return "user" + u + " note" + i + " about " + word(u * MEMORIES + i);
  }

  /** A made-up word of its own for every number. */
  private static String word(int n) {
    StringBuilder word = new StringBuilder();
    for (int rest = n; rest > 0 || word.isEmpty(); rest /= 26) {
      word.append((char) ('a' + rest % 26));
    }
    return word.append("ish").toString();
  }

  /** The numbers of a flat JSON object of numbers. */
  private static Map<String, Long> figures(String json) {
    Map<String, Long> figures = new java.util.HashMap<>();
    Matcher pair = Pattern.compile("\"(\\w+)\":(\\d+)").matcher(json);
    while (pair.find()) {
      figures.put(pair.group(1), Long.parseLong(pair.group(2)));
    }
    return figures;
  }

  /**
   * The child: {@code <url> <users> <budget>}; serves every user twice, checking each answer
   * and the budget after each operation, prints {@code summary {...}} and exits 1 on a wrong
   * answer.
   */
  public static void main(String[] args) {
    String url = args[0];
    int users = Integer.parseInt(args[1]);
    long budget = Long.parseLong(args[2]);
    long start = System.nanoTime();
    List<String> failures = new ArrayList<>();
    long checks = 0;
    long maxHeld = 0;
    long reloadedWriters = 0;
    long heapUsed;
    PartitionCacheStats stats;
    try (Memory memory = Memory.builder().config(InMemoryConfig.builder().isolated().build())
        .store(H2MemoryStore.builder().url(url).open())
        .embedder(new HashingEmbedder(EMBEDDER, DIMENSION)).cacheMaxHeap(budget).build()) {
      Random random = new Random(15);
      for (int pass = 1; pass <= 2; pass++) {
        List<Integer> order = new ArrayList<>(IntStream.range(0, users).boxed().toList());
        Collections.shuffle(order, random);
        for (int u : order) {
          Scope scope = Scope.user(user(u));
          // in the second pass a tenth of the users have lost note 0, so look for another
          int i = 1 + random.nextInt(MEMORIES - 1);
          long loadsBefore = memory.cacheStats().loads();
          checks += check(failures, first(search(memory, u, text(u, i)), id(u, i)),
              "pass " + pass + ": " + text(u, i));
          maxHeld = Math.max(maxHeld, memory.cacheStats().heldBytes());
          long total = memory.list(ListRequest.builder(scope).limit(1).build()).total();
          checks += check(failures, total == MEMORIES, "list of " + u + ": " + total);
          maxHeld = Math.max(maxHeld, memory.cacheStats().heldBytes());
          if (pass == 2 && u % 10 == 0) {
            // evicted since pass 1, most likely: the writes reach a reloaded partition
            if (memory.cacheStats().loads() > loadsBefore) {
              reloadedWriters++;
            }
            memory.delete(id(u, 0), scope);
            // a word no seeded memory has
            String later = "user" + u + " later note " + word(users * MEMORIES + u);
            String added = memory.add(AddRequest.of(later, user(u))).memory().id();
            checks += check(failures, search(memory, u, text(u, 0)).stream()
                .noneMatch(hit -> hit.memory().id().equals(id(u, 0))), "deleted note of " + u);
            checks += check(failures, first(search(memory, u, later), added),
                "added note of " + u);
            total = memory.list(ListRequest.builder(scope).limit(1).build()).total();
            checks += check(failures, total == MEMORIES, "list after writes of " + u + ": "
                + total);
            maxHeld = Math.max(maxHeld, memory.cacheStats().heldBytes());
          }
          if (maxHeld > budget) {
            failures.add("held " + maxHeld + " bytes, over the budget of " + budget);
          }
        }
      }
      stats = memory.cacheStats();
      // the heap the engine keeps with its cache full: partitions, query cache, H2 client
      for (int i = 0; i < 3; i++) {
        System.gc();
      }
      heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
    long expected = 4L * users + 3L * ((users + 9) / 10);
    System.out.printf(Locale.ROOT, "summary {\"users\":%d,\"loads\":%d,\"evictions\":%d,"
            + "\"heldPartitions\":%d,\"maxHeldBytes\":%d,\"budgetBytes\":%d,\"heapMaxBytes\":%d,"
            + "\"heapUsedAfterGcBytes\":%d,\"reloadedWriters\":%d,\"checks\":%d,"
            + "\"expectedChecks\":%d,\"failures\":%d,\"millis\":%d,\"cpuMillis\":%d}%n", users,
        stats.loads(), stats.evictions(), stats.heldPartitions(), maxHeld, budget,
        Runtime.getRuntime().maxMemory(), heapUsed, reloadedWriters, checks, expected, failures.size(), (System.nanoTime() - start) / 1_000_000,
        cpuNanos() / 1_000_000);
    failures.stream().limit(20).forEach(failure -> System.out.println("FAILED " + failure));
    System.exit(failures.isEmpty() ? 0 : 1);
  }

  /** The CPU time this process used so far, every thread's. */
  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** The first hits of searching {@code user(u)}'s memories for {@code query}. */
  private static List<SearchHit> search(Memory memory, int u, String query) {
    return memory.search(SearchRequest.builder(user(u)).query(query).limit(5).build()).hits();
  }

  /**
   * Whether memory {@code id} is ranked first, or tied with the first: hybrid scores cap at 1,
   * and two texts can both reach it when the hashing embedder's buckets collide.
   */
  private static boolean first(List<SearchHit> hits, String id) {
    return hits.stream().filter(hit -> hit.score() == hits.get(0).score())
        .anyMatch(hit -> hit.memory().id().equals(id));
  }

  private static int check(List<String> failures, boolean passed, String what) {
    if (!passed) {
      failures.add(what);
    }
    return 1;
  }
}

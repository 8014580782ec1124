package io.inmemory.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.AddRequest;
import io.inmemory.AddResult;
import io.inmemory.ConfigurationException;
import io.inmemory.Health;
import io.inmemory.HistoryEntry;
import io.inmemory.InMemoryConfig;
import io.inmemory.ListRequest;
import io.inmemory.MemoryRecord;
import io.inmemory.NotFoundException;
import io.inmemory.Scope;
import io.inmemory.SearchRequest;
import io.inmemory.UpdateRequest;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tck.ForwardingStore;
import io.inmemory.engine.tck.HashingEmbedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The partition cache under a budget of a few partitions, on the volatile store: evictions
 * happen, an evicted partition reloads exactly what the store holds (writes and deletes made
 * before its eviction included), a partition in use when evicted is adopted back rather than
 * loaded twice, and concurrent writers over many users lose nothing. Never asserts which
 * partition goes: the policy is W-TinyLFU, not strict LRU.
 */
class PartitionCacheTest {
  /** Heavy vectors, so a few dozen memories weigh a good part of the 1 MiB minimum budget. */
  private static final int DIMENSION = 1024;
  private static final int PER_USER = 40;

  private final VolatileMemoryStore volatileStore = new VolatileMemoryStore();

  @Test
  void evictsWithinTheBudgetAndReloadsWhatTheStoreHolds() {
    long weight = partitionWeight();
    long budget = budgetFor(3, weight);
    try (Memory memory = open(shared(), budget)) {
      Map<String, List<AddResult>> added = fill(memory, 10);
      PartitionCacheStats stats = memory.cacheStats();
      assertThat(stats.budgetBytes()).isEqualTo(budget);
      assertThat(stats.evictions()).isPositive();
      assertThat(stats.heldBytes()).isPositive().isLessThanOrEqualTo(budget);
      assertThat(stats.heldPartitions()).isLessThan(10);
      Health.Component health = memory.healthCheck().components().get("partitions");
      assertThat(health.status()).isEqualTo(Health.Status.UP);
      assertThat(health.detail()).contains(stats.heldPartitions() + " partitions")
          .contains(stats.evictions() + " evictions").doesNotContain("user");

      for (int round = 0; round < 2; round++) {
        for (var user : added.entrySet()) {
          assertAnswersFromTheStore(memory, user.getKey(), user.getValue());
          assertThat(memory.cacheStats().heldBytes()).isLessThanOrEqualTo(budget);
        }
      }
      assertThat(memory.cacheStats().loads()).isGreaterThan(10);
    }
  }

  @Test
  void aPartitionReloadedAfterEvictionHasTheUpdateAndNotTheDeletedMemory() {
    long budget = budgetFor(3, partitionWeight());
    try (Memory memory = open(shared(), budget)) {
      Map<String, List<AddResult>> added = fill(memory, 2);
      List<AddResult> first = added.get("user0");
      String updated = first.get(0).memory().id();
      MemoryRecord deleted = first.get(1).memory();
      memory.update(updated, Scope.user("user0"), UpdateRequest.builder()
          .content("the moved note of user0").build());
      assertThat(memory.delete(deleted.id(), Scope.user("user0"))).isTrue();

      evictUntil(memory, () -> reloads(memory, "user0"));

      assertThat(memory.get(deleted.id(), Scope.user("user0"))).isEmpty();
      assertThat(memory.search(SearchRequest.builder(Scope.user("user0"))
          .query(deleted.content()).limit(PER_USER).build()).memories())
          .extracting(MemoryRecord::id).doesNotContain(deleted.id()).isNotEmpty();
      assertThat(memory.get(updated, Scope.user("user0")).orElseThrow().content())
          .isEqualTo("the moved note of user0");
      assertThat(memory.search(SearchRequest.builder(Scope.user("user0"))
          .query("the moved note of user0").limit(1).build()).memories())
          .extracting(MemoryRecord::id).containsExactly(updated);
      assertThat(contents(memory, "user0")).isEqualTo(storedContents("user0"));
    }
  }

  @Test
  void aPartitionEvictedDuringAWriteIsAdoptedBackNotLoadedAgain() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    MemoryStore blocking = new ForwardingStore(volatileStore) {
      @Override
      public void replace(StoredMemory memory, HistoryEntry entry) {
        if (memory.memory().content().startsWith("held back")) {
          entered.countDown();
          await(release);
        }
        super.replace(memory, entry);
      }
    };
    long budget = budgetFor(3, partitionWeight());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (Memory memory = open(blocking, budget)) {
      String id = fill(memory, 1).get("user0").get(0).memory().id();
      Future<MemoryRecord> update = pool.submit(() -> memory.update(id, Scope.user("user0"),
          UpdateRequest.builder().content("held back update of user0").build()));
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

      evictUntil(memory, () -> memory.cacheStats().inUseEvicted() == 1);
      PartitionCacheStats evicted = memory.cacheStats();

      Future<List<MemoryRecord>> search = pool.submit(() -> memory.search(
          SearchRequest.builder(Scope.user("user0")).query("held back update of user0")
              .limit(1).build()).memories());
      // the search adopts the instance the update holds, then waits for its lock
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (memory.cacheStats().adoptions() == evicted.adoptions()
          && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(memory.cacheStats().adoptions()).isEqualTo(evicted.adoptions() + 1);
      assertThat(search.isDone()).isFalse();

      release.countDown();
      assertThat(update.get(10, TimeUnit.SECONDS).content()).isEqualTo("held back update of user0");
      assertThat(search.get(10, TimeUnit.SECONDS)).extracting(MemoryRecord::id)
          .containsExactly(id);
      assertThat(memory.cacheStats().loads()).isEqualTo(evicted.loads());
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void aPartitionHeavierThanTheBudgetStillAnswers() {
    long weight = partitionWeight();
    // the minimum budget, and a partition three times as heavy
    long budget = 1L << 20;
    int memories = (int) (3 * budget / weight * PER_USER);
    try (Memory memory = open(shared(), budget)) {
      List<AddRequest> requests = new ArrayList<>();
      for (int i = 0; i < memories; i++) {
        requests.add(AddRequest.of(text("big", i), "big"));
      }
      for (int from = 0; from < memories; from += 100) {
        memory.addAll(requests.subList(from, Math.min(memories, from + 100)));
      }
      assertThat(memory.search(SearchRequest.builder(Scope.user("big")).query(text("big", 7))
          .limit(1).build()).memories()).extracting(MemoryRecord::content)
          .containsExactly(text("big", 7));
      PartitionCacheStats stats = memory.cacheStats();
      assertThat(stats.oversized()).isPositive();
      assertThat(stats.heldBytes()).isLessThanOrEqualTo(budget);
      assertThat(stats.inUseEvicted()).isZero();
    }
  }

  @Test
  void concurrentWritersOverManyUsersLoseNothing() throws Exception {
    int users = 40;
    long budget = budgetFor(4, partitionWeight());
    // writes that take a while, so evictions land between a partition's use and its store write
    MemoryStore slow = new ForwardingStore(volatileStore) {
      @Override
      public void insert(List<StoredMemory> memories, List<HistoryEntry> entries) {
        pause();
        super.insert(memories, entries);
      }

      @Override
      public void replace(StoredMemory memory, HistoryEntry entry) {
        pause();
        super.replace(memory, entry);
      }

      @Override
      public int delete(PartitionKey partition, List<String> ids, List<HistoryEntry> entries) {
        pause();
        return super.delete(partition, ids, entries);
      }
    };
    try (Memory memory = open(slow, budget)) {
      Map<String, List<AddResult>> initial = fill(memory, users);
      Map<String, List<String>> ids = new ConcurrentHashMap<>();
      initial.forEach((user, results) -> ids.put(user, new CopyOnWriteArrayList<>(
          results.stream().map(result -> result.memory().id()).toList())));
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        Random random = new Random(t);
        int thread = t;
        futures.add(pool.submit(() -> {
          for (int op = 0; op < 150; op++) {
            String user = "user" + random.nextInt(users);
            Scope scope = Scope.user(user);
            List<String> held = ids.get(user);
            String target = held.get(random.nextInt(held.size()));
            switch (random.nextInt(4)) {
              case 0 -> {
                String id = memory.add(AddRequest.of(
                    "thread " + thread + " op " + op + " for " + user, user)).memory().id();
                // read-your-writes, whichever instance the partition is now; only then may
                // another thread pick it to delete
                assertThat(memory.get(id, scope)).as("added %s", id).isPresent();
                held.add(id);
              }
              case 1 -> {
                try {
                  memory.update(target, scope, UpdateRequest.builder()
                      .content("updated by " + thread + " at " + op).build());
                } catch (NotFoundException deletedMeanwhile) {
                  // another thread deleted it: nothing to update
                }
              }
              case 2 -> {
                memory.delete(target, scope);
                assertThat(memory.get(target, scope)).as("deleted %s", target).isEmpty();
              }
              default -> memory.search(SearchRequest.builder(scope).query("note").build());
            }
          }
          return null;
        }));
      }
      for (Future<?> future : futures) {
        future.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertThat(memory.cacheStats().evictions()).isPositive();
      for (int u = 0; u < users; u++) {
        String user = "user" + u;
        assertThat(contents(memory, user)).as(user).isEqualTo(storedContents(user));
      }
    }
  }

  @Test
  void theBudgetIsFortyPercentOfTheHeapUnlessSetAndNeverMoreThanTheHeap() {
    InMemoryConfig unset = InMemoryConfig.builder().isolated().build();
    assertThat(PartitionCache.budget(unset, null, 1000L << 20)).isEqualTo(400L << 20);
    assertThat(PartitionCache.budget(unset, null, 20L << 20)).isEqualTo(PartitionCache.MIN_DEFAULT);
    InMemoryConfig set = InMemoryConfig.builder().isolated()
        .set("inmemory.cache.max-heap", "64MB").build();
    assertThat(PartitionCache.budget(set, null, 1000L << 20)).isEqualTo(64L << 20);
    assertThatThrownBy(() -> PartitionCache.budget(set, null, 32L << 20))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("inmemory.cache.max-heap")
        .hasMessageContaining(String.valueOf(32L << 20));
    assertThatThrownBy(() -> Memory.builder().config(InMemoryConfig.builder().isolated()
            .set("inmemory.cache.max-heap", "512KB").build())
        .store(new VolatileMemoryStore()).embedder(new HashingEmbedder()).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("inmemory.cache.max-heap");
  }

  @Test
  void theBuilderBudgetWinsOverTheConfiguredOneAndIsCheckedWhenSet() {
    long heap = Runtime.getRuntime().maxMemory();
    // the configured value would be refused (over the heap): the builder's replaces it
    InMemoryConfig tooLarge = InMemoryConfig.builder().isolated()
        .set(PartitionCache.MAX_HEAP, heap + 1).build();
    try (Memory memory = Memory.builder().config(tooLarge).cacheMaxHeap(3L << 20)
        .store(new VolatileMemoryStore()).embedder(new HashingEmbedder()).build()) {
      assertThat(memory.cacheStats().budgetBytes()).isEqualTo(3L << 20);
    }
    assertThatThrownBy(() -> Memory.builder().cacheMaxHeap((1L << 20) - 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cacheMaxHeap must be at least 1 MiB (1048576 bytes), the smallest"
            + " inmemory.cache.max-heap, was 1048575 bytes");
    assertThatThrownBy(() -> Memory.builder().cacheMaxHeap(heap + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cacheMaxHeap is " + (heap + 1) + " bytes, more than the JVM's max heap of "
            + heap + " bytes (-Xmx): partitions would run out of memory before they are dropped");
    assertThat(PartitionCache.budgetSource(tooLarge, 3L << 20))
        .isEqualTo("Memory.Builder.cacheMaxHeap");
  }

  /** What one partition of {@link #PER_USER} memories weighs, as the cache estimates it. */
  private long partitionWeight() {
    MemoryStore probe = new ForwardingStore(new VolatileMemoryStore());
    try (Memory memory = open(probe, 64L << 20)) {
      fill(memory, 1);
      return memory.cacheStats().heldBytes();
    }
  }

  /** A budget for about {@code partitions} partitions of {@code weight}, at least the minimum. */
  private static long budgetFor(int partitions, long weight) {
    return Math.max(1L << 20, partitions * weight + weight / 2);
  }

  private MemoryStore shared() {
    return volatileStore;
  }

  private static Memory open(MemoryStore store, long budget) {
    return Memory.builder().config(InMemoryConfig.builder().isolated()
            .set(PartitionCache.MAX_HEAP, budget).build())
        .store(store).embedder(new HashingEmbedder("hashing:1", DIMENSION)).build();
  }

  private static Map<String, List<AddResult>> fill(Memory memory, int users) {
    Map<String, List<AddResult>> added = new java.util.LinkedHashMap<>();
    for (int u = 0; u < users; u++) {
      String user = "user" + u;
      List<AddRequest> requests = new ArrayList<>();
      for (int i = 0; i < PER_USER; i++) {
        requests.add(AddRequest.of(text(user, i), user));
      }
      added.put(user, memory.addAll(requests));
    }
    return added;
  }

  private static String text(String user, int i) {
    return "note " + i + " of " + user + " word" + user + "x" + i;
  }

  /**
   * Uses the partitions of other namespaces until {@code evicted} holds: which partition the
   * policy drops is its own choice, so this only raises the others' frequency (bounded).
   */
  private static void evictUntil(Memory memory, BooleanSupplier evicted) {
    for (int round = 0; round < 50; round++) {
      for (int n = 0; n < 6; n++) {
        Memory other = memory.namespace("other" + n);
        if (round == 0) {
          fill(other, 1);
        }
        other.list(ListRequest.builder(Scope.user("user0")).build());
      }
      if (evicted.getAsBoolean()) {
        return;
      }
    }
    throw new AssertionError("the partition was never evicted");
  }

  /** Whether a use of {@code user}'s partition loaded it: it had been evicted. */
  private static boolean reloads(Memory memory, String user) {
    long loads = memory.cacheStats().loads();
    memory.stats(Scope.user(user));
    return memory.cacheStats().loads() > loads;
  }

  private void assertAnswersFromTheStore(Memory memory, String user, List<AddResult> added) {
    MemoryRecord probe = added.get(PER_USER / 2).memory();
    assertThat(memory.search(SearchRequest.builder(Scope.user(user)).query(probe.content())
        .limit(1).build()).memories()).extracting(MemoryRecord::id).containsExactly(probe.id());
    assertThat(contents(memory, user)).isEqualTo(storedContents(user));
  }

  private static Map<String, String> contents(Memory memory, String user) {
    return memory.list(ListRequest.builder(Scope.user(user)).limit(1000).build()).items()
        .stream().collect(Collectors.toMap(MemoryRecord::id, MemoryRecord::content));
  }

  private Map<String, String> storedContents(String user) {
    return volatileStore.load(PartitionKey.user(PartitionKey.DEFAULT_NAMESPACE, user)).stream()
        .collect(Collectors.toMap(StoredMemory::id, stored -> stored.memory().content()));
  }

  private static void pause() {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

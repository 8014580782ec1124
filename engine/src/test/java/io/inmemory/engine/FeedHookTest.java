package io.inmemory.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.AddRequest;
import io.inmemory.InMemoryConfig;
import io.inmemory.engine.embedding.Embeddings;
import io.inmemory.engine.index.IndexSettings;
import io.inmemory.engine.retrieval.RetrievalSettings;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tck.ForwardingStore;
import io.inmemory.engine.tck.HashingEmbedder;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link PartitionCache#ifLoaded}, the change feed's hook: it changes only a partition this
 * process holds, and never misses one whose load read the store before the change.
 */
class FeedHookTest {
  private static final InMemoryConfig CONFIG = InMemoryConfig.builder().isolated().build();
  private static final PartitionKey KEY = PartitionKey.user(PartitionKey.DEFAULT_NAMESPACE, "u1");

  private final VolatileMemoryStore store = new VolatileMemoryStore();
  private final AtomicInteger loads = new AtomicInteger();
  private final CountDownLatch loaded = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile boolean blockLoads;

  /** Counts loads; when asked, holds a load back after it read the store. */
  private final MemoryStore counting = new ForwardingStore(store) {
    @Override
    public List<StoredMemory> load(PartitionKey partition) {
      loads.incrementAndGet();
      List<StoredMemory> read = super.load(partition);
      if (blockLoads) {
        loaded.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return read;
    }
  };

  @Test
  void aPartitionNotHeldIsNeitherLoadedNorChanged() {
    add("a note");
    PartitionCache cache = cache();
    assertThat(cache.ifLoaded(KEY, partition -> {
      throw new AssertionError("changed a partition not held");
    })).isFalse();
    assertThat(loads).hasValue(0);
  }

  @Test
  void aHeldPartitionIsChangedUnderItsLock() {
    String id = add("a note");
    PartitionCache cache = cache();
    try (PartitionCache.Lease lease = cache.acquire(KEY)) {
      assertThat(lease.partition().get(id)).isPresent();
    }
    assertThat(cache.ifLoaded(KEY, partition -> partition.removed(List.of(id)))).isTrue();
    try (PartitionCache.Lease lease = cache.acquire(KEY)) {
      assertThat(lease.partition().read(() -> lease.partition().get(id))).isEmpty();
    }
    assertThat(loads).hasValue(1);
  }

  @Test
  void aChangeCommittedWhileTheLoadRunsReachesTheLoadedPartition() throws Exception {
    add("a note");
    PartitionCache cache = cache();
    blockLoads = true;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Integer> size = pool.submit(() -> {
        try (PartitionCache.Lease lease = cache.acquire(KEY)) {
          return lease.partition().read(lease.partition()::size);
        }
      });
      assertThat(loaded.await(10, TimeUnit.SECONDS)).isTrue();
      // another process's write: the load has read the store already and misses it
      String remote = add("a remote note");
      StoredMemory written = store.load(KEY).stream()
          .filter(memory -> memory.id().equals(remote)).findFirst().orElseThrow();
      Future<Boolean> applied = pool.submit(() ->
          cache.ifLoaded(KEY, partition -> partition.added(List.of(written))));
      Thread.sleep(50);
      release.countDown();

      assertThat(applied.get(10, TimeUnit.SECONDS)).isTrue();
      size.get(10, TimeUnit.SECONDS);
      try (PartitionCache.Lease lease = cache.acquire(KEY)) {
        assertThat(lease.partition().read(() -> lease.partition().get(remote))).isPresent();
      }
      assertThat(loads).hasValue(1);
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  private PartitionCache cache() {
    return new PartitionCache(new PartitionLoader(counting, new Embeddings(new HashingEmbedder(),
        0), IndexSettings.defaults(), RetrievalSettings.from(CONFIG)), 64L << 20);
  }

  /** Adds through an engine of its own on the same store, as another process would. */
  private String add(String content) {
    try (Memory writer = Memory.builder().config(CONFIG).store(new ForwardingStore(store) {
      @Override
      public void close() {
        // the store outlives this writer
      }
    }).embedder(new HashingEmbedder()).build()) {
      return writer.add(AddRequest.of(content, "u1")).memory().id();
    }
  }
}

package io.inmemory.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.AddRequest;
import io.inmemory.InMemoryConfig;
import io.inmemory.StorageException;
import io.inmemory.engine.embedding.Embeddings;
import io.inmemory.engine.index.IndexSettings;
import io.inmemory.engine.retrieval.RetrievalSettings;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tck.ForwardingStore;
import io.inmemory.engine.tck.HashingEmbedder;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link PartitionCache#reload} and {@link PartitionCache#reloadAll}, what the change feed does
 * when only a whole re-read of a partition tells what changed: an idle partition is dropped and
 * loaded on its next use; one in use is reset in place by its next use, never doubled by a second
 * instance that could miss the writes of the operations running on the first.
 */
class PartitionReloadTest {
  private static final InMemoryConfig CONFIG = InMemoryConfig.builder().isolated().build();
  private static final PartitionKey U1 = PartitionKey.user(PartitionKey.DEFAULT_NAMESPACE, "u1");
  private static final PartitionKey U2 = PartitionKey.user(PartitionKey.DEFAULT_NAMESPACE, "u2");

  private final VolatileMemoryStore store = new VolatileMemoryStore();
  private final AtomicInteger loads = new AtomicInteger();
  private volatile boolean unreachable;
  private final MemoryStore counting = new ForwardingStore(store) {
    @Override
    public List<StoredMemory> load(PartitionKey partition) {
      if (unreachable) {
        throw new StorageException("the store is unreachable (test)");
      }
      loads.incrementAndGet();
      return super.load(partition);
    }
  };
  private final PartitionCache cache = new PartitionCache(new PartitionLoader(counting,
      new Embeddings(new HashingEmbedder(), 0), IndexSettings.defaults(),
      RetrievalSettings.from(CONFIG)), 64L << 20);

  @Test
  void anIdlePartitionIsDroppedAndLoadedAgainOnItsNextUse() {
    add("u1", "a note");
    assertThat(size(U1)).isEqualTo(1);
    add("u1", "a remote note");

    cache.reload(U1);

    assertThat(cache.stats().heldPartitions()).isZero();
    assertThat(size(U1)).isEqualTo(2);
    assertThat(loads).hasValue(2);
  }

  @Test
  void aPartitionInUseIsResetInPlaceByItsNextUse() {
    add("u1", "a note");
    try (PartitionCache.Lease running = cache.acquire(U1)) {
      Partition partition = running.partition();
      add("u1", "a remote note");

      cache.reload(U1);

      assertThat(partition.read(partition::size)).as("the operation running goes on unchanged")
          .isEqualTo(1);
      try (PartitionCache.Lease next = cache.acquire(U1)) {
        assertThat(next.partition()).as("no second instance").isSameAs(partition);
        assertThat(partition.read(partition::size)).isEqualTo(2);
      }
    }
    assertThat(cache.stats().loads()).isEqualTo(1);
  }

  @Test
  void aResetThatCannotReadTheStoreFailsTheUseAndIsTriedAgainByTheNext() {
    add("u1", "a note");
    try (PartitionCache.Lease running = cache.acquire(U1)) {
      add("u1", "a remote note");
      cache.reload(U1);
      unreachable = true;

      assertThatThrownBy(() -> cache.acquire(U1)).isInstanceOf(StorageException.class);

      unreachable = false;
      try (PartitionCache.Lease next = cache.acquire(U1)) {
        assertThat(next.partition()).isSameAs(running.partition());
        assertThat(next.partition().read(next.partition()::size)).isEqualTo(2);
      }
    }
  }

  @Test
  void reloadAllReachesEveryPartitionHeldOrInUse() {
    add("u1", "a note");
    add("u2", "a note");
    assertThat(size(U2)).isEqualTo(1);
    try (PartitionCache.Lease running = cache.acquire(U1)) {
      add("u1", "a remote note");
      add("u2", "a remote note");

      assertThat(cache.reloadAll()).isEqualTo(2);

      assertThat(size(U1)).isEqualTo(2);
      assertThat(size(U2)).isEqualTo(2);
    }
    assertThat(cache.reloadAll()).as("u1 idle now, u2 loaded again").isEqualTo(2);
    assertThat(cache.stats().heldPartitions()).isZero();
  }

  @Test
  void aPartitionNotHeldIsNotLoaded() {
    cache.reload(U1);
    assertThat(cache.reloadAll()).isZero();
    assertThat(loads).hasValue(0);
  }

  private int size(PartitionKey key) {
    try (PartitionCache.Lease lease = cache.acquire(key)) {
      return lease.partition().read(lease.partition()::size);
    }
  }

  /** Adds through an engine of its own on the same store, as another process would. */
  private void add(String userId, String content) {
    try (Memory writer = Memory.builder().config(CONFIG).store(new ForwardingStore(store) {
      @Override
      public void close() {
        // the store outlives this writer
      }
    }).embedder(new HashingEmbedder()).build()) {
      writer.add(AddRequest.of(content, userId));
    }
  }
}

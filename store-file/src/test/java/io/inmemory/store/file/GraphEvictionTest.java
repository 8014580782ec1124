package io.inmemory.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.AddRequest;
import io.inmemory.InMemoryConfig;
import io.inmemory.Limits;
import io.inmemory.SearchRequest;
import io.inmemory.engine.Memory;
import io.inmemory.engine.PartitionCacheStats;
import io.inmemory.engine.index.IndexSettings;
import io.inmemory.engine.spi.IndexSnapshots;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.tck.ForwardingStore;
import io.inmemory.engine.retrieval.RetrievalSettings;
import io.inmemory.engine.tck.HashingEmbedder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's HNSW graph survives the cache dropping it: the graph of a partition evicted after it
 * changed is saved as its snapshot by the engine's saver thread, a reload that comes while the
 * save is still running waits for it and restores the graph instead of rebuilding it, and
 * closing the engine saves the held graphs and finishes the saves still queued. Snapshot writes
 * are slowed, so a reload always comes before the save ends. Graph A (just above the HNSW
 * threshold) is built once, in the first engine; B scans exactly and only pushes A out.
 */
class GraphEvictionTest {
  private static final int A_SIZE = IndexSettings.defaults().hnswThreshold() + 100;
  private static final int B_SIZE = IndexSettings.defaults().hnswThreshold() * 3 / 4;
  private static final long SLOW_WRITE_MILLIS = 300;

  @TempDir
  Path dir;

  private final List<String> snapshotWriters = new CopyOnWriteArrayList<>();

  @Test
  void anEvictedGraphIsSavedOffTheEvictionPathAndRestoredOnReload() {
    long budget;
    try (Memory memory = open(Runtime.getRuntime().maxMemory() / 2)) {
      fill(memory, "a", A_SIZE);
      long weightA = memory.cacheStats().heldBytes();
      fill(memory, "b", B_SIZE);
      long weightB = memory.cacheStats().heldBytes() - weightA;
      // either fits alone, both do not
      budget = Math.max(weightA, weightB) + Math.min(weightA, weightB) / 2;
    }
    assertThat(snapshotWriters).as("closing saved the held graph, A's")
        .containsExactly(Thread.currentThread().getName());
    snapshotWriters.clear();

    try (Memory memory = open(budget)) {
      assertThat(topHit(memory, "a", 17)).isEqualTo(note("a", 17));
      // a change: the snapshot no longer matches the graph
      memory.add(AddRequest.of("a fresh fact about zebras", "a"));
      evict(memory, "a");
      // the save sleeps: this reload comes while it runs, and must wait for it
      assertThat(topHit(memory, "a", "zebras")).isEqualTo("a fresh fact about zebras");
      assertThat(snapshotWriters).containsExactly(SnapshotWriters.SAVER);
      PartitionCacheStats stats = memory.cacheStats();
      assertThat(stats.graphsBuilt()).as("no graph rebuilt").isZero();
      assertThat(stats.graphsRestored()).as("A restored twice").isEqualTo(2);

      // changed and dropped right before close, its save still running: close finishes it
      memory.add(AddRequest.of("a last fact about giraffes", "a"));
      evict(memory, "a");
    }

    try (Memory memory = open(Runtime.getRuntime().maxMemory() / 2)) {
      assertThat(topHit(memory, "a", "giraffes")).isEqualTo("a last fact about giraffes");
      assertThat(memory.cacheStats().graphsBuilt()).as("every snapshot was current").isZero();
      assertThat(memory.cacheStats().graphsRestored()).isEqualTo(1);
    }
  }

  /** Uses B until A is the one dropped (the policy may first reject B, the newcomer). */
  private static void evict(Memory memory, String user) {
    for (int i = 0; i < 20; i++) {
      search(memory, "b", "note 5");
      if (memory.cacheStats().heldMemories() == B_SIZE) {
        return;
      }
    }
    throw new AssertionError(user + " was never evicted: " + memory.cacheStats());
  }

  private Memory open(long budget) {
    FileMemoryStore store = FileMemoryStore.open(dir);
    IndexSnapshots slowed = new SnapshotWriters(store.indexSnapshots().orElseThrow());
    // The hashing embedder's cosines barely tell the notes apart: the lexical side, weighted as
    // these checks expect, puts the memory holding the asked word first.
    return Memory.builder().config(InMemoryConfig.builder().isolated()
            .set(Limits.MAX_BATCH_SIZE, A_SIZE).set(RetrievalSettings.LEXICAL_WEIGHT, 0.6).build())
        .cacheMaxHeap(budget)
        .store(new ForwardingStore(store) {
          @Override
          public Optional<IndexSnapshots> indexSnapshots() {
            return Optional.of(slowed);
          }
        })
        .embedder(new HashingEmbedder()).build();
  }

  private static void fill(Memory memory, String user, int size) {
    List<AddRequest> requests = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      requests.add(AddRequest.of(note(user, i), user));
    }
    memory.addAll(requests);
  }

  private static String note(String user, int i) {
    return user + " note " + i + " on topic " + (i % 89);
  }

  private static String topHit(Memory memory, String user, int note) {
    return topHit(memory, user, note(user, note));
  }

  private static String topHit(Memory memory, String user, String query) {
    return search(memory, user, query).get(0);
  }

  private static List<String> search(Memory memory, String user, String query) {
    return memory.search(SearchRequest.builder(user).query(query).limit(3).build()).hits()
        .stream().map(hit -> hit.memory().content()).toList();
  }

  /** The file store's snapshots, writes slowed and the thread of each recorded. */
  private final class SnapshotWriters implements IndexSnapshots {
    static final String SAVER = "inmemory-index-snapshots";
    private final IndexSnapshots delegate;

    SnapshotWriters(IndexSnapshots delegate) {
      this.delegate = delegate;
    }

    @Override
    public Optional<InputStream> read(PartitionKey partition) throws IOException {
      return delegate.read(partition);
    }

    @Override
    public void write(PartitionKey partition, Content content) throws IOException {
      snapshotWriters.add(Thread.currentThread().getName());
      try {
        Thread.sleep(SLOW_WRITE_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      delegate.write(partition, content);
    }

    @Override
    public void delete(PartitionKey partition) throws IOException {
      delegate.delete(partition);
    }
  }
}

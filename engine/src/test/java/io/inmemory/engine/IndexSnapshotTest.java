package io.inmemory.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.AddRequest;
import io.inmemory.AddResult;
import io.inmemory.InMemoryConfig;
import io.inmemory.Limits;
import io.inmemory.SearchHit;
import io.inmemory.SearchRequest;
import io.inmemory.UpdateRequest;
import io.inmemory.engine.index.IndexSettings;
import io.inmemory.engine.retrieval.RetrievalSettings;
import io.inmemory.engine.spi.Embedder;
import io.inmemory.engine.spi.IndexSnapshots;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.tck.ForwardingStore;
import io.inmemory.engine.tck.HashingEmbedder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine saves a large partition's graph on close and restores it on the next load instead of
 * rebuilding it, and rebuilds (with correct results) whenever the snapshot does not fit: stale
 * after a crash, of another embedder, damaged. Real hnswlib, real files.
 */
class IndexSnapshotTest {
  private static final String USER = "u1";
  private static final PartitionKey KEY = new PartitionKey(PartitionKey.DEFAULT_NAMESPACE, USER);
  private static final int SIZE = IndexSettings.defaults().hnswThreshold() + 200;

  @TempDir
  Path dir;
  private Durable store;
  private List<AddResult> added;

  @BeforeEach
  void fillALargePartition() {
    store = new Durable(dir);
    try (Memory memory = open(new HashingEmbedder())) {
      List<AddRequest> requests = new ArrayList<>();
      for (int i = 0; i < SIZE; i++) {
        requests.add(AddRequest.of("note " + i + " about topic " + (i % 101) + " and "
            + (i % 7), USER));
      }
      added = memory.addAll(requests);
      assertThat(index(memory).usesGraph()).isTrue();
    }
  }

  @Test
  void closeSavesTheGraphAndReopeningRestoresIt() {
    assertThat(store.snapshotFile()).exists();
    try (Memory memory = open(new HashingEmbedder())) {
      List<SearchHit> hits = search(memory, "topic 42");

      assertThat(index(memory).graphBuilds()).isZero();
      assertThat(index(memory).usesGraph()).isTrue();
      assertThat(hits).isNotEmpty();
      assertThat(hits.get(0).memory().content()).contains("topic 42 ");
    }
  }

  @Test
  void anUnchangedPartitionIsNotSavedAgain() throws IOException {
    long modified = Files.getLastModifiedTime(store.snapshotFile()).toMillis();
    store.writes = 0;
    try (Memory memory = open(new HashingEmbedder())) {
      search(memory, "topic 3");
    }
    assertThat(store.writes).isZero();
    assertThat(Files.getLastModifiedTime(store.snapshotFile()).toMillis()).isEqualTo(modified);
  }

  @Test
  void aSnapshotMadeStaleByACrashIsDetectedAndRebuilt() {
    List<Consumer<Memory>> changes = List.of(
        memory -> memory.add(AddRequest.of("a brand new zebra crossing", USER)),
        memory -> memory.delete(added.get(5).id(), USER),
        memory -> memory.update(added.get(9).id(), USER,
            UpdateRequest.builder().content("a brand new zebra crossing").build()));
    for (Consumer<Memory> change : changes) {
      // A crash: the engine is abandoned without close, the snapshot stays as it was.
      Memory crashed = open(new HashingEmbedder());
      change.accept(crashed);

      try (Memory memory = open(new HashingEmbedder())) {
        List<SearchHit> hits = search(memory, "zebra crossing");

        assertThat(index(memory).graphBuilds()).isEqualTo(1);
        List<String> contents = hits.stream().map(hit -> hit.memory().content()).toList();
        assertThat(contents).doesNotContain(added.get(5).memory().content());
        assertThat(hits.get(0).memory().content()).isEqualTo("a brand new zebra crossing");
      }
      // closing saved the rebuilt graph: the next load restores it
      try (Memory memory = open(new HashingEmbedder())) {
        search(memory, "zebra");
        assertThat(index(memory).graphBuilds()).isZero();
      }
    }
  }

  @Test
  void anotherEmbedderRebuildsTheGraph() {
    try (Memory memory = open(new HashingEmbedder("hashing:2", 64))) {
      List<SearchHit> hits = search(memory, "topic 42");

      assertThat(index(memory).graphBuilds()).isEqualTo(1);
      assertThat(hits.get(0).memory().content()).contains("topic 42 ");
    }
  }

  @Test
  void aDamagedOrTruncatedSnapshotIsRebuiltNotTrusted() throws IOException {
    byte[] saved = Files.readAllBytes(store.snapshotFile());
    byte[] damaged = saved.clone();
    damaged[saved.length / 2] ^= 0x10;
    byte[] truncated = java.util.Arrays.copyOf(saved, saved.length / 3);
    for (byte[] bad : List.of(damaged, truncated, new byte[0])) {
      Files.write(store.snapshotFile(), bad);
      Memory memory = open(new HashingEmbedder());
      List<SearchHit> hits = search(memory, "topic 42");

      assertThat(index(memory).graphBuilds()).isEqualTo(1);
      assertThat(hits.get(0).memory().content()).contains("topic 42 ");
      // not closed, so that the next round meets the bad file again
    }
  }

  @Test
  void concurrentSearchesDuringTheLoadAllSeeTheWholePartition() throws Exception {
    try (Memory memory = open(new HashingEmbedder())) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Callable<List<SearchHit>>> searches = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          int topic = i * 11;
          searches.add(() -> search(memory, "topic " + topic));
        }
        List<Future<List<SearchHit>>> results = pool.invokeAll(searches);
        for (int i = 0; i < results.size(); i++) {
          assertThat(results.get(i).get().get(0).memory().content())
              .contains("topic " + i * 11 + " ");
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(index(memory).graphBuilds()).isZero();
      assertThat(memory.getUserStats(USER).memoryCount()).isEqualTo(SIZE);
    }
  }

  @Test
  void aPartitionThatShrankBelowTheThresholdDropsItsSnapshot() {
    try (Memory memory = open(new HashingEmbedder())) {
      for (int i = 0; i < 300; i++) {
        memory.delete(added.get(i).id(), USER);
      }
    }
    try (Memory memory = open(new HashingEmbedder())) {
      search(memory, "topic 1");
      assertThat(index(memory).usesGraph()).isFalse();
    }
    assertThat(store.snapshotFile()).doesNotExist();
  }

  private Memory open(Embedder embedder) {
    // The hashing embedder's cosines barely tell the notes apart: the lexical side, weighted as
    // these checks expect, puts a note of the asked topic first.
    return Memory.builder().config(InMemoryConfig.builder().isolated()
            .set(Limits.MAX_BATCH_SIZE, SIZE).set(RetrievalSettings.LEXICAL_WEIGHT, 0.6).build())
        .store(store)
        .embedder(embedder).build();
  }

  private static io.inmemory.engine.index.VectorIndex index(Memory memory) {
    return memory.partition(KEY).index();
  }

  private static List<SearchHit> search(Memory memory, String query) {
    return memory.search(SearchRequest.builder(USER).query(query).limit(5).build()).hits();
  }

  /**
   * A store that outlives the engines using it (close is a no-op; the data stays for the next
   * engine, as a durable store's would) and keeps index snapshots as files in a directory.
   */
  private static final class Durable extends ForwardingStore implements IndexSnapshots {
    private final Path dir;
    private volatile int writes;

    Durable(Path dir) {
      super(new VolatileMemoryStore());
      this.dir = dir;
    }

    Path snapshotFile() {
      return dir.resolve("u1.hnsw");
    }

    private Path file(PartitionKey partition) {
      return dir.resolve(partition.userId() + ".hnsw");
    }

    @Override
    public Optional<IndexSnapshots> indexSnapshots() {
      return Optional.of(this);
    }

    @Override
    public Optional<InputStream> read(PartitionKey partition) throws IOException {
      Path file = file(partition);
      return Files.exists(file) ? Optional.of(Files.newInputStream(file)) : Optional.empty();
    }

    @Override
    public void write(PartitionKey partition, Content content) throws IOException {
      Path temp = dir.resolve(partition.userId() + ".tmp");
      try (OutputStream out = Files.newOutputStream(temp)) {
        content.writeTo(out);
      }
      Files.move(temp, file(partition), StandardCopyOption.ATOMIC_MOVE);
      writes++;
    }

    @Override
    public void delete(PartitionKey partition) throws IOException {
      Files.deleteIfExists(file(partition));
    }

    @Override
    public void ping() {}

    @Override
    public String describe() {
      return "test store with index snapshots in " + dir;
    }

    @Override
    public void close() {}
  }
}

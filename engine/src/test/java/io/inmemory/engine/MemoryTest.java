package io.inmemory.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.AddRequest;
import io.inmemory.ConfigurationException;
import io.inmemory.ContentTooLargeException;
import io.inmemory.Health;
import io.inmemory.InMemoryConfig;
import io.inmemory.Limits;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryClients;
import io.inmemory.SearchRequest;
import io.inmemory.SearchResult;
import io.inmemory.StorageException;
import io.inmemory.engine.spi.ChangeSet;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tck.ForwardingStore;
import io.inmemory.engine.tck.HashingEmbedder;
import io.inmemory.engine.temporal.TemporalParser;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Engine mechanics that the client contract suite cannot see from outside. */
class MemoryTest {
  /** A store whose disk is full: reads work, writes and pings fail. */
  private static final class BrokenDiskStore extends ForwardingStore {
    BrokenDiskStore(MemoryStore delegate) {
      super(delegate);
    }

    @Override
    public void insert(List<StoredMemory> memories, List<io.inmemory.HistoryEntry> entries) {
      throw new StorageException("disk full");
    }

    @Override
    public void replace(StoredMemory memory, io.inmemory.HistoryEntry entry) {
      throw new StorageException("disk full");
    }

    @Override
    public void commit(ChangeSet changes) {
      throw new StorageException("disk full");
    }

    @Override
    public void replaceEmbeddings(List<StoredMemory> memories) {
      throw new StorageException("disk full");
    }

    @Override
    public int delete(PartitionKey partition, List<String> ids,
        List<io.inmemory.HistoryEntry> entries) {
      throw new StorageException("disk full");
    }

    @Override
    public void ping() {
      throw new StorageException("disk full");
    }

    @Override
    public String describe() {
      return "broken disk";
    }
  }

  private static final InMemoryConfig ISOLATED = InMemoryConfig.builder().isolated().build();

  private static Memory memory(MemoryStore store, HashingEmbedder embedder) {
    return Memory.builder().config(ISOLATED).store(store).embedder(embedder)
        .timeZone(ZoneOffset.UTC).build();
  }

  @Test
  void queryEmbeddingsAreCachedAndDocumentsBatched() {
    HashingEmbedder embedder = new HashingEmbedder();
    try (Memory memory = memory(new VolatileMemoryStore(), embedder)) {
      memory.addAll(List.of(AddRequest.of("pizza is great", "u1"),
          AddRequest.of("broccoli is not", "u1"), AddRequest.of("rex the dog", "u1")));
      memory.search("pizza", "u1");
      memory.search("pizza", "u1");

      assertThat(embedder.documentCalls()).isEqualTo(1);
      assertThat(embedder.queryCalls()).isEqualTo(1);
    }
  }

  @Test
  void aChangedEmbedderIsDetectedAndEveryMemoryReembedded() {
    VolatileMemoryStore store = new VolatileMemoryStore();
    HashingEmbedder oldModel = new HashingEmbedder("hashing:1", 64);
    List<StoredMemory> stored = List.of(
        new StoredMemory(PartitionKey.DEFAULT_NAMESPACE,
            Memory.builder().config(ISOLATED).store(new VolatileMemoryStore()).embedder(oldModel)
                .build().add("pizza with friends", "u1").memory(),
            oldModel.embedDocuments(List.of("pizza with friends")).get(0), oldModel.id()));
    store.insert(stored, List.of());
    HashingEmbedder newModel = new HashingEmbedder("hashing:2", 32);

    try (Memory memory = memory(store, newModel)) {
      SearchResult result = memory.search("pizza", "u1");

      assertThat(result.memories()).extracting("content").containsExactly("pizza with friends");
      assertThat(store.load(new PartitionKey(PartitionKey.DEFAULT_NAMESPACE, "u1")))
          .allSatisfy(memoryInStore -> {
            assertThat(memoryInStore.embedderId()).isEqualTo("hashing:2");
            assertThat(memoryInStore.embedding()).hasSize(32);
          });
    }
  }

  @Test
  void contentSizeIsCountedInUtf8Bytes() {
    try (Memory memory = Memory.builder().config(ISOLATED).store(new VolatileMemoryStore())
        .embedder(new HashingEmbedder()).maxMemorySize(8).build()) {
      memory.add("12345678", "u1");

      // Four two-byte characters fit; five do not, though they are five chars.
      memory.add("éééé", "u1");
      assertThatThrownBy(() -> memory.add("ééééé", "u1"))
          .isInstanceOf(ContentTooLargeException.class)
          .hasMessageContaining("10 bytes");
      assertThat(memory.getUserStats("u1").memoryCount()).isEqualTo(2);
    }
  }

  @Test
  void configuredLimitsAreCheckedBeforeAnyEmbeddingOrParsing() {
    HashingEmbedder embedder = new HashingEmbedder();
    InMemoryConfig config = InMemoryConfig.builder().isolated()
        .set(Limits.MAX_QUERY_LENGTH, 10).set(Limits.MAX_TEMPORAL_LENGTH, 9)
        .set(Limits.MAX_BATCH_SIZE, 2).build();
    try (Memory memory = Memory.builder().config(config).store(new VolatileMemoryStore())
        .embedder(embedder).build()) {
      assertThat(memory.limits()).isEqualTo(Limits.from(config));

      assertThatThrownBy(() -> memory.search("eleven char", "u1"))
          .isInstanceOf(ContentTooLargeException.class).hasMessageContaining("query: is 11");
      // "yesterday " parses, but is one character over: rejected before the grammar sees it.
      assertThatThrownBy(() -> memory.temporalSearch("yesterday ", "u1"))
          .isInstanceOf(ContentTooLargeException.class).hasMessageContaining("temporal: is 10");
      assertThatThrownBy(() -> memory.addAll(List.of(AddRequest.of("a", "u1"),
          AddRequest.of("b", "u1"), AddRequest.of("c", "u1"))))
          .isInstanceOf(ContentTooLargeException.class).hasMessageContaining("has 3 requests");
      assertThat(embedder.queryCalls()).isZero();
      assertThat(embedder.documentCalls()).isZero();

      assertThat(memory.search("ten chars!", "u1").hits()).isEmpty();
      assertThat(embedder.queryCalls()).isOne();
    }
  }

  @Test
  void aFailingStoreChangesNothingInMemoryAndHealthReportsIt() {
    MemoryStore failing = new BrokenDiskStore(new VolatileMemoryStore());
    try (Memory memory = memory(failing, new HashingEmbedder())) {
      assertThatThrownBy(() -> memory.add("pizza", "u1")).isInstanceOf(StorageException.class);

      assertThat(memory.getAll("u1", 10, 0).total()).isZero();
      assertThat(memory.search("pizza", "u1").hits()).isEmpty();
      Health health = memory.healthCheck();
      assertThat(health.status()).isEqualTo(Health.Status.DOWN);
      assertThat(health.components().get("store").detail()).contains("disk full");
      assertThat(health.components().get("embedder").status()).isEqualTo(Health.Status.UP);
    }
  }

  @Test
  void theClockStampsCreatedAtAndHistory() {
    Instant fixed = Instant.parse("2025-01-02T03:04:05.678901Z");
    try (Memory memory = Memory.builder().config(ISOLATED).store(new VolatileMemoryStore())
        .embedder(new HashingEmbedder()).clock(Clock.fixed(fixed, ZoneOffset.UTC)).build()) {
      var added = memory.add("hello", "u1").memory();

      assertThat(added.createdAt()).isEqualTo(Instant.parse("2025-01-02T03:04:05.678Z"));
      assertThat(memory.history(added.id(), "u1").get(0).at()).isEqualTo(added.createdAt());
    }
  }

  @Test
  void closedEngineRejectsCallsAndCloseIsIdempotent() {
    Memory memory = memory(new VolatileMemoryStore(), new HashingEmbedder());
    memory.close();
    memory.close();

    assertThatThrownBy(() -> memory.search("x", "u1")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void asyncViewRunsOperationsAndFailsFuturesWithTheSameExceptions() {
    try (Memory memory = memory(new VolatileMemoryStore(), new HashingEmbedder())) {
      var async = memory.async();
      var added = async.add("pizza night", "u1").join();

      assertThat(async.get(added.id(), "u1").join()).contains(added.memory());
      assertThatThrownBy(() -> async.update(added.id(), "u2",
              io.inmemory.UpdateRequest.builder().content("x").build()).join())
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(io.inmemory.NotFoundException.class);
      assertThat(memory.async()).isSameAs(async);
    }
  }

  @Test
  void idleAsyncPoolThreadsEndSoUnclosedViewsHoldNone() throws InterruptedException {
    try (Memory memory = memory(new VolatileMemoryStore(), new HashingEmbedder())) {
      AsyncMemory async = new AsyncMemory(memory.namespace("p"), java.time.Duration.ofSeconds(1));
      var added = async.add("pizza night", "u1");
      // Submitting starts a worker at once; it can end only after a full idle second.
      assertThat(async.threads()).isPositive();
      added.join();

      // Polls rather than asserting a duration: the threads end some time after 1 s idle.
      for (int i = 0; i < 1_000 && async.threads() > 0; i++) {
        Thread.sleep(10);
      }
      assertThat(async.threads()).isZero();
      assertThat(async.getAll("u1", 10, 0).join().items()).hasSize(1);
    }
  }

  @Test
  void invalidConfigurationIsReportedAllAtOnce() {
    InMemoryConfig config = InMemoryConfig.builder().isolated()
        .set("inmemory.max-memory-size", "lots")
        .set("inmemory.week-start", "someday")
        .set("inmemory.embedder.query-cache-size", "-1")
        .build();

    assertThatThrownBy(() -> Memory.builder().config(config).embedder(new HashingEmbedder())
            .build())
        .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
            .hasSize(3)
            .anySatisfy(p -> assertThat(p).contains("inmemory.max-memory-size"))
            .anySatisfy(p -> assertThat(p).contains("inmemory.week-start"))
            .anySatisfy(p -> assertThat(p).contains("inmemory.embedder.query-cache-size")));
  }

  @Test
  void withoutAnyEmbedderOnTheClasspathTheErrorSaysWhatToAdd() {
    assertThatThrownBy(() -> new Memory(ISOLATED))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("No embedder on the classpath")
        .hasMessageContaining("inmemory-embeddings-onnx");
  }

  @Test
  void anUnknownStoreNameListsTheCandidatesAndTheKey() {
    InMemoryConfig config = InMemoryConfig.builder().isolated().set("inmemory.store", "cassandra")
        .build();

    assertThatThrownBy(() -> Memory.builder().config(config).embedder(new HashingEmbedder())
            .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'cassandra'")
        .hasMessageContaining("'memory' (io.inmemory.engine.VolatileStoreProvider)")
        .hasMessageContaining("inmemory.store")
        .hasMessageContaining("INMEMORY_STORE");
  }

  @Test
  void withNoDurableStoreTheVolatileStoreIsUsed() {
    try (Memory memory = Memory.builder().config(ISOLATED).embedder(new HashingEmbedder())
        .build()) {
      assertThat(memory.healthCheck().components().get("store").detail()).contains("volatile");
    }
  }

  @Test
  void memoryClientsSelectsTheLocalRuntimeByMode() {
    InMemoryConfig config = InMemoryConfig.builder().isolated().set("inmemory.mode", "managed")
        .build();

    assertThatThrownBy(() -> MemoryClients.create(config))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'managed'")
        .hasMessageContaining("'local' (io.inmemory.engine.LocalMemoryClientProvider)");
  }

  @Test
  void filteredSearchFindsTheOnlyMatchAmongManyCloserMemories() {
    try (MemoryClient memory = memory(new VolatileMemoryStore(), new HashingEmbedder())) {
      List<AddRequest> requests = new java.util.ArrayList<>();
      for (int i = 0; i < 300; i++) {
        requests.add(AddRequest.builder("pizza pizza pizza " + i, "u1").tags("food").build());
      }
      requests.add(AddRequest.builder("a rare note about pizza", "u1").tags("rare").build());
      memory.addAll(requests);

      SearchResult result = memory.search(SearchRequest.builder("u1").query("pizza")
          .tags(List.of("rare")).limit(5).build());

      assertThat(result.memories()).extracting("content").containsExactly("a rare note about pizza");
    }
  }

  @Test
  void aGivenStoreIsClosedWhenTheEngineCannotStart() {
    MemoryStore store = new VolatileMemoryStore();
    InMemoryConfig invalid = InMemoryConfig.builder().isolated()
        .set(TemporalParser.WEEK_START.name(), "someday").build();

    assertThatThrownBy(() -> Memory.builder().config(invalid).store(store)
        .embedder(new HashingEmbedder()).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("someday");
    assertThatThrownBy(store::ping).isInstanceOf(IllegalStateException.class);
  }
}

package io.inmemory.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.AddRequest;
import io.inmemory.AddResult;
import io.inmemory.ConversationRequest;
import io.inmemory.ConversationResult;
import io.inmemory.EventType;
import io.inmemory.InMemoryConfig;
import io.inmemory.Limits;
import io.inmemory.MemoryEvent;
import io.inmemory.Message;
import io.inmemory.Scope;
import io.inmemory.SearchHit;
import io.inmemory.SearchRequest;
import io.inmemory.engine.index.IndexSettings;
import io.inmemory.engine.tck.HashingEmbedder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Many more threads than cores on one user whose partition is past the exact/HNSW cross-over:
 * hnswlib-core deadlocks when more threads than cores enter one index, so this proves the engine
 * bounds its access, and that concurrent adds, deletes and searches lose nothing.
 */
class MemoryConcurrencyTest {
  private static final int THREADS = 32;

  @Test
  void manyThreadsAddSearchAndDeleteOnAGraphPartitionWithoutLossOrDeadlock() throws Exception {
    int preload = IndexSettings.defaults().hnswThreshold() + 500;
    InMemoryConfig config = InMemoryConfig.builder().isolated()
        .set(Limits.MAX_BATCH_SIZE, preload).build();
    try (Memory memory = Memory.builder().config(config).store(new VolatileMemoryStore())
        .embedder(new HashingEmbedder()).build()) {
      List<AddRequest> initial = new ArrayList<>();
      for (int i = 0; i < preload; i++) {
        initial.add(AddRequest.of("preloaded note " + i + " about topic " + (i % 97), "u1"));
      }
      List<AddResult> preloaded = memory.addAll(initial);

      Set<String> added = ConcurrentHashMap.newKeySet();
      Set<String> deleted = ConcurrentHashMap.newKeySet();
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < 40; i++) {
            switch (thread % 3) {
              case 0 -> added.add(memory.add(AddRequest.builder("note t" + thread + "x" + i, "u1")
                  .metadata(java.util.Map.of("probe", thread * 1000 + i)).build()).id());
              case 1 -> {
                String id = preloaded.get(thread * 40 + i).id();
                if (memory.delete(id, "u1")) {
                  deleted.add(id);
                }
              }
              default -> {
                List<SearchHit> hits = memory.search(SearchRequest.builder("u1")
                    .query("note about topic " + i).limit(10).build()).hits();
                assertThat(hits).hasSizeLessThanOrEqualTo(10);
              }
            }
          }
          return null;
        }));
      }
      start.countDown();
      pool.shutdown();
      // A deadlock detector, not a speed assertion: the work takes seconds.
      assertThat(pool.awaitTermination(Duration.ofMinutes(3).toSeconds(), TimeUnit.SECONDS))
          .as("all threads finished (no deadlock)").isTrue();
      for (Future<?> future : futures) {
        future.get();
      }

      long expected = preload + added.size() - deleted.size();
      assertThat(memory.getUserStats("u1").memoryCount()).isEqualTo(expected);
      assertThat(memory.getAll("u1", 1, 0).total()).isEqualTo(expected);
      for (String id : deleted) {
        assertThat(memory.get(id, "u1")).isEmpty();
      }
      // The graph is approximate, so presence in the index is checked through a filter that
      // only this memory passes: the true top-k contract then makes the search exact.
      for (String id : added) {
        var record = memory.get(id, "u1").orElseThrow();
        assertThat(memory.search(SearchRequest.builder("u1").query(record.content())
                .metadata(record.metadata()).limit(10).build()).memories())
            .as("a concurrently added memory is in the index").extracting("id").containsExactly(id);
      }
    }
  }

  /**
   * Conversations racing on one scope: the texts they share are stored once, whichever thread
   * wins, and every other thread's event names that memory; the texts of their own are all kept.
   */
  @Test
  void concurrentConversationsOfSharedTextsStoreEachTextOnce() throws Exception {
    int threads = 8;
    List<String> shared = List.of("We moved to Oslo", "The kids started school", "I love skiing");
    try (Memory memory = Memory.builder().config(InMemoryConfig.builder().isolated().build())
        .store(new VolatileMemoryStore()).embedder(new HashingEmbedder()).build()) {
      Scope scope = Scope.user("u1").withSession("chat");
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<ConversationResult>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        List<Message> messages = new ArrayList<>();
        shared.forEach(text -> messages.add(Message.user(text)));
        messages.add(Message.assistant("Reply number " + t));
        futures.add(pool.submit(() -> {
          start.await();
          return memory.add(ConversationRequest.builder(scope).messages(messages).build());
        }));
      }
      start.countDown();
      pool.shutdown();
      assertThat(pool.awaitTermination(2, TimeUnit.MINUTES)).as("no deadlock").isTrue();

      Map<String, Set<String>> idsByText = new ConcurrentHashMap<>();
      int added = 0;
      for (Future<ConversationResult> future : futures) {
        for (MemoryEvent event : future.get().events()) {
          idsByText.computeIfAbsent(event.memory().content(), text -> new HashSet<>())
              .add(event.memory().id());
          added += event.type() == EventType.ADD ? 1 : 0;
        }
      }
      assertThat(added).isEqualTo(shared.size() + threads);
      assertThat(shared).allSatisfy(text -> assertThat(idsByText.get(text)).hasSize(1));
      assertThat(memory.getAll("u1", 100, 0).total()).isEqualTo(shared.size() + threads);
    }
  }
}

package io.inmemory.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.inmemory.AddRequest;
import io.inmemory.ConversationRequest;
import io.inmemory.ExtractionException;
import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryRecord;
import io.inmemory.Message;
import io.inmemory.Scope;
import io.inmemory.SearchRequest;
import io.inmemory.StorageException;
import io.inmemory.engine.spi.Decision;
import io.inmemory.engine.spi.EngineMetrics;
import io.inmemory.engine.spi.EngineMetrics.Purpose;
import io.inmemory.engine.spi.EngineMetrics.Step;
import io.inmemory.engine.spi.EngineMetrics.StoreOperation;
import io.inmemory.engine.spi.ExtractionInput;
import io.inmemory.engine.spi.Extractor;
import io.inmemory.engine.spi.Fact;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.ReconciliationInput;
import io.inmemory.engine.tck.HashingEmbedder;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * An engine given {@link EngineMetrics} reports each embedder call, query cache lookup and store
 * call, with its outcome; failures are reported and still thrown.
 */
class EngineMetricsTest {
  private static final InMemoryConfig ISOLATED = InMemoryConfig.builder().isolated().build();

  /** What the engine reported, in order. */
  private static final class Recorded implements EngineMetrics {
    final List<String> embeddings = new CopyOnWriteArrayList<>();
    final List<Boolean> cacheHits = new CopyOnWriteArrayList<>();
    final List<String> storeCalls = new CopyOnWriteArrayList<>();
    final List<String> extractions = new CopyOnWriteArrayList<>();

    @Override
    public void extraction(Step step, long nanos, boolean failed) {
      assertThat(nanos).isNotNegative();
      extractions.add(step + (failed ? " failed" : ""));
    }

    @Override
    public void embedded(Purpose purpose, int texts, long nanos, boolean failed) {
      assertThat(nanos).isNotNegative();
      embeddings.add(purpose + " " + texts + (failed ? " failed" : ""));
    }

    @Override
    public void queryCache(boolean hit) {
      cacheHits.add(hit);
    }

    @Override
    public void storeCall(StoreOperation operation, long nanos, boolean failed) {
      assertThat(nanos).isNotNegative();
      storeCalls.add(operation + (failed ? " failed" : ""));
    }

    long calls(String call) {
      return storeCalls.stream().filter(call::equals).count();
    }
  }

  private static Memory memory(MemoryStore store, EngineMetrics metrics) {
    return Memory.builder().config(ISOLATED).store(store).embedder(new HashingEmbedder())
        .metrics(metrics).build();
  }

  @Test
  void embeddingsQueryCacheAndStoreCallsAreReported() {
    Recorded recorded = new Recorded();
    try (Memory memory = memory(new VolatileMemoryStore(), recorded)) {
      MemoryRecord first = memory.add(AddRequest.of("pizza is great", "u1")).memory();
      memory.addAll(List.of(AddRequest.of("rex the dog", "u1"),
          AddRequest.of("tea at five", "u1")));
      assertThat(recorded.embeddings).containsExactly("DOCUMENT 1", "DOCUMENT 2");
      assertThat(recorded.calls("INSERT")).isEqualTo(2);
      assertThat(recorded.calls("LOAD")).isEqualTo(1);

      memory.search(SearchRequest.builder("u1").query("pizza").build());
      memory.search(SearchRequest.builder("u1").query("pizza").build());
      memory.search(SearchRequest.builder("u1").query("dogs").build());
      assertThat(recorded.cacheHits).containsExactly(false, true, false);
      assertThat(recorded.embeddings).containsExactly("DOCUMENT 1", "DOCUMENT 2", "QUERY 1",
          "QUERY 1");

      memory.history(first.id(), "u1");
      memory.delete(first.id(), "u1");
      assertThat(recorded.calls("HISTORY")).isEqualTo(1);
      assertThat(recorded.calls("DELETE")).isEqualTo(1);
      assertThat(recorded.storeCalls).noneMatch(call -> call.endsWith("failed"));
    }
  }

  @Test
  void aFailingStoreCallIsReportedAndStillThrown() {
    Recorded recorded = new Recorded();
    MemoryStore volatileStore = new VolatileMemoryStore();
    // the volatile store whose inserts fail
    MemoryStore full = (MemoryStore) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {MemoryStore.class}, (proxy, method, args) -> {
          if (method.getName().equals("insert")) {
            throw new StorageException("disk full");
          }
          try {
            return method.invoke(volatileStore, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    try (Memory memory = memory(full, recorded)) {
      assertThatThrownBy(() -> memory.add(AddRequest.of("pizza is great", "u1")))
          .isInstanceOf(StorageException.class).hasMessageContaining("disk full");
      assertThat(recorded.storeCalls).contains("INSERT failed").doesNotContain("INSERT");
    }
  }

  @Test
  void extractorCallsAreReportedWithTheirOutcome() {
    Recorded recorded = new Recorded();
    boolean[] fail = {false};
    Extractor extractor = new Extractor() {
      @Override
      public String id() {
        return "scripted";
      }

      @Override
      public List<Fact> extract(ExtractionInput input) {
        if (fail[0]) {
          throw new ExtractionException(ExtractionException.Reason.UNAVAILABLE, "model down");
        }
        return List.of(new Fact("alice drinks tea", List.of(), null, List.of(), null, List.of()));
      }

      @Override
      public List<Decision> reconcile(ReconciliationInput input) {
        throw new AssertionError("nothing to reconcile with in an empty store");
      }
    };
    try (Memory memory = Memory.builder().config(ISOLATED).store(new VolatileMemoryStore())
        .embedder(new HashingEmbedder()).extractor(extractor).metrics(recorded).build()) {
      memory.add(ConversationRequest.builder(Scope.user("alice"))
          .messages(Message.user("I drink tea")).build());
      assertThat(recorded.extractions).containsExactly("EXTRACT");
      fail[0] = true;
      catchThrowable(() -> memory.add(ConversationRequest.builder(Scope.user("bob"))
          .messages(Message.user("I drink coffee")).build()));
      assertThat(recorded.extractions).containsExactly("EXTRACT", "EXTRACT failed");
    }
  }
}

package io.inmemory.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.AddResult;
import io.inmemory.InMemoryConfig;
import io.inmemory.NotFoundException;
import io.inmemory.UpdateRequest;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.tck.HashingEmbedder;
import org.junit.jupiter.api.Test;

/** Namespace views: one engine, isolated namespaces, the view's own lifecycle. */
class MemoryNamespaceTest {
  private static final InMemoryConfig ISOLATED = InMemoryConfig.builder().isolated().build();

  private static Memory memory(VolatileMemoryStore store) {
    return Memory.builder().config(ISOLATED).store(store).embedder(new HashingEmbedder()).build();
  }

  @Test
  void namespacesNeverSeeEachOthersMemories() {
    VolatileMemoryStore store = new VolatileMemoryStore();
    try (Memory memory = memory(store)) {
      Memory one = memory.namespace("proj-1");
      Memory two = memory.namespace("proj-2");
      AddResult added = one.add("I love pizza", "alice");

      assertThat(one.get(added.id(), "alice")).isPresent();
      assertThat(two.get(added.id(), "alice")).isEmpty();
      assertThat(memory.get(added.id(), "alice")).isEmpty();
      assertThat(two.search("pizza", "alice").hits()).isEmpty();
      assertThat(two.getAll("alice", 10, 0).total()).isZero();
      assertThat(two.delete(added.id(), "alice")).isFalse();
      assertThat(two.deleteAll("alice")).isZero();
      assertThatThrownBy(() -> two.update(added.id(), "alice",
          UpdateRequest.builder().content("x").build())).isInstanceOf(NotFoundException.class);
      assertThatThrownBy(() -> two.history(added.id(), "alice"))
          .isInstanceOf(NotFoundException.class);
      assertThat(two.getUserStats("alice").memoryCount()).isZero();

      assertThat(one.search("pizza", "alice").hits()).hasSize(1);
      assertThat(store.load(new PartitionKey("proj-1", "alice"))).hasSize(1);
      assertThat(store.load(new PartitionKey(PartitionKey.DEFAULT_NAMESPACE, "alice"))).isEmpty();
    }
  }

  @Test
  void viewsOfTheSameNamespaceShareData() {
    try (Memory memory = memory(new VolatileMemoryStore())) {
      AddResult added = memory.namespace("p").add("hello", "bob");
      assertThat(memory.namespace("p").get(added.id(), "bob")).isPresent();
      assertThat(memory.namespace("p").namespace("q").get(added.id(), "bob")).isEmpty();
    }
  }

  @Test
  void closingAViewKeepsTheEngineOpenAndClosingTheEngineClosesViews() {
    VolatileMemoryStore store = new VolatileMemoryStore();
    Memory memory = memory(store);
    Memory view = memory.namespace("p");
    view.close();
    assertThatThrownBy(() -> view.add("x", "u")).isInstanceOf(IllegalStateException.class);
    memory.add("still open", "u");
    store.ping();

    Memory other = memory.namespace("q");
    memory.close();
    assertThatThrownBy(() -> other.add("x", "u")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> memory.namespace("r")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void accessIsTheStoresAccessStoreInEveryView() {
    VolatileMemoryStore store = new VolatileMemoryStore();
    try (Memory memory = memory(store)) {
      assertThat(memory.access()).isSameAs(store.access());
      assertThat(memory.namespace("p").access()).isSameAs(store.access());
    }
  }

  @Test
  void malformedNamespacesAreRejected() {
    try (Memory memory = memory(new VolatileMemoryStore())) {
      for (String bad : new String[] {"", " ", "-x", "a/b", "x".repeat(65)}) {
        assertThatThrownBy(() -> memory.namespace(bad))
            .isInstanceOf(IllegalArgumentException.class);
      }
    }
  }
}

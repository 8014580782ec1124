package io.inmemory.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.AddRequest;
import io.inmemory.InMemoryConfig;
import io.inmemory.InvalidRequestException;
import io.inmemory.MemoryRecord;
import io.inmemory.Scope;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.PartitionSummary;
import io.inmemory.engine.tck.HashingEmbedder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Memory#partitions}: a namespace's users and agents, paged, read from the store. */
class MemoryPartitionsTest {
  private static final InMemoryConfig ISOLATED = InMemoryConfig.builder().isolated().build();

  private static Memory memory(VolatileMemoryStore store) {
    return Memory.builder().config(ISOLATED).store(store).embedder(new HashingEmbedder()).build();
  }

  private static List<String> owners(List<PartitionSummary> page) {
    return page.stream().map(summary -> summary.partition().owner()).toList();
  }

  @Test
  void listsTheNamespacesUsersThenAgentsWithCountsAndNewestCreation() {
    try (Memory memory = memory(new VolatileMemoryStore())) {
      Memory project = memory.namespace("proj-1");
      project.add("I love pizza", "bob");
      project.add("My dog is called Rex", "bob");
      project.add("I live in Lyon", "alice");
      project.add(AddRequest.builder("Answer in French", Scope.agent("bot")).build());
      memory.namespace("proj-2").add("Not in proj-1", "carol");
      memory.add("Not in proj-1 either", "dave");

      List<PartitionSummary> page = project.partitions(null, 10);

      assertThat(owners(page)).containsExactly("alice", "bob", "~bot");
      assertThat(page).extracting(PartitionSummary::memories).containsExactly(1L, 2L, 1L);
      Instant bobsNewest = project.getAll("bob", 10, 0).items().stream()
          .map(MemoryRecord::createdAt).max(Instant::compareTo).orElseThrow();
      assertThat(page.get(1).lastCreated()).isEqualTo(bobsNewest);
      assertThat(page.get(2).partition()).isEqualTo(PartitionKey.agent("proj-1", "bot"));
      assertThat(owners(project.partitions("alice", 1))).containsExactly("bob");
      assertThat(owners(project.partitions("bob", 5))).containsExactly("~bot");
      assertThat(owners(memory.partitions(null, 10))).containsExactly("dave");

      project.deleteAll(Scope.user("bob"));
      assertThat(owners(project.partitions(null, 10))).containsExactly("alice", "~bot");
    }
  }

  @Test
  void readsTheStoreWithoutLoadingPartitions() {
    VolatileMemoryStore store = new VolatileMemoryStore();
    try (Memory writer = memory(store)) {
      writer.add("I love pizza", "alice");
      writer.add("I love tea", "bob");
      Memory reader = memory(store);

      assertThat(owners(reader.partitions(null, 10))).containsExactly("alice", "bob");
      assertThat(reader.cacheStats().loads()).isZero();
      assertThat(reader.cacheStats().heldPartitions()).isZero();
    }
  }

  @Test
  void refusesALimitOutOfRangeAndAClosedEngine() {
    Memory memory = memory(new VolatileMemoryStore());
    for (int limit : new int[] {0, -5, PartitionSummary.MAX_LIMIT + 1}) {
      assertThatThrownBy(() -> memory.partitions(null, limit))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("limit");
    }
    assertThat(memory.partitions(null, PartitionSummary.MAX_LIMIT)).isEmpty();
    memory.close();
    assertThatThrownBy(() -> memory.partitions(null, 10))
        .isInstanceOf(IllegalStateException.class);
  }
}

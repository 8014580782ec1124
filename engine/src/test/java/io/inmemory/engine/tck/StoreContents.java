package io.inmemory.engine.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.HistoryEntry;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a store must hold, for the stores' migration tests: a fixture written by an older format
 * reads back as exactly these memories and histories. Stateless.
 */
public final class StoreContents {
  private StoreContents() {}

  /**
   * Asserts that each partition of {@code memories} holds exactly its memories (in any order) and
   * that each memory id of {@code history} has exactly its entries, oldest first.
   *
   * @param partitionOf the partition of each memory id of {@code history}
   */
  public static void assertHolds(MemoryStore store, Map<PartitionKey, List<StoredMemory>> memories,
      Map<String, List<HistoryEntry>> history, Function<String, PartitionKey> partitionOf) {
    memories.forEach((partition, expected) ->
        assertThat(store.load(partition)).as("memories of %s", partition)
            .containsExactlyInAnyOrderElementsOf(expected));
    history.forEach((id, entries) ->
        assertThat(store.history(partitionOf.apply(id), id)).as("history of %s", id)
            .isEqualTo(entries));
  }
}

package io.inmemory.engine.spi;

import io.inmemory.HistoryEntry;
import io.inmemory.MemoryRecord;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a store keeps per memory: the record, its embedding and the id of the embedder that made
 * it (so a change of model is detected and re-embedded, never mixed).
 *
 * <p>The embedding array is not copied, for speed with large loads: neither stores nor the engine
 * modify it after construction. {@link #equals(Object)} compares the array's contents.
 *
 * @param namespace the namespace (see {@link PartitionKey})
 * @param memory the record
 * @param embedding the unit-length embedding of the record's content
 * @param embedderId the {@link Embedder#id()} that produced the embedding
 */
public record StoredMemory(String namespace, MemoryRecord memory, float[] embedding,
    String embedderId) {

  public StoredMemory {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(memory, "memory");
    Objects.requireNonNull(embedding, "embedding");
    Objects.requireNonNull(embedderId, "embedderId");
  }

  /** The partition this memory belongs to. */
  public PartitionKey partition() {
    return PartitionKey.of(namespace, memory.userId(), memory.agentId());
  }

  /** The memory's id. */
  public String id() {
    return memory.id();
  }

  /**
   * For each history entry of an insert, the index in {@code memories} of the memory it belongs
   * to (the first with the entry's partition owner and memory id).
   *
   * @throws IllegalArgumentException when an entry has no memory in {@code memories}
   */
  public static int[] owners(List<StoredMemory> memories, List<HistoryEntry> entries) {
    Map<String, Integer> byUserAndId = new HashMap<>();
    for (int i = 0; i < memories.size(); i++) {
      MemoryRecord memory = memories.get(i).memory();
      byUserAndId.putIfAbsent(
          PartitionKey.owner(memory.userId(), memory.agentId()) + '\0' + memory.id(), i);
    }
    int[] owners = new int[entries.size()];
    for (int i = 0; i < entries.size(); i++) {
      HistoryEntry entry = entries.get(i);
      String partitionOwner = PartitionKey.owner(entry.userId(), entry.agentId());
      Integer owner = byUserAndId.get(partitionOwner + '\0' + entry.memoryId());
      if (owner == null) {
        throw new IllegalArgumentException("history entry of memory " + entry.memoryId()
            + " of user " + partitionOwner + ", which is not in the inserted batch");
      }
      owners[i] = owner;
    }
    return owners;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StoredMemory that
        && namespace.equals(that.namespace)
        && memory.equals(that.memory)
        && Arrays.equals(embedding, that.embedding)
        && embedderId.equals(that.embedderId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(namespace, memory, Arrays.hashCode(embedding), embedderId);
  }

  @Override
  public String toString() {
    return "StoredMemory[namespace=" + namespace + ", memory=" + memory + ", embedding="
        + embedding.length + " floats, embedderId=" + embedderId + "]";
  }
}

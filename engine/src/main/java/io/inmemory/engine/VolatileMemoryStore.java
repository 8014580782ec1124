package io.inmemory.engine;

import io.inmemory.ConflictException;
import io.inmemory.HistoryEntry;
import io.inmemory.NotFoundException;
import io.inmemory.engine.spi.ChangeSet;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.PartitionSummary;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tenant.AccessStore;
import io.inmemory.engine.tenant.AccessTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The built-in store named {@code memory}: everything in the heap, nothing on disk. Thread-safe;
 * each call is atomic (one lock: writes are in-memory and short). Nothing survives
 * {@link #close()} or the process: use it for tests and throw-away sessions, and the file store
 * for anything you want to keep.
 */
final class VolatileMemoryStore implements MemoryStore {
  private final Map<PartitionKey, Map<String, StoredMemory>> memories = new HashMap<>();
  private final Map<PartitionKey, Map<String, List<HistoryEntry>>> history = new HashMap<>();
  private final AccessTable access = new AccessTable(AccessTable.NO_JOURNAL);
  private boolean closed;

  @Override
  public synchronized void insert(List<StoredMemory> batch, List<HistoryEntry> entries) {
    ensureOpen();
    int[] owners = StoredMemory.owners(batch, entries);
    Set<String> seen = new HashSet<>();
    for (StoredMemory memory : batch) {
      String qualifiedId = memory.namespace() + '\0' + memory.partition().owner() + '\0'
          + memory.id();
      if (!seen.add(qualifiedId) || memoriesOf(memory.partition()).containsKey(memory.id())) {
        throw new ConflictException("memory " + memory.id() + " already exists");
      }
    }
    for (StoredMemory memory : batch) {
      memoriesOf(memory.partition()).put(memory.id(), memory);
    }
    for (int i = 0; i < owners.length; i++) {
      append(batch.get(owners[i]).partition(), entries.get(i));
    }
  }

  @Override
  public synchronized void replace(StoredMemory memory, HistoryEntry entry) {
    ensureOpen();
    Map<String, StoredMemory> partition = memoriesOf(memory.partition());
    if (!partition.containsKey(memory.id())) {
      throw new NotFoundException("memory " + memory.id() + " does not exist");
    }
    partition.put(memory.id(), memory);
    append(memory.partition(), entry);
  }

  @Override
  public synchronized void commit(ChangeSet changes) {
    ensureOpen();
    Map<String, StoredMemory> partition = memoriesOf(changes.partition());
    changes.requireApplicable(partition::containsKey);
    for (StoredMemory memory : changes.memories()) {
      partition.put(memory.id(), memory);
    }
    for (HistoryEntry entry : changes.entries()) {
      append(changes.partition(), entry);
    }
  }

  @Override
  public synchronized void replaceEmbeddings(List<StoredMemory> batch) {
    ensureOpen();
    for (StoredMemory memory : batch) {
      memoriesOf(memory.partition()).computeIfPresent(memory.id(), (id, old) -> memory);
    }
  }

  @Override
  public synchronized int delete(PartitionKey key, List<String> ids, List<HistoryEntry> entries) {
    ensureOpen();
    Map<String, StoredMemory> partition = memoriesOf(key);
    Set<String> deleted = new HashSet<>();
    for (String id : ids) {
      if (partition.remove(id) != null) {
        deleted.add(id);
      }
    }
    for (HistoryEntry entry : entries) {
      if (deleted.contains(entry.memoryId())) {
        append(key, entry);
      }
    }
    return deleted.size();
  }

  @Override
  public synchronized List<StoredMemory> load(PartitionKey key) {
    ensureOpen();
    return List.copyOf(memoriesOf(key).values());
  }

  @Override
  public synchronized List<PartitionSummary> partitions(String namespace,
      @Nullable String after, int limit) {
    ensureOpen();
    return PartitionSummary.page(memories.keySet(), namespace, after, limit,
        key -> PartitionSummary.of(key, memories.get(key).values()));
  }

  @Override
  public synchronized List<HistoryEntry> history(PartitionKey key, String memoryId) {
    ensureOpen();
    return List.copyOf(history.getOrDefault(key, Map.of()).getOrDefault(memoryId, List.of()));
  }

  @Override
  public synchronized Map<String, List<HistoryEntry>> histories(PartitionKey key) {
    ensureOpen();
    Map<String, List<HistoryEntry>> copy = new HashMap<>();
    history.getOrDefault(key, Map.of()).forEach((id, entries) -> copy.put(id, List.copyOf(entries)));
    return copy;
  }

  @Override
  public synchronized List<PartitionKey> historyPartitions(String namespace,
      @Nullable String after, int limit) {
    ensureOpen();
    return PartitionSummary.keys(history.keySet(), namespace, after, limit,
        key -> !history.get(key).isEmpty());
  }

  @Override
  public AccessStore access() {
    return access;
  }

  @Override
  public synchronized void ping() {
    ensureOpen();
  }

  @Override
  public String describe() {
    return "memory (volatile: nothing persists)";
  }

  @Override
  public synchronized void close() {
    closed = true;
    access.close();
    memories.clear();
    history.clear();
  }

  private Map<String, StoredMemory> memoriesOf(PartitionKey key) {
    return memories.computeIfAbsent(key, k -> new HashMap<>());
  }

  private void append(PartitionKey key, HistoryEntry entry) {
    history.computeIfAbsent(key, k -> new HashMap<>())
        .computeIfAbsent(entry.memoryId(), id -> new ArrayList<>()).add(entry);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the memory store is closed");
    }
  }
}

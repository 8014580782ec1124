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
import io.inmemory.engine.tenant.WebhookTable;
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
 * for anything you want to keep. With events recorded, each write's history entries become
 * pending webhook events in the same atomic step.
 */
final class VolatileMemoryStore implements MemoryStore {
  private final Map<PartitionKey, Map<String, StoredMemory>> memories = new HashMap<>();
  private final Map<PartitionKey, Map<String, List<HistoryEntry>>> history = new HashMap<>();
  private final WebhookTable webhooks = new WebhookTable(WebhookTable.NO_JOURNAL);
  private final AccessTable access = new AccessTable(AccessTable.NO_JOURNAL, webhooks);
  private final boolean recordEvents;
  private boolean closed;

  /** A store that records no events. */
  VolatileMemoryStore() {
    this(false);
  }

  /** A store that records its writes as pending webhook events when {@code recordEvents}. */
  VolatileMemoryStore(boolean recordEvents) {
    this.recordEvents = recordEvents;
  }

  @Override
  public void insert(List<StoredMemory> batch, List<HistoryEntry> entries) {
    insert(batch, entries, true);
  }

  @Override
  public synchronized void insert(List<StoredMemory> batch, List<HistoryEntry> entries,
      boolean events) {
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
    for (int i = 0; i < owners.length; i++) {
      recordEvents(events, batch.get(owners[i]).namespace(), List.of(entries.get(i)));
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
    recordEvents(true, memory.namespace(), List.of(entry));
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
    recordEvents(changes.events(), changes.partition().namespace(), changes.entries());
  }

  @Override
  public synchronized void replaceEmbeddings(List<StoredMemory> batch) {
    ensureOpen();
    for (StoredMemory memory : batch) {
      memoriesOf(memory.partition()).computeIfPresent(memory.id(), (id, old) -> memory);
    }
  }

  @Override
  public int delete(PartitionKey key, List<String> ids, List<HistoryEntry> entries) {
    return delete(key, ids, entries, true);
  }

  @Override
  public synchronized int delete(PartitionKey key, List<String> ids, List<HistoryEntry> entries,
      boolean events) {
    ensureOpen();
    Map<String, StoredMemory> partition = memoriesOf(key);
    Set<String> deleted = new HashSet<>();
    for (String id : ids) {
      if (partition.remove(id) != null) {
        deleted.add(id);
      }
    }
    List<HistoryEntry> written = entries.stream()
        .filter(entry -> deleted.contains(entry.memoryId())).toList();
    written.forEach(entry -> append(key, entry));
    recordEvents(events, key.namespace(), written);
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
    webhooks.close();
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

  private void recordEvents(boolean events, String namespace, List<HistoryEntry> entries) {
    if (recordEvents && events) {
      webhooks.record(namespace, entries);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the memory store is closed");
    }
  }
}

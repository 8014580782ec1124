package io.inmemory.store.file;

import io.inmemory.HistoryEntry;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.PartitionSummary;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tenant.AccessTable;
import io.inmemory.engine.tenant.ApiKeyRecord;
import io.inmemory.engine.tenant.Project;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Everything the store holds, in memory: per partition, the memories by id and each memory's
 * history; and the projects and API keys. Rebuilt from the snapshot and logs on open; the files
 * are the truth, this is their index. The partition map is concurrent; each partition is guarded
 * by its own lock, which writers hold across validation, logging and applying, and readers while
 * copying. The access table guards itself (see {@link AccessTable}).
 */
final class StoreState {
  private final Map<PartitionKey, Partition> partitions = new ConcurrentHashMap<>();
  /** The projects and API keys; logs each change through the journal before applying it. */
  final AccessTable access;

  StoreState(AccessTable.Journal journal) {
    this.access = new AccessTable(journal);
  }

  /** One partition's memories and history; guarded by {@link #lock}. */
  static final class Partition {
    final ReentrantLock lock = new ReentrantLock();
    final Map<String, StoredMemory> memories = new HashMap<>();
    final Map<String, List<HistoryEntry>> history = new HashMap<>();

    void append(HistoryEntry entry) {
      history.computeIfAbsent(entry.memoryId(), id -> new ArrayList<>(2)).add(entry);
    }
  }

  /** A point-in-time copy of one partition, for a snapshot. */
  record PartitionCopy(PartitionKey key, List<StoredMemory> memories,
      Map<String, List<HistoryEntry>> history) {}

  /** A copy of the projects and keys, for a snapshot. */
  record AccessCopy(List<Project> projects, List<ApiKeyRecord> keys) {}

  /** The partition, created empty if unknown. */
  Partition partition(PartitionKey key) {
    return partitions.computeIfAbsent(key, k -> new Partition());
  }

  /** Stores {@code memory} in its partition, replacing any memory with its id. */
  void put(StoredMemory memory) {
    partition(memory.partition()).memories.put(memory.id(), memory);
  }

  /** The partition, or null when nothing was ever stored in it. */
  @Nullable Partition find(PartitionKey key) {
    return partitions.get(key);
  }

  /**
   * A copy of what {@code select} picks from the partition, taken under its lock; empty when
   * nothing was ever stored in it.
   */
  <T> List<T> read(PartitionKey key, Function<Partition, Collection<T>> select) {
    Partition found = find(key);
    if (found == null) {
      return List.of();
    }
    found.lock.lock();
    try {
      return List.copyOf(select.apply(found));
    } finally {
      found.lock.unlock();
    }
  }

  /**
   * {@link io.inmemory.engine.spi.MemoryStore#partitions}: each partition on the page is counted
   * under its lock.
   */
  List<PartitionSummary> summaries(String namespace, @Nullable String after, int limit) {
    return PartitionSummary.page(partitions.keySet(), namespace, after, limit, key -> {
      List<PartitionSummary> summary = read(key,
          found -> PartitionSummary.of(key, found.memories.values()).stream().toList());
      return summary.stream().findFirst();
    });
  }

  /** Every history of the partition, copied under its lock; empty when it has none. */
  Map<String, List<HistoryEntry>> histories(PartitionKey key) {
    Map<String, List<HistoryEntry>> copy = new HashMap<>();
    Partition found = find(key);
    if (found != null) {
      found.lock.lock();
      try {
        found.history.forEach((id, entries) -> copy.put(id, List.copyOf(entries)));
      } finally {
        found.lock.unlock();
      }
    }
    return copy;
  }

  /** {@link io.inmemory.engine.spi.MemoryStore#historyPartitions}. */
  List<PartitionKey> historyPartitions(String namespace, @Nullable String after, int limit) {
    return PartitionSummary.keys(partitions.keySet(), namespace, after, limit,
        key -> !read(key, found -> found.history.keySet()).isEmpty());
  }

  /**
   * Copies every partition. The caller must keep writers out for the duration (records and
   * embeddings are immutable, so a shallow copy of the collections is enough).
   */
  List<PartitionCopy> copy() {
    List<PartitionCopy> copies = new ArrayList<>(partitions.size());
    partitions.forEach((key, partition) -> {
      Map<String, List<HistoryEntry>> history = new HashMap<>(partition.history.size() * 2);
      partition.history.forEach((id, entries) -> history.put(id, List.copyOf(entries)));
      copies.add(new PartitionCopy(key, List.copyOf(partition.memories.values()), history));
    });
    return copies;
  }

  /** Copies the projects and keys, both at the same moment. */
  AccessCopy copyAccess() {
    // The table's monitor guards all its methods (see AccessTable), so no change falls between.
    synchronized (access) {
      return new AccessCopy(access.projects(), access.allKeys());
    }
  }

  /** How many memories are stored; exact only while writers are kept out. */
  long memoryCount() {
    long count = 0;
    for (Partition partition : partitions.values()) {
      count += partition.memories.size();
    }
    return count;
  }
}

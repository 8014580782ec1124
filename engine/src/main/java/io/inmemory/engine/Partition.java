package io.inmemory.engine;

import io.inmemory.MemoryRecord;
import io.inmemory.Page;
import io.inmemory.SearchHit;
import io.inmemory.UserStats;
import io.inmemory.engine.index.IndexSettings;
import io.inmemory.engine.index.Neighbor;
import io.inmemory.engine.index.VectorIndex;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One user's memories in one namespace, held in memory: records by id, a newest-first order for
 * listings and a vector index for search. Callers hold {@link #read(Supplier)} or
 * {@link #write(Supplier)} around every access; writes are applied only after the store accepted
 * them, so the partition never shows what the store does not hold.
 */
final class Partition {
  /** Newest first; ties by id so listings are stable. */
  static final Comparator<MemoryRecord> NEWEST_FIRST =
      Comparator.comparing(MemoryRecord::createdAt).reversed().thenComparing(MemoryRecord::id);

  private final PartitionKey key;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<String, StoredMemory> byId = new HashMap<>();
  private final NavigableSet<MemoryRecord> newestFirst = new TreeSet<>(NEWEST_FIRST);
  private final VectorIndex index;

  Partition(PartitionKey key, int dimension, IndexSettings settings, List<StoredMemory> stored) {
    this.key = key;
    this.index = new VectorIndex(dimension, settings);
    added(stored);
  }

  PartitionKey key() {
    return key;
  }

  <T> T read(Supplier<T> action) {
    lock.readLock().lock();
    try {
      return action.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  <T> T write(Supplier<T> action) {
    lock.writeLock().lock();
    try {
      return action.get();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Takes the write locks of several partitions in a fixed order, so batches cannot deadlock. */
  static <T> T writeAll(List<Partition> partitions, Supplier<T> action) {
    List<Partition> ordered = new ArrayList<>(partitions);
    ordered.sort(Comparator.comparing((Partition p) -> p.key.namespace())
        .thenComparing(p -> p.key.userId()));
    for (Partition partition : ordered) {
      partition.lock.writeLock().lock();
    }
    try {
      return action.get();
    } finally {
      for (Partition partition : ordered) {
        partition.lock.writeLock().unlock();
      }
    }
  }

  Optional<StoredMemory> get(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  int size() {
    return byId.size();
  }

  void added(List<StoredMemory> memories) {
    Map<String, float[]> vectors = new HashMap<>();
    for (StoredMemory memory : memories) {
      byId.put(memory.id(), memory);
      newestFirst.add(memory.memory());
      vectors.put(memory.id(), memory.embedding());
    }
    // One batch, so a load past the HNSW threshold builds the graph once.
    index.putAll(vectors);
  }

  void replaced(StoredMemory memory) {
    StoredMemory previous = byId.put(memory.id(), memory);
    newestFirst.remove(previous.memory());
    newestFirst.add(memory.memory());
    if (previous.embedding() != memory.embedding()) {
      index.put(memory.id(), memory.embedding());
    }
  }

  void removed(List<String> ids) {
    for (String id : ids) {
      StoredMemory previous = byId.remove(id);
      if (previous != null) {
        newestFirst.remove(previous.memory());
        index.remove(id);
      }
    }
  }

  List<String> ids() {
    return List.copyOf(byId.keySet());
  }

  Page<MemoryRecord> page(int limit, int offset) {
    List<MemoryRecord> items = new ArrayList<>(Math.min(limit, newestFirst.size()));
    Iterator<MemoryRecord> iterator = newestFirst.iterator();
    for (int skipped = 0; skipped < offset && iterator.hasNext(); skipped++) {
      iterator.next();
    }
    while (items.size() < limit && iterator.hasNext()) {
      items.add(iterator.next());
    }
    return new Page<>(items, offset, limit, newestFirst.size());
  }

  /** The newest {@code limit} memories that pass the filter, each scored 1. */
  List<SearchHit> newest(Predicate<MemoryRecord> filter, int limit) {
    List<SearchHit> hits = new ArrayList<>();
    for (MemoryRecord record : newestFirst) {
      if (hits.size() == limit) {
        break;
      }
      if (filter.test(record)) {
        hits.add(new SearchHit(record, 1.0));
      }
    }
    return hits;
  }

  /**
   * The {@code limit} memories most similar to {@code query} among those that pass the filter
   * ({@code null} for none), at least {@code threshold} when given.
   */
  List<SearchHit> nearest(float[] query, int limit, Predicate<MemoryRecord> filter,
      Double threshold) {
    List<Neighbor> neighbors;
    if (filter == null) {
      neighbors = index.search(query, limit);
    } else {
      int matching = 0;
      for (StoredMemory memory : byId.values()) {
        if (filter.test(memory.memory())) {
          matching++;
        }
      }
      if (matching == 0) {
        return List.of();
      }
      neighbors = index.search(query, limit,
          id -> { StoredMemory memory = byId.get(id); return memory != null
              && filter.test(memory.memory()); }, matching);
    }
    List<SearchHit> hits = new ArrayList<>(neighbors.size());
    for (Neighbor neighbor : neighbors) {
      if (threshold != null && neighbor.score() < threshold) {
        break;
      }
      StoredMemory memory = byId.get(neighbor.id());
      if (memory != null) {
        hits.add(new SearchHit(memory.memory(), neighbor.score()));
      }
    }
    return hits;
  }

  UserStats stats() {
    Map<String, Long> tags = new HashMap<>();
    Map<String, Long> topics = new HashMap<>();
    Map<String, Long> peopleByKey = new LinkedHashMap<>();
    Map<String, String> spelling = new HashMap<>();
    Instant first = null;
    Instant last = null;
    // Oldest first, so each person is shown with the spelling of their earliest mention.
    for (MemoryRecord record : newestFirst.descendingSet()) {
      first = first == null ? record.createdAt() : first;
      last = record.createdAt();
      record.tags().forEach(tag -> tags.merge(tag, 1L, Long::sum));
      if (record.topic() != null) {
        topics.merge(record.topic(), 1L, Long::sum);
      }
      for (String person : record.people()) {
        String personKey = person.toLowerCase(Locale.ROOT);
        spelling.putIfAbsent(personKey, person);
        peopleByKey.merge(personKey, 1L, Long::sum);
      }
    }
    Map<String, Long> people = new HashMap<>();
    peopleByKey.forEach((personKey, count) -> people.put(spelling.get(personKey), count));
    return new UserStats(key.userId(), newestFirst.size(), first, last, tags, people, topics);
  }
}

package io.inmemory.engine;

import io.inmemory.MemoryRecord;
import io.inmemory.Page;
import io.inmemory.Scope;
import io.inmemory.SearchHit;
import io.inmemory.UserStats;
import io.inmemory.engine.index.IndexSettings;
import io.inmemory.engine.index.VectorIndex;
import io.inmemory.engine.lexical.LexicalIndex;
import io.inmemory.engine.retrieval.Ranker;
import io.inmemory.engine.retrieval.RetrievalSettings;
import io.inmemory.engine.spi.ChangeSet;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One owner's memories (a user's, or an agent's own) in one namespace, held in memory: records
 * by id, a newest-first {@link Timeline} for listings and time filters, posting lists of tags and
 * people for filters, a vector index and, unless retrieval is dense only, a lexical index for
 * search, and the current memories by normalized text for de-duplication; every write reaches all
 * of them under the same lock. Callers hold {@link #read(Supplier)} or
 * {@link #write(Supplier)} around every access; writes are applied only after the store accepted
 * them, so the partition never shows what the store does not hold.
 */
final class Partition {
  private final PartitionKey key;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<String, StoredMemory> byId = new HashMap<>();
  private final Timeline timeline = new Timeline();
  /** Ids by tag; tags are normalized on the record as on the request. */
  private final Postings tags = new Postings();
  /** Ids by {@link Filter#personKey person key}. */
  private final Postings people = new Postings();
  private final VectorIndex index;
  private final Ranker ranker;
  /** The words of every memory; null when searches are dense only. */
  private final @Nullable LexicalIndex lexical;
  /** The current memories by normalized text, for de-duplication. */
  private final Dedup texts = new Dedup();

  /**
   * A partition of the {@code stored} memories. {@code restore} is given their vectors by id and
   * returns their vector index restored from a snapshot, or null when there is none to use; then
   * the index is built.
   */
  Partition(PartitionKey key, int dimension, IndexSettings settings, RetrievalSettings retrieval,
      List<StoredMemory> stored, Function<Map<String, float[]>, @Nullable VectorIndex> restore) {
    this.key = key;
    this.ranker = new Ranker(retrieval);
    this.lexical = ranker.newLexicalIndex();
    Map<String, float[]> vectors = hold(stored);
    VectorIndex restored = restore.apply(vectors);
    this.index = restored != null ? restored : new VectorIndex(dimension, settings);
    if (restored == null) {
      index.putAll(vectors);
    }
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
        .thenComparing(p -> p.key.owner()));
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

  /** The memory {@code id} when it is in {@code scope} (see {@link #inScope}). */
  Optional<StoredMemory> get(String id, Scope scope) {
    return get(id).filter(memory ->
        inScope(memory.memory(), scope.agentId(), scope.sessionId()));
  }

  /** Every memory in {@code scope} (see {@link #inScope}), superseded ones included. */
  List<StoredMemory> all(Scope scope) {
    return byId.values().stream()
        .filter(memory -> inScope(memory.memory(), scope.agentId(), scope.sessionId())).toList();
  }

  /**
   * Whether {@code memory} records {@code agentId} and {@code sessionId} where they are given
   * ({@code null}: any): the restriction a scope adds to its owner's partition.
   */
  static boolean inScope(MemoryRecord memory, @Nullable String agentId,
      @Nullable String sessionId) {
    return (agentId == null || agentId.equals(memory.agentId()))
        && (sessionId == null || sessionId.equals(memory.sessionId()));
  }

  int size() {
    return byId.size();
  }

  /** The vector index, for snapshots; its writes belong to this partition's write lock. */
  VectorIndex index() {
    return index;
  }

  void added(List<StoredMemory> memories) {
    // One batch, so a load past the HNSW threshold builds the graph once.
    index.putAll(hold(memories));
  }

  /**
   * Applies a change set the store committed: its inserted memories as {@link #added}, its
   * replaced ones as {@link #replaced}.
   */
  void applied(ChangeSet changes) {
    added(changes.inserted());
    changes.replaced().forEach(this::replaced);
  }

  /**
   * The current memory whose normalized text is {@code key}'s and that records {@code agentId}
   * and {@code sessionId} where they are given ({@code null}: any), or null when there is none.
   */
  @Nullable MemoryRecord duplicate(Dedup.Key key, @Nullable String agentId,
      @Nullable String sessionId) {
    return texts.find(key, memory -> inScope(memory, agentId, sessionId),
        id -> byId.get(id).memory());
  }

  /** Adds the memories to everything but the vector index; returns their vectors by id. */
  private Map<String, float[]> hold(List<StoredMemory> memories) {
    Map<String, float[]> vectors = new HashMap<>(memories.size() * 4 / 3 + 1);
    for (StoredMemory memory : memories) {
      StoredMemory previous = byId.put(memory.id(), memory);
      unpost(previous);
      if (previous != null) {
        texts.remove(previous.memory());
      }
      texts.add(memory.memory());
      timeline.add(memory.memory());
      post(memory);
      vectors.put(memory.id(), memory.embedding());
      if (lexical != null) {
        lexical.put(memory.id(), memory.memory().content());
      }
    }
    return vectors;
  }

  void replaced(StoredMemory memory) {
    StoredMemory previous = byId.put(memory.id(), memory);
    timeline.remove(previous.memory());
    timeline.add(memory.memory());
    unpost(previous);
    post(memory);
    texts.remove(previous.memory());
    texts.add(memory.memory());
    if (previous.embedding() != memory.embedding()) {
      index.put(memory.id(), memory.embedding());
    }
    if (lexical != null && !previous.memory().content().equals(memory.memory().content())) {
      lexical.put(memory.id(), memory.memory().content());
    }
  }

  void removed(List<String> ids) {
    for (String id : ids) {
      StoredMemory previous = byId.remove(id);
      if (previous != null) {
        timeline.remove(previous.memory());
        unpost(previous);
        texts.remove(previous.memory());
        index.remove(id);
        if (lexical != null) {
          lexical.remove(id);
        }
      }
    }
  }

  private void post(StoredMemory memory) {
    tags.add(memory.id(), memory.memory().tags());
    people.add(memory.id(), personKeys(memory.memory()));
  }

  /** Undoes {@link #post} for a memory no longer current; does nothing for null. */
  private void unpost(@Nullable StoredMemory memory) {
    if (memory != null) {
      tags.remove(memory.id(), memory.memory().tags());
      people.remove(memory.id(), personKeys(memory.memory()));
    }
  }

  private static List<String> personKeys(MemoryRecord record) {
    return record.people().stream().map(Filter::personKey).toList();
  }

  List<String> ids() {
    return List.copyOf(byId.keySet());
  }

  /**
   * The {@code limit} memories that best match the query among those that pass the filter
   * ({@code null} for none), scoring at least {@code threshold} when given, ranked by the
   * {@link Ranker}.
   *
   * @param vector the query's embedding; may be null when retrieval is lexical only
   * @param text the query's text
   */
  List<SearchHit> search(float @Nullable [] vector, String text, int limit,
      @Nullable Filter filter, @Nullable Double threshold) {
    Set<String> matching = filter == null ? null : matching(filter);
    if (matching != null && matching.isEmpty()) {
      return List.of();
    }
    return ranker.rank(index, lexical, vector, text, limit, matching, threshold).stream()
        .filter(scored -> byId.containsKey(scored.id()))
        .map(scored -> new SearchHit(byId.get(scored.id()).memory(), scored.score())).toList();
  }

  /**
   * The ids of the memories that pass the filter, each tested once. Only the memories that can
   * match are tested: the smallest of those with the rarest required tag, those with any of the
   * tags or people asked for, and those in the createdAt range; every memory when the filter names
   * none of these.
   */
  private Set<String> matching(Filter filter) {
    List<Set<String>> postings = null;
    long bound = Long.MAX_VALUE;
    if (!filter.tags().isEmpty()) {
      if (filter.allTags()) {
        for (String tag : filter.tags()) {
          Set<String> ids = tags.get(tag);
          if (ids.size() < bound) {
            postings = List.of(ids);
            bound = ids.size();
          }
        }
      } else {
        List<Set<String>> any = filter.tags().stream().map(tags::get).toList();
        long total = total(any);
        if (total < bound) {
          postings = any;
          bound = total;
        }
      }
    }
    if (!filter.people().isEmpty()) {
      List<Set<String>> any = filter.people().stream().map(people::get).toList();
      long total = total(any);
      if (total < bound) {
        postings = any;
        bound = total;
      }
    }
    Set<String> matching = new HashSet<>();
    if (filter.from() != null || filter.to() != null) {
      // Read the range only while it is the smallest source: its size is known only by walking it.
      List<MemoryRecord> inRange = new ArrayList<>();
      Iterator<MemoryRecord> range = timeline.range(filter.from(), filter.to()).iterator();
      while (range.hasNext() && inRange.size() < bound) {
        inRange.add(range.next());
      }
      if (!range.hasNext()) {
        for (MemoryRecord record : inRange) {
          if (filter.test(record)) {
            matching.add(record.id());
          }
        }
        return matching;
      }
    }
    if (postings == null) {
      for (StoredMemory memory : byId.values()) {
        if (filter.test(memory.memory())) {
          matching.add(memory.id());
        }
      }
      return matching;
    }
    for (Set<String> ids : postings) {
      for (String id : ids) {
        if (!matching.contains(id) && filter.test(byId.get(id).memory())) {
          matching.add(id);
        }
      }
    }
    return matching;
  }

  private static long total(Collection<Set<String>> sets) {
    return sets.stream().mapToLong(Set::size).sum();
  }

  Page<MemoryRecord> page(int limit, int offset) {
    return timeline.page(limit, offset);
  }

  /** The newest {@code limit} memories that pass the filter, each scored 1. */
  List<SearchHit> newest(Predicate<MemoryRecord> filter, int limit) {
    return timeline.newest(filter, limit);
  }

  UserStats stats() {
    return timeline.stats(key.owner());
  }
}

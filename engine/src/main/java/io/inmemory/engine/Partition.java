package io.inmemory.engine;

import io.inmemory.MemoryRecord;
import io.inmemory.Page;
import io.inmemory.SearchHit;
import io.inmemory.UserStats;
import io.inmemory.engine.index.IndexSettings;
import io.inmemory.engine.index.Neighbor;
import io.inmemory.engine.index.VectorIndex;
import io.inmemory.engine.lexical.LexicalIndex;
import io.inmemory.engine.lexical.Scored;
import io.inmemory.engine.retrieval.Fusion;
import io.inmemory.engine.retrieval.RetrievalSettings;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One user's memories in one namespace, held in memory: records by id, a newest-first order for
 * listings and time filters, posting lists of tags and people for filters, a vector index and,
 * unless retrieval is dense only, a lexical index for search; every write reaches all of them
 * under the same lock. Callers hold {@link #read(Supplier)} or
 * {@link #write(Supplier)} around every access; writes are applied only after the store accepted
 * them, so the partition never shows what the store does not hold.
 */
final class Partition {
  /** Newest first; ties by id so listings are stable. */
  static final Comparator<MemoryRecord> NEWEST_FIRST =
      Comparator.comparing(MemoryRecord::createdAt).reversed().thenComparing(MemoryRecord::id);
  /** The earliest instant a lower time bound can be probed for; earlier ones bound nothing. */
  private static final Instant EARLIEST = Instant.MIN.plusMillis(1);

  private final PartitionKey key;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<String, StoredMemory> byId = new HashMap<>();
  private final NavigableSet<MemoryRecord> newestFirst = new TreeSet<>(NEWEST_FIRST);
  /** Ids by tag; tags are normalized on the record as on the request. */
  private final Postings tags = new Postings();
  /** Ids by {@link Filter#personKey person key}. */
  private final Postings people = new Postings();
  private final VectorIndex index;
  private final RetrievalSettings retrieval;
  /** The words of every memory; null when searches are dense only. */
  private final LexicalIndex lexical;

  /**
   * A partition of the {@code stored} memories. {@code restore} is given their vectors by id and
   * returns their vector index restored from a snapshot, or null when there is none to use; then
   * the index is built.
   */
  Partition(PartitionKey key, int dimension, IndexSettings settings, RetrievalSettings retrieval,
      List<StoredMemory> stored, Function<Map<String, float[]>, VectorIndex> restore) {
    this.key = key;
    this.retrieval = retrieval;
    this.lexical = retrieval.lexical() ? new LexicalIndex(retrieval.bm25()) : null;
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

  /** The vector index, for snapshots; its writes belong to this partition's write lock. */
  VectorIndex index() {
    return index;
  }

  void added(List<StoredMemory> memories) {
    // One batch, so a load past the HNSW threshold builds the graph once.
    index.putAll(hold(memories));
  }

  /** Adds the memories to everything but the vector index; returns their vectors by id. */
  private Map<String, float[]> hold(List<StoredMemory> memories) {
    Map<String, float[]> vectors = new HashMap<>(memories.size() * 4 / 3 + 1);
    for (StoredMemory memory : memories) {
      unpost(byId.put(memory.id(), memory));
      newestFirst.add(memory.memory());
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
    newestFirst.remove(previous.memory());
    newestFirst.add(memory.memory());
    unpost(previous);
    post(memory);
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
        newestFirst.remove(previous.memory());
        unpost(previous);
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
  private void unpost(StoredMemory memory) {
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
   * The {@code limit} memories that best match the query among those that pass the filter
   * ({@code null} for none), scoring at least {@code threshold} when given.
   *
   * @param vector the query's embedding; may be null when retrieval is lexical only
   * @param text the query's text
   */
  List<SearchHit> search(float[] vector, String text, int limit, Filter filter,
      Double threshold) {
    Set<String> matching = filter == null ? null : matching(filter);
    if (matching != null && matching.isEmpty()) {
      return List.of();
    }
    Predicate<String> passing = matching == null ? null : matching::contains;
    List<Scored> ranked = switch (retrieval.mode()) {
      case DENSE -> dense(vector, limit, matching);
      case LEXICAL -> lexical(lexical.query(text), limit, passing);
      case HYBRID -> hybrid(vector, text, limit, matching, passing);
    };
    List<SearchHit> hits = new ArrayList<>(Math.min(limit, ranked.size()));
    for (Scored scored : ranked) {
      if (hits.size() == limit || (threshold != null && scored.score() < threshold)) {
        break;
      }
      StoredMemory memory = byId.get(scored.id());
      if (memory != null) {
        hits.add(new SearchHit(memory.memory(), scored.score()));
      }
    }
    return hits;
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
      Iterator<MemoryRecord> range = range(filter.from(), filter.to()).iterator();
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

  /**
   * The memories that may lie in {@code [from, to)} (either null for open), newest first: every
   * one that does, and possibly some of the same milliseconds — filters test the exact bounds.
   */
  private NavigableSet<MemoryRecord> range(Instant from, Instant to) {
    // A probe sorts before every memory of its millisecond (ids are never empty), so the range
    // runs from the probe of to's millisecond up to, excluding, the probe of the one before from's.
    NavigableSet<MemoryRecord> range = newestFirst;
    MemoryRecord newest = to == null ? null : probe(to);
    MemoryRecord beyond = from == null || !from.isAfter(EARLIEST) ? null
        : probe(from.truncatedTo(ChronoUnit.MILLIS).minusMillis(1));
    if (newest != null && beyond != null) {
      return NEWEST_FIRST.compare(newest, beyond) > 0 ? new TreeSet<>(NEWEST_FIRST)
          : range.subSet(newest, true, beyond, false);
    }
    if (newest != null) {
      return range.tailSet(newest, true);
    }
    return beyond == null ? range : range.headSet(beyond, false);
  }

  private static MemoryRecord probe(Instant createdAt) {
    return new MemoryRecord("", "", "", List.of(), List.of(), null, Map.of(), createdAt, createdAt);
  }

  /** The top {@code k} by cosine similarity among the memories matching (all when null). */
  private List<Scored> dense(float[] vector, int k, Set<String> matching) {
    List<Neighbor> neighbors = matching == null
        ? index.search(vector, k) : index.searchAmong(vector, k, matching);
    List<Scored> scored = new ArrayList<>(neighbors.size());
    for (Neighbor neighbor : neighbors) {
      scored.add(new Scored(neighbor.id(), neighbor.score()));
    }
    return scored;
  }

  /** The top {@code k} by BM25, normalized to [0, 1), among the memories that pass. */
  private List<Scored> lexical(LexicalIndex.Query query, int k, Predicate<String> passing) {
    List<Scored> found = lexical.search(query, k, passing);
    List<Scored> scored = new ArrayList<>(found.size());
    for (Scored hit : found) {
      scored.add(new Scored(hit.id(), query.normalized(hit.score())));
    }
    return scored;
  }

  /**
   * Fuses the top {@code max(limit, candidates)} of each side, every candidate scored on both
   * sides so that no fusion has to guess a missing score.
   */
  private List<Scored> hybrid(float[] vector, String text, int limit, Set<String> matching,
      Predicate<String> passing) {
    int depth = Math.max(limit, retrieval.candidates());
    LexicalIndex.Query query = lexical.query(text);
    Map<String, Fusion.Candidate> candidates = new LinkedHashMap<>();
    for (Scored hit : dense(vector, depth, matching)) {
      candidates.put(hit.id(),
          new Fusion.Candidate(hit.id(), hit.score(), lexical.score(query, hit.id())));
    }
    if (!query.isEmpty()) {
      for (Scored hit : lexical.search(query, depth, passing)) {
        candidates.computeIfAbsent(hit.id(), id ->
            new Fusion.Candidate(id, index.score(vector, id).orElseThrow(), hit.score()));
      }
    }
    return retrieval.fusion().fuse(new ArrayList<>(candidates.values()),
        retrieval.lexicalWeight(), retrieval.rankConstant());
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

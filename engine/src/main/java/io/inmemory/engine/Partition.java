package io.inmemory.engine;

import io.inmemory.MemoryRecord;
import io.inmemory.Message;
import io.inmemory.Page;
import io.inmemory.Scope;
import io.inmemory.SearchHit;
import io.inmemory.UserStats;
import io.inmemory.engine.index.IndexSettings;
import io.inmemory.engine.index.VectorIndex;
import io.inmemory.engine.lexical.LexicalIndex;
import io.inmemory.engine.lexical.Scored;
import io.inmemory.engine.retrieval.Ranker;
import io.inmemory.engine.retrieval.RetrievalSettings;
import io.inmemory.engine.retrieval.Threads;
import io.inmemory.engine.spi.ChangeSet;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One owner's (a user's, or an agent's own) memories in one namespace, held in memory: records by
 * id, a newest-first {@link Timeline} for listings and time filters, posting lists of tags, people,
 * agents and sessions for filters and scope restrictions, the ids of superseded memories to hide,
 * the current memories by normalized text for de-duplication, a vector index and, unless retrieval
 * is dense only, a lexical index for search; every write reaches all of them under the same lock.
 * Callers hold {@link #read(Supplier)} or
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
  /** Ids by {@link Selection#personKey person key}. */
  private final Postings people = new Postings();
  /** Ids by the agent that recorded them (in a user's partition; one key in an agent's own). */
  private final Postings agents = new Postings();
  /** Ids by session. */
  private final Postings sessions = new Postings();
  /**
   * Ids by the memory they follow in their conversation ({@link Message#FOLLOWS_METADATA_KEY}):
   * the threads searches read through {@link #threads}.
   */
  private final Postings followers = new Postings();
  /** The ids of the memories a newer fact superseded, which searches hide unless asked. */
  private final Set<String> superseded = new HashSet<>();
  /** Replaced by {@link #reset}; read by the weigher without the lock. */
  private volatile VectorIndex index;
  private final IndexSettings indexSettings;
  private final Ranker ranker;
  /** Whether a message's words are indexed after those of the message before it. */
  private final boolean wordsInContext;
  /** The words of every memory; null when searches are dense only. Replaced by {@link #reset}. */
  private @Nullable LexicalIndex lexical;
  /** The current memories by normalized text, for de-duplication. */
  private final Dedup texts = new Dedup();
  /** Who uses this instance, and whether the cache still holds it; see {@link Pins}. */
  private final Pins pins = new Pins();
  private final int dimension;
  /**
   * The estimated heap of the records held (everything but their vectors); written under the
   * write lock, read by the cache's weigher without it.
   */
  private volatile long recordBytes;
  /** {@code byId}'s size, published for the weigher as {@link #recordBytes} is. */
  private volatile int held;
  private volatile long weighed;
  /** Set when the store changed in ways only a full re-read applies; see {@link #resetIfStale}. */
  private volatile boolean stale;

  /**
   * A partition of the {@code stored} memories. {@code restore} is given their vectors by id and
   * returns their vector index restored from a snapshot, or null when there is none to use; then
   * the index is built.
   */
  Partition(PartitionKey key, int dimension, IndexSettings settings, RetrievalSettings retrieval,
      List<StoredMemory> stored, Function<Map<String, float[]>, @Nullable VectorIndex> restore) {
    this.key = key;
    this.dimension = dimension;
    this.indexSettings = settings;
    this.ranker = new Ranker(retrieval);
    this.wordsInContext = retrieval.contextWeight() > 0;
    this.lexical = ranker.newLexicalIndex();
    Map<String, float[]> vectors = hold(stored);
    VectorIndex restored = restore.apply(vectors);
    this.index = restored != null ? restored : new VectorIndex(dimension, settings);
    if (restored == null) {
      index.putAll(vectors);
    }
  }

  /**
   * Holds {@code stored} instead of everything held: the store's whole partition, re-read.
   * Under the write lock. The vector and lexical indexes start afresh (a graph is rebuilt).
   */
  void reset(List<StoredMemory> stored) {
    index = new VectorIndex(dimension, indexSettings);
    lexical = ranker.newLexicalIndex();
    // the new indexes hold nothing: only the records, postings and texts are emptied here
    removed(ids());
    added(stored);
  }

  /**
   * Marks this instance as behind the store as a whole (another process replaced the partition,
   * or this process lost track of what changed): its next user {@link #resetIfStale resets} it.
   * For an instance in use, which cannot simply be dropped and loaded again.
   */
  void markStale() {
    stale = true;
  }

  /**
   * {@link #reset Resets} this partition from {@code current} (the whole partition as stored)
   * when it was {@link #markStale marked stale}, under the write lock; does nothing otherwise.
   *
   * @throws io.inmemory.StorageException when {@code current} cannot read the store; then it
   *     stays stale
   */
  void resetIfStale(Supplier<List<StoredMemory>> current) {
    if (stale) {
      write(() -> {
        // cleared before the read: a mark made while it runs is for a later change, and stays
        if (stale) {
          stale = false;
          try {
            reset(current.get());
          } catch (RuntimeException e) {
            stale = true;
            throw e;
          }
        }
        return null;
      });
    }
  }

  /**
   * Applies a re-read of the memories {@code ids} after another process wrote them, under the
   * write lock: each of {@code current} (their stored state; ids not stored are absent) replaces
   * the one held or is added; each id absent from it is removed. Memories of {@code current}
   * not among {@code ids} are ignored.
   */
  void refresh(List<StoredMemory> current, Collection<String> ids) {
    Map<String, StoredMemory> stored = new HashMap<>(current.size() * 4 / 3 + 1);
    current.forEach(memory -> stored.put(memory.id(), memory));
    List<StoredMemory> fresh = new ArrayList<>();
    List<String> gone = new ArrayList<>();
    for (String id : new HashSet<>(ids)) {
      StoredMemory memory = stored.get(id);
      if (memory == null) {
        gone.add(id);
      } else if (byId.containsKey(id)) {
        replaced(memory);
      } else {
        fresh.add(memory);
      }
    }
    removed(gone);
    added(fresh);
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

  /**
   * The estimated heap this partition takes, in bytes: see {@link Footprint}. Reads no structure
   * but a volatile, so the cache may weigh it without the lock (a write in progress may be
   * counted or not).
   */
  long footprint() {
    return Footprint.partition(recordBytes, held, dimension, index.usesGraph());
  }

  /** The footprint, remembered as what the cache weighed; for the cache's weigher. */
  long weigh() {
    long bytes = footprint();
    weighed = bytes;
    return bytes;
  }

  /** What {@link #weigh()} found last. */
  long weighed() {
    return weighed;
  }

  /** How many memories are held; readable without the lock, like {@link #footprint()}. */
  int memories() {
    return held;
  }

  Pins pins() {
    return pins;
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
        recordBytes -= Footprint.record(previous.memory(), lexical != null);
      }
      recordBytes += Footprint.record(memory.memory(), lexical != null);
      texts.add(memory.memory());
      timeline.add(memory.memory());
      post(memory);
      vectors.put(memory.id(), memory.embedding());
      held = byId.size();
    }
    // after the whole batch, so a message loaded before the one it follows gets its words too;
    // followers within the batch are indexed once, as themselves
    for (StoredMemory memory : memories) {
      index(memory.id());
      indexFollowers(memory.id(), vectors.keySet());
    }
    return vectors;
  }

  void replaced(StoredMemory memory) {
    StoredMemory previous = byId.put(memory.id(), memory);
    recordBytes += Footprint.record(memory.memory(), lexical != null)
        - Footprint.record(previous.memory(), lexical != null);
    timeline.remove(previous.memory());
    timeline.add(memory.memory());
    unpost(previous);
    post(memory);
    texts.remove(previous.memory());
    texts.add(memory.memory());
    if (previous.embedding() != memory.embedding()) {
      index.put(memory.id(), memory.embedding());
    }
    if (!previous.memory().content().equals(memory.memory().content())
        || !Objects.equals(previous(previous.memory()), previous(memory.memory()))) {
      index(memory.id());
      indexFollowers(memory.id());
    }
  }

  void removed(List<String> ids) {
    for (String id : ids) {
      StoredMemory previous = byId.remove(id);
      if (previous != null) {
        recordBytes -= Footprint.record(previous.memory(), lexical != null);
        held = byId.size();
        timeline.remove(previous.memory());
        unpost(previous);
        texts.remove(previous.memory());
        index.remove(id);
        if (lexical != null) {
          lexical.remove(id);
        }
        indexFollowers(id);
      }
    }
  }

  /**
   * Puts memory {@code id}'s words in the lexical index, when there is one: its content, after
   * the content of the message it follows when that one is held and words are read in context.
   */
  private void index(String id) {
    StoredMemory memory = byId.get(id);
    if (lexical == null || memory == null) {
      return;
    }
    String before = wordsInContext ? previous(memory.memory()) : null;
    StoredMemory previous = before == null ? null : byId.get(before);
    lexical.put(id, previous == null ? memory.memory().content()
        : previous.memory().content() + "\n" + memory.memory().content());
  }

  /** {@link #index Indexes} again the messages that follow {@code id}: their context changed. */
  private void indexFollowers(String id) {
    indexFollowers(id, Set.of());
  }

  /** As {@link #indexFollowers(String)}, but for the followers among {@code indexed}. */
  private void indexFollowers(String id, Set<String> indexed) {
    if (wordsInContext) {
      for (String follower : List.copyOf(followers.get(id))) {
        if (!indexed.contains(follower)) {
          index(follower);
        }
      }
    }
  }

  private void post(StoredMemory memory) {
    MemoryRecord record = memory.memory();
    tags.add(memory.id(), record.tags());
    people.add(memory.id(), personKeys(record));
    agents.add(memory.id(), present(record.agentId()));
    sessions.add(memory.id(), present(record.sessionId()));
    followers.add(memory.id(), present(previous(record)));
    if (!record.isCurrent()) {
      superseded.add(memory.id());
    }
  }

  /** Undoes {@link #post} for a memory no longer current; does nothing for null. */
  private void unpost(@Nullable StoredMemory memory) {
    if (memory != null) {
      MemoryRecord record = memory.memory();
      tags.remove(memory.id(), record.tags());
      people.remove(memory.id(), personKeys(record));
      agents.remove(memory.id(), present(record.agentId()));
      sessions.remove(memory.id(), present(record.sessionId()));
      followers.remove(memory.id(), present(previous(record)));
      superseded.remove(memory.id());
    }
  }

  /** The memory {@code record} follows in its conversation, as its metadata names it, or null. */
  private static @Nullable String previous(MemoryRecord record) {
    return record.metadata().get(Message.FOLLOWS_METADATA_KEY) instanceof String id ? id : null;
  }

  /**
   * The last message remembered of the conversation held by exactly {@code agentId} and
   * {@code sessionId} ({@code null}: none) and said no later than {@code notAfter}: the newest
   * memory of that scope with a role that no memory follows yet; null when there is none.
   */
  @Nullable String lastMessage(@Nullable String agentId, @Nullable String sessionId,
      Instant notAfter) {
    Predicate<MemoryRecord> open = record -> record.role() != null
        && !record.createdAt().isAfter(notAfter) && Objects.equals(agentId, record.agentId())
        && Objects.equals(sessionId, record.sessionId()) && followers.get(record.id()).isEmpty();
    // newest first: the timeline stops at the first open message; a session's few are scanned
    Optional<MemoryRecord> last = sessionId == null
        ? timeline.range(null, notAfter).stream().filter(open).findFirst()
        : sessions.get(sessionId).stream().map(id -> byId.get(id).memory()).filter(open)
            .min(Timeline.NEWEST_FIRST);
    return last.map(MemoryRecord::id).orElse(null);
  }

  /** The conversation threads among the memories held, for the {@link Ranker}. */
  private Threads threads() {
    if (followers.keys() == 0) {
      return Threads.NONE;
    }
    return new Threads() {
      @Override
      public @Nullable String previous(String id) {
        StoredMemory memory = byId.get(id);
        String previous = memory == null ? null : Partition.previous(memory.memory());
        return previous != null && byId.containsKey(previous) ? previous : null;
      }

      @Override
      public Collection<String> next(String id) {
        return followers.get(id);
      }
    };
  }

  private static List<String> personKeys(MemoryRecord record) {
    return record.people().stream().map(Selection::personKey).toList();
  }

  private static List<String> present(@Nullable String key) {
    return key == null ? List.of() : List.of(key);
  }

  List<String> ids() {
    return List.copyOf(byId.keySet());
  }

  /**
   * The {@code limit} memories that best match the query among those the selection passes,
   * scoring at least {@code threshold} when given, ranked by the {@link Ranker}. Only memories
   * that can pass are tested (see {@link #matching}); a selection that only hides superseded
   * memories tests none, and on a partition without any it costs what an unfiltered search does.
   *
   * @param vector the query's embedding; may be null when retrieval is lexical only
   * @param text the query's text
   */
  List<SearchHit> search(float @Nullable [] vector, String text, int limit, Selection selection,
      @Nullable Double threshold) {
    List<Scored> ranked;
    if (selection.narrows()) {
      Set<String> matching = matching(selection);
      if (matching.isEmpty()) {
        return List.of();
      }
      ranked = ranker.rank(index, lexical, vector, text, limit, matching, threshold, threads());
    } else if (selection.currentOnly() && !superseded.isEmpty()) {
      int current = byId.size() - superseded.size();
      if (current == 0) {
        return List.of();
      }
      ranked = ranker.rank(index, lexical, vector, text, limit,
          id -> !superseded.contains(id), current, threshold, threads());
    } else {
      ranked = ranker.rank(index, lexical, vector, text, limit, null, threshold, threads());
    }
    return ranked.stream()
        .filter(scored -> byId.containsKey(scored.id()))
        .map(scored -> new SearchHit(byId.get(scored.id()).memory(), scored.score())).toList();
  }

  /**
   * The ids of the memories the selection passes, each tested once. Only the memories that can
   * pass are tested: those of the selection's {@link Source} (of its alternatives, the smallest),
   * or every memory when it has none or it is no smaller.
   */
  private Set<String> matching(Selection selection) {
    List<Collection<String>> candidates = selection.source() == null ? null
        : candidates(selection.source(), byId.size());
    Set<String> matching = new HashSet<>();
    if (candidates == null) {
      for (StoredMemory memory : byId.values()) {
        if (selection.test(memory.memory())) {
          matching.add(memory.id());
        }
      }
      return matching;
    }
    Set<String> tested = candidates.size() == 1 ? null : new HashSet<>();
    for (Collection<String> ids : candidates) {
      for (String id : ids) {
        if ((tested == null || tested.add(id)) && selection.test(byId.get(id).memory())) {
          matching.add(id);
        }
      }
    }
    return matching;
  }

  /**
   * The ids of {@code source}'s memories, as collections that may overlap, when they number at
   * most {@code bound} in all; null when more. A time range is walked only up to the bound, as
   * its size is known only by walking it.
   */
  private @Nullable List<Collection<String>> candidates(Source source, long bound) {
    if (source instanceof Source.Posted posted) {
      Postings postings = switch (posted.index()) {
        case TAGS -> tags;
        case PEOPLE -> people;
        case AGENTS -> agents;
        case SESSIONS -> sessions;
      };
      List<Collection<String>> sets = new ArrayList<>(posted.keys().size());
      long total = 0;
      for (String key : posted.keys()) {
        Set<String> ids = postings.get(key);
        total += ids.size();
        sets.add(ids);
      }
      return total <= bound ? sets : null;
    }
    if (source instanceof Source.Range range) {
      List<String> ids = new ArrayList<>();
      for (MemoryRecord record : timeline.range(range.from(), range.to())) {
        if (ids.size() == bound) {
          return null;
        }
        ids.add(record.id());
      }
      return List.of(ids);
    }
    if (source instanceof Source.Union union) {
      List<Collection<String>> all = new ArrayList<>();
      long left = bound;
      for (Source each : union.sources()) {
        List<Collection<String>> found = candidates(each, left);
        if (found == null) {
          return null;
        }
        all.addAll(found);
        left -= total(found);
      }
      return all;
    }
    List<Collection<String>> smallest = null;
    long limit = bound;
    for (Source each : ((Source.Smallest) source).sources()) {
      List<Collection<String>> found = candidates(each, limit);
      if (found != null) {
        smallest = found;
        limit = total(found) - 1;
        if (limit < 0) {
          break;
        }
      }
    }
    return smallest;
  }

  private static long total(Collection<? extends Collection<String>> sets) {
    return sets.stream().mapToLong(Collection::size).sum();
  }

  /**
   * One page of the memories the selection passes, newest first; the page's total counts them
   * all. A selection with a source sorts the matching memories its candidates hold; one without
   * walks the timeline, whole when it narrows (to count), else only up to the page.
   */
  Page<MemoryRecord> page(Selection selection, int limit, int offset) {
    if (selection.narrows() && selection.source() != null) {
      List<MemoryRecord> matching = newestMatching(selection);
      int from = (int) Math.min(offset, matching.size());
      return new Page<>(matching.subList(from, Math.min(matching.size(), from + limit)), offset,
          limit, matching.size());
    }
    if (selection.narrows()) {
      return timeline.page(limit, offset, selection, -1);
    }
    boolean hiding = selection.currentOnly() && !superseded.isEmpty();
    return timeline.page(limit, offset, hiding ? MemoryRecord::isCurrent : record -> true,
        byId.size() - (hiding ? superseded.size() : 0));
  }

  /** The newest {@code limit} memories the selection passes, each scored 1. */
  List<SearchHit> newest(Selection selection, int limit) {
    if (selection.narrows() && selection.source() != null) {
      List<MemoryRecord> matching = newestMatching(selection);
      return matching.subList(0, Math.min(limit, matching.size())).stream()
          .map(record -> new SearchHit(record, 1.0)).toList();
    }
    boolean all = !selection.narrows() && (!selection.currentOnly() || superseded.isEmpty());
    return timeline.newest(all ? record -> true : selection, limit);
  }

  /** The memories the selection passes, newest first, as the timeline orders them. */
  private List<MemoryRecord> newestMatching(Selection selection) {
    return matching(selection).stream().map(id -> byId.get(id).memory())
        .sorted(Timeline.NEWEST_FIRST).toList();
  }

  /**
   * The statistics of the memories the selection passes (superseded ones among them counted
   * apart, the others described), labelled with {@code scope}.
   */
  UserStats stats(Selection selection, Scope scope) {
    return timeline.stats(selection, scope);
  }
}

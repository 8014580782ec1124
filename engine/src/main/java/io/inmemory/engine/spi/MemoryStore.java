package io.inmemory.engine.spi;

import io.inmemory.HistoryEntry;
import io.inmemory.engine.tenant.AccessStore;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The source of truth of the local engine: memories with their embeddings, and their history;
 * and of the server's projects and API keys ({@link #access()}).
 * The engine keeps each partition's records and vectors in memory once loaded and writes every
 * change through to the store before the call that made it returns.
 *
 * <p><b>Atomicity.</b> Each method is all or nothing: when it throws, nothing it was given is
 * stored. A memory and the history entry describing its change are written together.
 *
 * <p><b>Durability.</b> Each implementation documents what survives a crash once a method has
 * returned. The engine serializes writes per partition; different partitions may be written
 * concurrently, so implementations must be thread-safe.
 *
 * <p><b>Errors.</b> I/O and database failures are {@link io.inmemory.StorageException}; calls
 * after {@link #close()} throw {@link IllegalStateException}.
 */
public interface MemoryStore extends AutoCloseable {

  /**
   * Stores new memories and their {@code ADD} history entries; each entry belongs to a memory of
   * the batch (same user and id, see {@link StoredMemory#owners}).
   *
   * @throws IllegalArgumentException when an entry has no memory in the batch
   * @throws io.inmemory.ConflictException when a memory with one of the ids already exists in its
   *     partition; then nothing of the call is stored
   */
  void insert(List<StoredMemory> memories, List<HistoryEntry> entries);

  /**
   * {@link #insert(List, List)}, recording the entries as pending webhook events only when
   * {@code events} is true and the store records events (see
   * {@link io.inmemory.engine.spi.EventSettings#RECORD}): a restore passes false, so that history
   * written long ago is not announced again. The default, for stores that record no events,
   * ignores {@code events}; every built-in store overrides it.
   */
  default void insert(List<StoredMemory> memories, List<HistoryEntry> entries, boolean events) {
    insert(memories, entries);
  }

  /**
   * Replaces an existing memory (same partition and id) and appends its history entry.
   *
   * @throws io.inmemory.NotFoundException when the memory does not exist
   */
  void replace(StoredMemory memory, HistoryEntry entry);

  /**
   * Writes several changes of one partition all or nothing (a supersede: the new memory, the old
   * one marked no longer current, and both entries). When an inserted id already exists or a
   * replaced one does not, it throws before anything is written.
   *
   * @throws io.inmemory.ConflictException when an inserted memory's id already exists
   * @throws io.inmemory.NotFoundException when a replaced memory does not exist
   */
  void commit(ChangeSet changes);

  /**
   * Replaces the embeddings of existing memories without touching their history (used when the
   * embedder changes). Memories that no longer exist are skipped.
   */
  void replaceEmbeddings(List<StoredMemory> memories);

  /**
   * Deletes memories of one partition and appends their {@code DELETE} history entries; ids that
   * do not exist are skipped, and their entries with them.
   *
   * @return how many memories were deleted
   */
  int delete(PartitionKey partition, List<String> ids, List<HistoryEntry> entries);

  /**
   * {@link #delete(PartitionKey, List, List)}, recording the entries as pending webhook events only
   * when {@code events} is true and the store records events, as {@link #insert(List, List,
   * boolean)} does: a restore that completes a deleted memory passes false. The default, for
   * stores that record no events, ignores {@code events}; every built-in store overrides it.
   *
   * @return how many memories were deleted
   */
  default int delete(PartitionKey partition, List<String> ids, List<HistoryEntry> entries,
      boolean events) {
    return delete(partition, ids, entries);
  }

  /** Every memory of one partition, in no particular order; empty for an unknown partition. */
  List<StoredMemory> load(PartitionKey partition);

  /**
   * The memories of one partition among {@code ids} as they are stored now; ids not stored (never
   * added, or deleted) are absent from the answer. Used to apply another process's {@link Change};
   * a store with a {@link #changeFeed()} answers it with one indexed read. The default filters
   * {@link #load(PartitionKey)}.
   */
  default List<StoredMemory> load(PartitionKey partition, Collection<String> ids) {
    Set<String> wanted = new HashSet<>(ids);
    return load(partition).stream().filter(memory -> wanted.contains(memory.id())).toList();
  }

  /** The history of one memory of one partition, oldest first; empty when there is none. */
  List<HistoryEntry> history(PartitionKey partition, String memoryId);

  /**
   * The partitions of {@code namespace} that hold at least one memory (current or superseded; a
   * partition whose memories were all deleted is absent), in owner order
   * ({@link String#compareTo}: users' partitions first, then agents' own, whose owners start with
   * {@value PartitionKey#AGENT_PREFIX}), each with its count of memories and the newest one's
   * creation time. Pages by owner: pass the last owner of a page as {@code after} to get the
   * next; a page shorter than {@code limit} is the last. Reads the storage, never the engine's
   * cache; each summary is one moment of its partition, but a page is not one moment of the
   * namespace (partitions written meanwhile may or may not show).
   *
   * @param namespace the namespace, non-blank
   * @param after only owners after this one in {@link String} order; {@code null} from the first
   * @param limit the most partitions to answer, 1 to {@value PartitionSummary#MAX_LIMIT}
   * @throws IllegalArgumentException when {@code namespace} is blank or {@code limit} is out of
   *     range
   * @throws UnsupportedOperationException when this store cannot list its partitions (the
   *     default; every built-in store can)
   */
  default List<PartitionSummary> partitions(String namespace, @Nullable String after,
      int limit) {
    PartitionSummary.checkPage(namespace, limit);
    throw new UnsupportedOperationException("the store " + describe()
        + " cannot list its partitions");
  }

  /**
   * Every history one partition holds, deleted memories' included: by memory id, each oldest
   * first; empty for an unknown partition. One consistent read where the storage allows; export
   * uses it. The default asks {@link #history} for each memory {@link #load(PartitionKey)} holds,
   * so deleted memories' histories are missing from it: every built-in store overrides it.
   */
  default Map<String, List<HistoryEntry>> histories(PartitionKey partition) {
    Map<String, List<HistoryEntry>> histories = new HashMap<>();
    for (StoredMemory memory : load(partition)) {
      List<HistoryEntry> history = history(partition, memory.id());
      if (!history.isEmpty()) {
        histories.put(memory.id(), history);
      }
    }
    return histories;
  }

  /**
   * The partitions of {@code namespace} that hold any history: every partition that ever held a
   * memory, also those whose memories were all deleted (which {@link #partitions} leaves out), in
   * owner order ({@link String#compareTo}). Pages as {@link #partitions} does: pass the last owner
   * of a page as {@code after}; a page shorter than {@code limit} is the last.
   *
   * @param namespace the namespace, non-blank
   * @param after only owners after this one; {@code null} from the first
   * @param limit the most partitions to answer, 1 to {@value PartitionSummary#MAX_LIMIT}
   * @throws IllegalArgumentException when {@code namespace} is blank or {@code limit} is out of
   *     range
   * @throws UnsupportedOperationException when this store cannot list them (the default; every
   *     built-in store can)
   */
  default List<PartitionKey> historyPartitions(String namespace, @Nullable String after,
      int limit) {
    PartitionSummary.checkPage(namespace, limit);
    throw new UnsupportedOperationException("the store " + describe()
        + " cannot list its partitions: export one owner at a time");
  }

  /**
   * The server's projects and API keys, kept in the same storage and with the same guarantees as
   * the memories; the same instance on every call.
   */
  AccessStore access();

  /**
   * Where this store keeps the engine's index snapshots, so that reopening need not rebuild large
   * partitions' HNSW graphs; empty (the default) when it keeps none, and the engine then rebuilds
   * each graph when it loads a partition. The same instance on every call.
   */
  default Optional<IndexSnapshots> indexSnapshots() {
    return Optional.empty();
  }

  /**
   * The ordered record of this store's writes that other processes sharing its data follow; empty
   * (the default) for a store one process uses at a time. The same instance on every call.
   */
  default Optional<ChangeFeed> changeFeed() {
    return Optional.empty();
  }

  /**
   * A cheap round trip to the storage, for health checks.
   *
   * @throws io.inmemory.StorageException when the storage cannot be reached
   */
  void ping();

  /** What this store is and where its data lives, for logs and health checks; no secrets. */
  String describe();

  /** Flushes and releases resources; idempotent. */
  @Override
  void close();
}

package io.inmemory.store.mongo;

import static io.inmemory.store.mongo.Documents.CHANGE;
import static io.inmemory.store.mongo.Documents.CREATED_AT;
import static io.inmemory.store.mongo.Documents.DELETED;
import static io.inmemory.store.mongo.Documents.ID;
import static io.inmemory.store.mongo.Documents.MEMORY_ID;
import static io.inmemory.store.mongo.Documents.NAMESPACE;
import static io.inmemory.store.mongo.Documents.USER_ID;
import static io.inmemory.store.mongo.Documents.VERSION;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.ReadConcern;
import com.mongodb.ReadPreference;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndReplaceOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.connection.ClusterType;
import io.inmemory.ConflictException;
import io.inmemory.HistoryEntry;
import io.inmemory.NotFoundException;
import io.inmemory.StorageException;
import io.inmemory.engine.spi.ChangeFeed;
import io.inmemory.engine.spi.ChangeFeedSettings;
import io.inmemory.engine.spi.ChangeKind;
import io.inmemory.engine.spi.ChangeSet;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.PartitionSummary;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tenant.AccessStore;
import io.inmemory.store.mongo.ChangeLog.Announcement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.bson.BSONException;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.conversions.Bson;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MongoDB store, named {@code mongo}: one document per memory in the {@code memories}
 * collection holding the record, its embedding (float32 little-endian binary), the embedder id and
 * a {@code version}; one document per history entry in the {@code history} collection, so
 * history is unbounded; projects and API keys in their own collections (see {@link #access()}).
 * The module README describes documents, indexes and the shard key ({@code namespace} +
 * {@code userId}).
 *
 * <p><b>Durability.</b> Writes use write concern {@code majority} with journaling by default:
 * when {@link #insert}, {@link #replace}, {@link #commit}, {@link #replaceEmbeddings} or
 * {@link #delete} returns, the change is in the on-disk journal of a majority of the replica set's
 * members, so it survives a crash ({@code kill -9}) of this process and of any minority of
 * members, and a failover. On a standalone {@code mongod} "majority" is that one server's
 * journal. A weaker write concern is opt-in ({@link Builder#writeConcern}).
 *
 * <p><b>Atomicity without transactions.</b> A memory document's {@code version} counts its
 * history entries. A change first writes its entries at the versions after the current one
 * (upserts on the unique key, which overwrite orphans of earlier failed changes), then moves the
 * memory document to the new version with a single-document update conditional on the old one.
 * Readers see only entries up to the memory's version, so a memory and its history change
 * together as seen by readers; a crash between the two writes leaves invisible orphans that the
 * next change overwrites. A delete keeps the document as a tombstone (record and embedding
 * removed, version kept) so history outlives the memory. Calls that touch several memories
 * cannot be atomic across documents:
 * <ul>
 *   <li>{@link #insert} checks for conflicts first, writes the entries, inserts the documents in
 *       order, and when a write fails removes what this call wrote (its documents and entries
 *       carry the call's token), so the caller sees all or nothing; only a crash of this process
 *       in the middle of a batch leaves a prefix of it, each memory complete with its
 *       history.</li>
 *   <li>{@link #commit} checks conflicts first, writes the entries, the new documents, then the
 *       conditional replacements, and undoes all of it on a failure (the replaced documents are
 *       put back); a crash of this process between the inserts and the replacements leaves the
 *       new memories visible next to the ones they were to supersede, still current: a visible
 *       duplicate, never a lost memory.</li>
 *   <li>{@link #delete} and {@link #replaceEmbeddings} are idempotent per memory: after a failure
 *       some memories may be changed and others not, each consistently; calling again finishes
 *       the job (the engine re-embeds any memory whose embedder id is stale).</li>
 * </ul>
 * Ids of deleted memories are not reused: inserting an id that has a tombstone is a conflict.
 * The store expects at most one writer per memory per process (the engine serializes writes per
 * partition). A writer that loses a race gets a {@link ConflictException} from {@link #replace},
 * never overwrites the winner's memory document, and puts back the entry it replaced; with more
 * than two processes racing on one memory an entry can still end up wrong (see the README).
 *
 * <p>Thread-safe (the driver's client is). Calls after {@link #close()} throw
 * {@link IllegalStateException}; driver failures are {@link StorageException}s naming the
 * database and hosts, never credentials.
 */
public final class MongoMemoryStore implements MemoryStore {
  /** How long the driver looks for a server when the URI sets no serverSelectionTimeoutMS. */
  public static final Duration DEFAULT_SERVER_SELECTION_TIMEOUT = Duration.ofSeconds(10);

  private static final Logger LOG = LoggerFactory.getLogger(MongoMemoryStore.class);
  private static final Bson LIVE = Filters.eq(DELETED, false);
  /** The field of {@link #partitions}' groups that counts their memories. */
  private static final String COUNT = "memories";
  private static final BsonDocument TOMBSTONE_UNSET = tombstoneUnset();
  /**
   * History entries per reply: an entry holds up to two contents of the maximum memory size.
   * MongoDB itself caps a reply at 16 MB; this also bounds servers that do not (the stand-in).
   */
  private static final int HISTORY_BATCH = 16;

  private final Connection connection;
  private final MongoCollection<BsonDocument> memories;
  private final MongoCollection<BsonDocument> history;
  private final MongoAccessStore access;
  private final ChangeLog log;
  private final @Nullable MongoChangeFeed feed;
  /** Whether history entries are written as pending webhook events. */
  private final boolean recordEvents;

  private MongoMemoryStore(Connection connection, ChangeLog log, boolean recording,
      boolean recordEvents, Duration pendingTimeout) {
    this.connection = connection;
    this.memories = connection.collection(Schema.MEMORIES);
    this.history = connection.collection(Schema.HISTORY);
    this.access = new MongoAccessStore(connection,
        new MongoWebhookStore(connection, pendingTimeout));
    this.recordEvents = recordEvents;
    this.log = log;
    this.feed = recording ? new MongoChangeFeed(log) : null;
    LOG.info("Opened {}", describe());
  }

  /** A builder; give it a {@linkplain Builder#uri URI} or a {@linkplain Builder#client client}. */
  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- memories

  @Override
  public void insert(List<StoredMemory> batch, List<HistoryEntry> entries) {
    insert(batch, entries, true);
  }

  @Override
  public void insert(List<StoredMemory> batch, List<HistoryEntry> entries, boolean events) {
    connection.ensureOpen();
    if (batch.isEmpty()) {
      return;
    }
    Map<PartitionKey, List<String>> idsByPartition = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    int[] owners = StoredMemory.owners(batch, entries);
    for (StoredMemory memory : batch) {
      if (!seen.add(memory.namespace() + '\n' + memory.partition().owner() + '\n' + memory.id())) {
        throw new ConflictException("memory " + memory.id() + " appears twice in one insert");
      }
      idsByPartition.computeIfAbsent(memory.partition(), key -> new ArrayList<>())
          .add(memory.id());
    }
    List<List<HistoryEntry>> own = entriesOf(batch, entries, owners);
    idsByPartition.forEach(this::requireNoneExists);
    String token = UUID.randomUUID().toString();
    List<ReplaceOneModel<BsonDocument>> entryWrites = new ArrayList<>(entries.size());
    List<BsonDocument> documents = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      StoredMemory memory = batch.get(i);
      entryWrites.addAll(Documents.historyUpserts(memory.namespace(), own.get(i), 0, token,
          pendingAt(events, entryWrites.size())));
      documents.add(Documents.newMemory(memory, own.get(i).size(), token));
    }
    try (Announcement announcement = log.announce(ChangeKind.INSERT, idsByPartition, token)) {
      try {
        if (!entryWrites.isEmpty()) {
          history.bulkWrite(entryWrites, new BulkWriteOptions().ordered(false));
        }
        memories.insertMany(documents, new InsertManyOptions().ordered(true));
      } catch (MongoException | BSONException e) {
        undo("Inserting memories", idsByPartition, List.of(), token, e);
        announcement.undone();
        if (Connection.isDuplicateKey(e)) {
          throw new ConflictException("a memory of this insert was added concurrently; nothing"
              + " of the insert is stored");
        }
        throw connection.failure("inserting " + batch.size() + " memories", e);
      }
      announcement.done();
    }
  }

  /**
   * Checks that no inserted id exists and every replaced memory does, then writes, all with one
   * token: the entries at the versions after each memory's (upserts), the inserted documents in
   * order, then the replacements one by one, each conditional on the version read. When a write
   * fails or a replacement finds its memory changed meanwhile, {@link #undo} removes the inserted
   * documents and the entries and puts back the replaced documents, so the caller sees all or
   * nothing. A crash of this process between the inserts and the replacements leaves the new
   * memories visible next to the old ones still current (see the README, "Atomicity").
   */
  @Override
  public void commit(ChangeSet changes) {
    connection.ensureOpen();
    PartitionKey partition = changes.partition();
    List<StoredMemory> all = changes.memories();
    if (all.isEmpty()) {
      return;
    }
    String what = "committing " + changes.inserted().size() + " new and "
        + changes.replaced().size() + " replaced memories of " + whose(partition);
    List<String> insertedIds = changes.inserted().stream().map(StoredMemory::id).toList();
    if (!insertedIds.isEmpty()) {
      requireNoneExists(partition, insertedIds);
    }
    List<String> replacedIds = changes.replaced().stream().map(StoredMemory::id).toList();
    Map<String, BsonDocument> previous = connection.call(what, () -> {
      Map<String, BsonDocument> live = new LinkedHashMap<>();
      memories.find(Filters.and(partitionFilter(partition), Filters.in(MEMORY_ID, replacedIds),
              LIVE))
          .forEach(document -> live.put(document.getString(MEMORY_ID).getValue(), document));
      return live;
    });
    replacedIds.stream().filter(id -> !previous.containsKey(id)).findFirst().ifPresent(id -> {
      throw notFound(id, partition);
    });
    List<List<HistoryEntry>> own = entriesOf(all, changes.entries(), changes.owners());
    String token = UUID.randomUUID().toString();
    List<ReplaceOneModel<BsonDocument>> entryWrites = new ArrayList<>(changes.entries().size());
    List<BsonDocument> documents = new ArrayList<>(insertedIds.size());
    for (int i = 0; i < all.size(); i++) {
      StoredMemory memory = all.get(i);
      boolean isNew = i < insertedIds.size();
      entryWrites.addAll(Documents.historyUpserts(memory.namespace(), own.get(i),
          isNew ? 0 : Documents.version(previous.get(memory.id())), token,
          pendingAt(changes.events(), entryWrites.size())));
      if (isNew) {
        documents.add(Documents.newMemory(memory, own.get(i).size(), token));
      }
    }
    Map<PartitionKey, List<String>> written = Map.of(partition,
        all.stream().map(StoredMemory::id).toList());
    try (Announcement announcement = log.announce(ChangeKind.COMMIT, written, token)) {
      String changedMeanwhile = null;
      try {
        if (!entryWrites.isEmpty()) {
          history.bulkWrite(entryWrites, new BulkWriteOptions().ordered(false));
        }
        if (!documents.isEmpty()) {
          memories.insertMany(documents, new InsertManyOptions().ordered(true));
        }
        for (int i = insertedIds.size(); i < all.size(); i++) {
          StoredMemory memory = all.get(i);
          int version = Documents.version(previous.get(memory.id()));
          BsonDocument update = Documents.replacement(memory, version + own.get(i).size(), token);
          if (memories.updateOne(Filters.and(liveFilter(partition, memory.id()),
              Filters.eq(VERSION, version)), update).getMatchedCount() == 0) {
            changedMeanwhile = memory.id();
            break;
          }
        }
      } catch (MongoException | BSONException e) {
        undo("Committing changes of memories", written, previous.values(), token, e);
        announcement.undone();
        if (Connection.isDuplicateKey(e)) {
          throw new ConflictException("a memory of this commit was added concurrently; nothing"
              + " of the commit is stored");
        }
        throw connection.failure(what, e);
      }
      if (changedMeanwhile != null) {
        ConflictException conflict = new ConflictException("memory " + changedMeanwhile + " of "
            + whose(partition) + " was changed or deleted by another writer meanwhile; nothing"
            + " of this commit is stored");
        undo("Committing changes of memories", written, previous.values(), token, conflict);
        announcement.undone();
        throw conflict;
      }
      announcement.done();
    }
  }

  /**
   * The position a call's entries are marked from as pending events ({@code position}, the
   * entries it wrote before), or {@link Documents#NOT_PENDING} when events are not recorded.
   */
  private int pendingAt(boolean events, int position) {
    return recordEvents && events ? position : Documents.NOT_PENDING;
  }

  /** For each memory, its entries in order; {@code owners} gives each entry's memory index. */
  private static List<List<HistoryEntry>> entriesOf(List<StoredMemory> memories,
      List<HistoryEntry> entries, int[] owners) {
    List<List<HistoryEntry>> own = new ArrayList<>(memories.size());
    memories.forEach(memory -> own.add(new ArrayList<>(1)));
    for (int i = 0; i < owners.length; i++) {
      own.get(owners[i]).add(entries.get(i));
    }
    return own;
  }

  private void requireNoneExists(PartitionKey partition, List<String> ids) {
    BsonDocument existing = connection.call("checking memory ids", () -> memories
        .find(Filters.and(partitionFilter(partition), Filters.in(MEMORY_ID, ids)))
        .projection(Projections.include(MEMORY_ID, DELETED)).first());
    if (existing != null) {
      String id = existing.getString(MEMORY_ID).getValue();
      throw new ConflictException(existing.getBoolean(DELETED).getValue()
          ? "memory " + id + " of user " + partition.owner() + " was deleted; the ids of deleted"
              + " memories are not reused (their history stays under them)"
          : "memory " + id + " of user " + partition.owner() + " already exists");
    }
  }

  /**
   * Undoes what one failed call stored, all of which carries its token: first the documents it
   * replaced are put back as {@code previous} (where they still carry the token), then the
   * documents and entries of {@code written} (ids by partition) that carry the token are removed:
   * after the put-back only the documents the call inserted do. Entries left behind (the undo
   * failed) are orphans that no reader sees.
   *
   * @param action what failed, for the message: "Inserting memories"
   */
  private void undo(String action, Map<PartitionKey, List<String>> written,
      Collection<BsonDocument> previous, String token, RuntimeException cause) {
    try {
      for (BsonDocument before : previous) {
        memories.replaceOne(Filters.and(Filters.eq("_id", before.get("_id")),
            Filters.eq(CHANGE, token)), before);
      }
      written.forEach((partition, ids) -> {
        Bson ours = Filters.and(partitionFilter(partition), Filters.in(MEMORY_ID, ids),
            Filters.eq(CHANGE, token));
        memories.deleteMany(ours);
        history.deleteMany(ours);
      });
    } catch (MongoException undoFailure) {
      cause.addSuppressed(undoFailure);
      throw new StorageException(action + " in MongoDB " + connection.location() + " failed,"
          + " and so did undoing the part already written, so some of its memories (each"
          + " complete with its history) may be stored. Check the connection; their documents"
          + " carry " + CHANGE + ": " + token + ".", cause);
    }
  }

  /**
   * Writes the entry at the memory's next version, then moves the memory document from its
   * version to the next one if no other change got there first. When that update matches
   * nothing, the entry this call replaced (an orphan, or a concurrent change's entry) is put back.
   */
  @Override
  public void replace(StoredMemory memory, HistoryEntry entry) {
    requireEntryOf(memory, entry);
    PartitionKey partition = memory.partition();
    String what = "replacing memory " + memory.id();
    int version = connection.call(what, () -> liveVersion(partition, memory.id()))
        .orElseThrow(() -> notFound(memory.id(), partition));
    String token = UUID.randomUUID().toString();
    BsonDocument key = Documents.historyKey(memory.namespace(), partition.owner(), memory.id(),
        version + 1);
    try (Announcement announcement = log.announce(ChangeKind.REPLACE,
        Map.of(partition, List.of(memory.id())), token)) {
      BsonDocument replaced = connection.call(what, () -> history.findOneAndReplace(key,
          Documents.historyEntry(memory.namespace(), entry, version + 1, token,
              pendingAt(true, 0)),
          new FindOneAndReplaceOptions().upsert(true).returnDocument(ReturnDocument.BEFORE)));
      BsonDocument update = Documents.replacement(memory, version + 1, token);
      long matched = connection.call(what, () -> memories.updateOne(Filters.and(
          liveFilter(partition, memory.id()), Filters.eq(VERSION, version)), update)
          .getMatchedCount());
      if (matched == 0) {
        Bson ours = Filters.and(key, Filters.eq(CHANGE, token));
        connection.run(what + " (putting back the history entry it replaced)", () -> {
          if (replaced == null) {
            history.deleteOne(ours);
          } else {
            history.replaceOne(ours, replaced);
          }
        });
        announcement.abort();
        if (connection.call(what, () -> liveVersion(partition, memory.id())).isEmpty()) {
          throw notFound(memory.id(), partition);
        }
        throw new ConflictException("memory " + memory.id() + " of " + whose(partition)
            + " was changed by another writer meanwhile; nothing of this change is stored");
      }
      announcement.done();
    }
  }

  @Override
  public void replaceEmbeddings(List<StoredMemory> batch) {
    connection.ensureOpen();
    if (batch.isEmpty()) {
      return;
    }
    List<UpdateOneModel<BsonDocument>> updates = batch.stream()
        .map(memory -> new UpdateOneModel<BsonDocument>(liveFilter(memory.partition(), memory.id()),
            new BsonDocument("$set", Documents.embeddingFields(memory))))
        .toList();
    Map<PartitionKey, List<String>> idsByPartition = new LinkedHashMap<>();
    batch.forEach(memory -> idsByPartition.computeIfAbsent(memory.partition(),
        key -> new ArrayList<>()).add(memory.id()));
    try (Announcement announcement = log.announce(ChangeKind.EMBEDDINGS, idsByPartition,
        UUID.randomUUID().toString())) {
      connection.run("replacing " + batch.size() + " embeddings",
          () -> memories.bulkWrite(updates, new BulkWriteOptions().ordered(false)));
      announcement.done();
    }
  }

  /**
   * Writes the entries of the live memories among {@code ids} above their versions, then turns
   * each into a tombstone at its new version if no other change got there first; entries of
   * memories that did not take this call's change are removed again.
   */
  @Override
  public int delete(PartitionKey partition, List<String> ids, List<HistoryEntry> entries) {
    return delete(partition, ids, entries, true);
  }

  @Override
  public int delete(PartitionKey partition, List<String> ids, List<HistoryEntry> entries,
      boolean events) {
    connection.ensureOpen();
    Set<String> unique = new LinkedHashSet<>(ids);
    if (unique.isEmpty()) {
      return 0;
    }
    String what = "deleting " + unique.size() + " memories of " + partition.ownerDescription();
    Map<String, Integer> versions = connection.call(what, () -> {
      Map<String, Integer> live = new LinkedHashMap<>();
      memories.find(Filters.and(partitionFilter(partition), Filters.in(MEMORY_ID, unique), LIVE))
          .projection(Projections.include(MEMORY_ID, VERSION))
          .forEach(document -> live.put(document.getString(MEMORY_ID).getValue(),
              Documents.version(document)));
      return live;
    });
    if (versions.isEmpty()) {
      return 0;
    }
    Map<String, List<HistoryEntry>> byMemory = entriesById(partition, entries);
    String token = UUID.randomUUID().toString();
    try (Announcement announcement = log.announce(ChangeKind.DELETE,
        Map.of(partition, List.copyOf(versions.keySet())), token)) {
      int deleted = tombstone(partition, versions, byMemory, token, what, events);
      if (deleted > 0) {
        announcement.done();
      } else {
        announcement.abort(); // other writers deleted or changed them all first
      }
      return deleted;
    }
  }

  /**
   * Writes the entries of the memories at {@code versions}, then turns each into a tombstone if
   * it is still at that version; removes the entries of those that were not.
   *
   * @return how many memories were deleted
   */
  private int tombstone(PartitionKey partition, Map<String, Integer> versions,
      Map<String, List<HistoryEntry>> byMemory, String token, String what, boolean events) {
    List<ReplaceOneModel<BsonDocument>> entryWrites = new ArrayList<>();
    List<UpdateOneModel<BsonDocument>> updates = new ArrayList<>(versions.size());
    versions.forEach((id, version) -> {
      List<HistoryEntry> own = byMemory.getOrDefault(partition.owner() + '\n' + id, List.of());
      entryWrites.addAll(Documents.historyUpserts(partition.namespace(), own, version, token,
          pendingAt(events, entryWrites.size())));
      updates.add(new UpdateOneModel<>(
          Filters.and(liveFilter(partition, id), Filters.eq(VERSION, version)),
          new BsonDocument("$set", new BsonDocument(DELETED, BsonBoolean.TRUE)
              .append(VERSION, new BsonInt32(version + own.size()))
              .append(CHANGE, new BsonString(token)))
              .append("$unset", TOMBSTONE_UNSET)));
    });
    if (!entryWrites.isEmpty()) {
      connection.run(what, () -> history.bulkWrite(entryWrites,
          new BulkWriteOptions().ordered(false)));
    }
    int deleted = connection.call(what, () -> memories.bulkWrite(updates,
        new BulkWriteOptions().ordered(false)).getMatchedCount());
    if (deleted < versions.size()) {
      // Another writer changed or deleted some of them first: its version stands.
      connection.run(what + " (removing the entries of memories changed meanwhile)", () -> {
        List<String> missed = new ArrayList<>();
        memories.find(Filters.and(partitionFilter(partition),
                Filters.in(MEMORY_ID, versions.keySet()), Filters.ne(CHANGE, token)))
            .projection(Projections.include(MEMORY_ID))
            .forEach(document -> missed.add(document.getString(MEMORY_ID).getValue()));
        history.deleteMany(Filters.and(partitionFilter(partition),
            Filters.in(MEMORY_ID, missed), Filters.eq(CHANGE, token)));
      });
    }
    return deleted;
  }

  @Override
  public List<StoredMemory> load(PartitionKey partition) {
    return load("loading the memories of " + partition.ownerDescription(), memories,
        Filters.and(partitionFilter(partition), LIVE));
  }

  /**
   * Reads from the primary with read concern majority whatever the URI says, so a change just
   * delivered by the feed (whose write was acknowledged by a majority) is seen; tombstones and
   * ids never stored are absent.
   */
  @Override
  public List<StoredMemory> load(PartitionKey partition, Collection<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return load("re-reading " + ids.size() + " memories of " + partition.ownerDescription(),
        memories.withReadPreference(ReadPreference.primary())
            .withReadConcern(ReadConcern.MAJORITY),
        Filters.and(partitionFilter(partition), Filters.in(MEMORY_ID, Set.copyOf(ids)), LIVE));
  }

  private List<StoredMemory> load(String what, MongoCollection<BsonDocument> from, Bson filter) {
    return connection.call(what, () -> from.find(filter)
        .projection(Projections.exclude(VERSION, CHANGE, "_id"))
        .map(Documents::memory)
        .into(new ArrayList<>()));
  }

  /**
   * One aggregation: the namespace's live memory documents with an owner after {@code after}
   * (read through the index {@code partition_live_created}), grouped by owner, sorted, cut. The
   * group stage reads every such document before the page is cut, so a page costs the
   * namespace's live memories after {@code after}, not only its own owners'.
   */
  @Override
  public List<PartitionSummary> partitions(String namespace, @Nullable String after,
      int limit) {
    PartitionSummary.checkPage(namespace, limit);
    // every owner is non-empty, so "" lets every one through
    Bson live = Filters.and(Filters.eq(NAMESPACE, namespace),
        Filters.gt(USER_ID, after == null ? "" : after), LIVE);
    return connection.call("listing the partitions of namespace " + namespace,
        () -> memories.aggregate(List.of(Aggregates.match(live),
                Aggregates.group("$" + USER_ID, Accumulators.sum(COUNT, 1),
                    Accumulators.max(CREATED_AT, "$" + CREATED_AT)),
                Aggregates.sort(Sorts.ascending(ID)),
                Aggregates.limit(limit)))
            .map(group -> new PartitionSummary(
                new PartitionKey(namespace, group.getString(ID).getValue()),
                group.getNumber(COUNT).longValue(),
                Instant.ofEpochMilli(group.getDateTime(CREATED_AT).getValue())))
            .into(new ArrayList<>()));
  }

  /**
   * The entries up to the memory document's version, read in that order: entries above it are
   * orphans of changes that did not complete, and the memory's version only grows, so what is
   * returned is the history as of the moment the version was read.
   */
  @Override
  public List<HistoryEntry> history(PartitionKey partition, String memoryId) {
    String what = "reading the history of memory " + memoryId;
    BsonDocument memory = connection.call(what, () -> memories
        .find(Filters.and(partitionFilter(partition), Filters.eq(MEMORY_ID, memoryId)))
        .projection(Projections.include(VERSION)).first());
    if (memory == null) {
      return List.of();
    }
    int version = Documents.version(memory);
    return connection.call(what, () -> history
        .find(Filters.and(partitionFilter(partition), Filters.eq(MEMORY_ID, memoryId),
            Filters.lte(VERSION, version)))
        .sort(Sorts.ascending(VERSION))
        .batchSize(HISTORY_BATCH)
        .map(Documents::historyEntry)
        .into(new ArrayList<>()));
  }

  /**
   * The memory documents' versions (deleted memories keep theirs), then the partition's entries in
   * the order of the index {@code history_key}, each up to its memory's version, as
   * {@link #history} reads one memory's.
   */
  @Override
  public Map<String, List<HistoryEntry>> histories(PartitionKey partition) {
    String what = "reading the histories of " + partition.ownerDescription();
    Map<String, Integer> versions = new HashMap<>();
    connection.run(what, () -> memories.find(partitionFilter(partition))
        .projection(Projections.include(MEMORY_ID, VERSION))
        .forEach(memory -> versions.put(memory.getString(MEMORY_ID).getValue(),
            Documents.version(memory))));
    Map<String, List<HistoryEntry>> histories = new HashMap<>();
    connection.run(what, () -> history.find(partitionFilter(partition))
        .sort(Sorts.ascending(MEMORY_ID, VERSION))
        .forEach(entry -> {
          String memoryId = entry.getString(MEMORY_ID).getValue();
          Integer version = versions.get(memoryId);
          if (version != null && Documents.version(entry) <= version) {
            histories.computeIfAbsent(memoryId, id -> new ArrayList<>())
                .add(Documents.historyEntry(entry));
          }
        }));
    return histories;
  }

  /** The owners of memory documents, deleted ones' (which keep their history) included. */
  @Override
  public List<PartitionKey> historyPartitions(String namespace, @Nullable String after,
      int limit) {
    PartitionSummary.checkPage(namespace, limit);
    // every owner is non-empty, so "" lets every one through
    Bson owners = Filters.and(Filters.eq(NAMESPACE, namespace),
        Filters.gt(USER_ID, after == null ? "" : after));
    return connection.call("listing the partitions with history of namespace " + namespace,
        () -> memories.aggregate(List.of(Aggregates.match(owners),
                Aggregates.group("$" + USER_ID), Aggregates.sort(Sorts.ascending(ID)),
                Aggregates.limit(limit)))
            .map(group -> new PartitionKey(namespace, group.getString(ID).getValue()))
            .into(new ArrayList<>()));
  }

  @Override
  public AccessStore access() {
    return access;
  }

  /**
   * The {@value ChangeLog#COLLECTION} collection, read by change stream or polled as a log (see
   * {@link FeedMode}); every write of this store records its changes there.
   */
  @Override
  public Optional<ChangeFeed> changeFeed() {
    return Optional.ofNullable(feed);
  }

  /** The writer side of the feed, for tests (its crash hook). */
  ChangeLog changeLog() {
    return log;
  }

  /** Runs MongoDB's {@code ping} command. */
  @Override
  public void ping() {
    connection.run("pinging", () -> connection.database()
        .runCommand(new BsonDocument("ping", new BsonInt32(1))));
  }

  @Override
  public String describe() {
    return "MongoDB store, " + connection.location() + ", write concern "
        + describe(connection.writeConcern()) + ", change feed "
        + (feed == null ? "off" : log.mode().value());
  }

  @Override
  public void close() {
    connection.close();
  }

  // ---------------------------------------------------------------- helpers

  static String describe(WriteConcern concern) {
    Object w = concern.getWObject();
    String journal = Boolean.TRUE.equals(concern.getJournal()) ? ", journaled" : "";
    return (w instanceof String ? w : "w" + w) + journal;
  }

  private static Bson partitionFilter(PartitionKey partition) {
    return Filters.and(Filters.eq(NAMESPACE, partition.namespace()),
        Filters.eq(USER_ID, partition.owner()));
  }

  private static Bson liveFilter(PartitionKey partition, String id) {
    return Filters.and(partitionFilter(partition), Filters.eq(MEMORY_ID, id), LIVE);
  }

  /** The version of a live memory, if there is one. */
  private Optional<Integer> liveVersion(PartitionKey partition, String id) {
    BsonDocument document = memories.find(liveFilter(partition, id))
        .projection(Projections.include(VERSION)).first();
    return Optional.ofNullable(document).map(Documents::version);
  }

  private static NotFoundException notFound(String id, PartitionKey partition) {
    return new NotFoundException("memory " + id + " of " + whose(partition) + " does not exist");
  }

  /** "user alice" or "agent bot", for messages. */
  private static String whose(PartitionKey partition) {
    return partition.userId() != null ? "user " + partition.userId()
        : "agent " + partition.agentId();
  }

  /** History entries keyed by partition owner and memory id, in order. */
  private static Map<String, List<HistoryEntry>> entriesById(PartitionKey partition,
      List<HistoryEntry> entries) {
    Map<String, List<HistoryEntry>> byId = new LinkedHashMap<>();
    for (HistoryEntry entry : entries) {
      String owner = PartitionKey.of(partition.namespace(), entry.userId(), entry.agentId())
          .owner();
      byId.computeIfAbsent(owner + '\n' + entry.memoryId(), key -> new ArrayList<>(1))
          .add(entry);
    }
    return byId;
  }

  private static void requireEntryOf(StoredMemory memory, HistoryEntry entry) {
    if (!entry.memoryId().equals(memory.id()) || !PartitionKey.of(memory.namespace(),
        entry.userId(), entry.agentId()).equals(memory.partition())) {
      throw new IllegalArgumentException("history entry of memory " + entry.memoryId()
          + " given with memory " + memory.id());
    }
  }

  private static BsonDocument tombstoneUnset() {
    BsonDocument unset = new BsonDocument();
    Documents.LIVE_FIELDS.forEach(field -> unset.append(field, new BsonString("")));
    return unset;
  }

  /**
   * Opens a {@link MongoMemoryStore}: from a {@linkplain #uri connection string} (the store owns
   * and closes its client) or an existing {@linkplain #client client} (which the store leaves
   * open). Not thread-safe; use once.
   */
  public static final class Builder {
    private @Nullable ConnectionString uri;
    private @Nullable MongoClient client;
    private @Nullable String database;
    private WriteConcern writeConcern = MongoStoreSettings.DEFAULT_WRITE_CONCERN;
    private FeedMode feedMode = FeedMode.AUTO;
    private Duration retention = ChangeFeedSettings.RETENTION.defaultValue().orElseThrow();
    private Duration pendingTimeout =
        ChangeFeedSettings.PENDING_TIMEOUT.defaultValue().orElseThrow();
    private @Nullable ClusterType topology;
    private boolean recording = true;
    private boolean recordEvents;

    private Builder() {}

    /**
     * The connection string, such as {@code mongodb://host1,host2/inmemory?replicaSet=rs0}; its
     * database, if any, is used unless {@link #database} is set. Its {@code w}/{@code journal}
     * options are ignored: see {@link #writeConcern}.
     *
     * @throws IllegalArgumentException when it is not a MongoDB connection string (the message
     *     never repeats the credentials)
     */
    public Builder uri(String uri) {
      this.uri = ConnectionStrings.parse(Objects.requireNonNull(uri, "uri"));
      return this;
    }

    /** A connection string parsed already (settings hold one), so that it is not parsed again. */
    Builder uri(ConnectionString uri) {
      this.uri = Objects.requireNonNull(uri, "uri");
      return this;
    }

    /** An existing client, which the store uses and does not close. */
    public Builder client(MongoClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** The database; default: the URI's, else {@value MongoStoreSettings#DEFAULT_DATABASE}. */
    public Builder database(String database) {
      this.database = Objects.requireNonNull(database, "database");
      return this;
    }

    /**
     * The write concern; default {@link MongoStoreSettings#DEFAULT_WRITE_CONCERN}. Anything weaker
     * than majority
     * and journaled weakens the durability contract (see the class documentation).
     */
    public Builder writeConcern(WriteConcern writeConcern) {
      this.writeConcern = Objects.requireNonNull(writeConcern, "writeConcern");
      return this;
    }

    /**
     * The change feed: its mode ({@value FeedMode#KEY_NAME}), how long its records are kept and
     * how long readers wait for a pending one; default auto and the defaults of
     * {@link ChangeFeedSettings}.
     */
    Builder changeFeed(FeedMode mode, Duration retention, Duration pendingTimeout) {
      this.feedMode = Objects.requireNonNull(mode, "mode");
      this.retention = Objects.requireNonNull(retention, "retention");
      this.pendingTimeout = Objects.requireNonNull(pendingTimeout, "pendingTimeout");
      return this;
    }

    /**
     * Whether memory writes are recorded as pending webhook events, marked on their history
     * entries (see {@link io.inmemory.engine.spi.EventSettings#RECORD}); default false.
     */
    public Builder recordEvents(boolean record) {
      this.recordEvents = record;
      return this;
    }

    /**
     * For tests: the deployment taken as found, instead of the driver's view (the stand-in with
     * an oplog serves change streams but calls itself standalone).
     */
    Builder topology(ClusterType topology) {
      this.topology = Objects.requireNonNull(topology, "topology");
      return this;
    }

    /**
     * For measuring what the feed costs: {@code false} records no changes (other processes
     * never learn of this one's writes) and {@link #changeFeed()} is empty.
     */
    Builder recording(boolean recording) {
      this.recording = recording;
      return this;
    }

    /**
     * Connects, checks the schema version, creates missing collections and indexes, and
     * settles the change feed's mode (see {@link FeedMode}).
     *
     * @throws IllegalStateException when neither or both of a URI and a client were given
     * @throws StorageException when MongoDB cannot be reached (within the server selection
     *     timeout), holds a newer schema version, has no change streams while
     *     {@value FeedMode#KEY_NAME} demands them, or other processes use another feed mode
     */
    public MongoMemoryStore open() {
      if ((uri == null) == (client == null)) {
        throw new IllegalStateException("give the builder either a uri or a client");
      }
      String name = database != null ? database
          : uri != null ? MongoStoreSettings.databaseOf(uri) : MongoStoreSettings.DEFAULT_DATABASE;
      Connection connection = client != null
          ? new Connection(client, false, name, writeConcern)
          : new Connection(MongoClients.create(settings(uri)), true, name, writeConcern);
      ChangeLog log;
      try {
        Schema.prepare(connection);
        FeedMode mode = feedMode.resolve(topology != null ? topology : connection.clusterType(),
            connection.location());
        Schema.prepareFeed(connection, mode, retention);
        log = new ChangeLog(connection, mode, UUID.randomUUID().toString(), pendingTimeout,
            retention, recording);
      } catch (RuntimeException e) {
        connection.close();
        throw e;
      }
      return new MongoMemoryStore(connection, log, recording, recordEvents, pendingTimeout);
    }

    private static MongoClientSettings settings(ConnectionString uri) {
      MongoClientSettings.Builder settings = MongoClientSettings.builder()
          .applyConnectionString(uri);
      if (uri.getApplicationName() == null) {
        settings.applicationName("inmemory-java");
      }
      if (uri.getServerSelectionTimeout() == null) {
        settings.applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(
            DEFAULT_SERVER_SELECTION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
      }
      return settings.build();
    }
  }
}

package io.inmemory.store.mongo;

import static io.inmemory.store.mongo.Documents.DELETED;
import static io.inmemory.store.mongo.Documents.EMBEDDER_ID;
import static io.inmemory.store.mongo.Documents.EMBEDDING;
import static io.inmemory.store.mongo.Documents.HISTORY;
import static io.inmemory.store.mongo.Documents.INSERTED_BY;
import static io.inmemory.store.mongo.Documents.MEMORY_ID;
import static io.inmemory.store.mongo.Documents.NAMESPACE;
import static io.inmemory.store.mongo.Documents.USER_ID;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.result.UpdateResult;
import io.inmemory.ConflictException;
import io.inmemory.HistoryEntry;
import io.inmemory.NotFoundException;
import io.inmemory.StorageException;
import io.inmemory.engine.spi.AccessStore;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.bson.BSONException;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MongoDB store, named {@code mongo}: one document per memory in the {@code memories}
 * collection holding the record, its embedding (float32 little-endian binary), the embedder id and
 * the memory's history; projects and API keys in their own collections (see
 * {@link #access()}). The module README describes documents, indexes and the shard key
 * ({@code namespace} + {@code userId}).
 *
 * <p><b>Durability.</b> Writes use write concern {@code majority} with journaling by default:
 * when {@link #insert}, {@link #replace}, {@link #replaceEmbeddings} or {@link #delete} returns,
 * the change is in the on-disk journal of a majority of the replica set's members, so it survives
 * a crash ({@code kill -9}) of this process and of any minority of members, and a failover. On a
 * standalone {@code mongod} "majority" is that one server's journal. A weaker write concern is
 * opt-in ({@link Builder#writeConcern}).
 *
 * <p><b>Atomicity without transactions.</b> A memory and its history live in one document, so a
 * change and its history entry are one atomic single-document write, and a delete keeps the
 * document as a tombstone (record and embedding removed, history kept) so history outlives the
 * memory. Calls that touch several memories cannot be atomic across documents:
 * <ul>
 *   <li>{@link #insert} checks for conflicts first, inserts in order, and when a write fails
 *       removes what this call inserted (each document carries the call's token), so the caller
 *       sees all or nothing; only a crash of this process in the middle of a batch leaves a
 *       prefix of it, each memory complete with its history.</li>
 *   <li>{@link #delete} and {@link #replaceEmbeddings} are idempotent per memory: after a failure
 *       some memories may be changed and others not, each consistently; calling again finishes
 *       the job (the engine re-embeds any memory whose embedder id is stale).</li>
 * </ul>
 * Ids of deleted memories are not reused: inserting an id that has a tombstone is a conflict.
 *
 * <p>Thread-safe (the driver's client is). Calls after {@link #close()} throw
 * {@link IllegalStateException}; driver failures are {@link StorageException}s naming the
 * database and hosts, never credentials.
 */
public final class MongoMemoryStore implements MemoryStore {
  /** The database used when neither the builder nor the URI names one. */
  public static final String DEFAULT_DATABASE = "inmemory";
  /** The default write concern: acknowledged by a majority, journaled. */
  public static final WriteConcern DEFAULT_WRITE_CONCERN = WriteConcern.MAJORITY.withJournal(true);
  /** How long the driver looks for a server when the URI sets no serverSelectionTimeoutMS. */
  public static final Duration DEFAULT_SERVER_SELECTION_TIMEOUT = Duration.ofSeconds(10);

  private static final Logger LOG = LoggerFactory.getLogger(MongoMemoryStore.class);
  private static final Bson LIVE = Filters.eq(DELETED, false);
  private static final BsonDocument TOMBSTONE_UNSET = tombstoneUnset();

  private final Connection connection;
  private final MongoCollection<BsonDocument> memories;
  private final MongoAccessStore access;

  private MongoMemoryStore(Connection connection) {
    this.connection = connection;
    this.memories = connection.collection(Schema.MEMORIES);
    this.access = new MongoAccessStore(connection);
    LOG.info("Opened {}", describe());
  }

  /** A builder; give it a {@linkplain Builder#uri URI} or a {@linkplain Builder#client client}. */
  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- memories

  @Override
  public void insert(List<StoredMemory> batch, List<HistoryEntry> entries) {
    connection.ensureOpen();
    if (batch.isEmpty()) {
      return;
    }
    Map<PartitionKey, List<String>> idsByPartition = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    for (StoredMemory memory : batch) {
      if (!seen.add(memory.namespace() + '\n' + memory.memory().userId() + '\n' + memory.id())) {
        throw new ConflictException("memory " + memory.id() + " appears twice in one insert");
      }
      idsByPartition.computeIfAbsent(memory.partition(), key -> new ArrayList<>())
          .add(memory.id());
    }
    Map<String, List<HistoryEntry>> history = entriesById(entries);
    Set<String> owners = new HashSet<>();
    batch.forEach(memory -> owners.add(memory.memory().userId() + '\n' + memory.id()));
    if (!owners.containsAll(history.keySet())) {
      throw new IllegalArgumentException("history entries given for memories not in the insert");
    }
    idsByPartition.forEach(this::requireNoneExists);
    String token = UUID.randomUUID().toString();
    List<BsonDocument> documents = new ArrayList<>(batch.size());
    for (StoredMemory memory : batch) {
      documents.add(Documents.newMemory(memory,
          history.getOrDefault(memory.memory().userId() + '\n' + memory.id(), List.of()), token));
    }
    try {
      memories.insertMany(documents, new InsertManyOptions().ordered(true));
    } catch (MongoException | BSONException e) {
      undoInsert(idsByPartition, token, e);
      if (Connection.isDuplicateKey(e)) {
        throw new ConflictException("a memory of this insert was added concurrently; nothing of"
            + " the insert is stored");
      }
      throw connection.failure("inserting " + batch.size() + " memories", e);
    }
  }

  private void requireNoneExists(PartitionKey partition, List<String> ids) {
    BsonDocument existing = connection.call("checking memory ids", () -> memories
        .find(Filters.and(partitionFilter(partition), Filters.in(MEMORY_ID, ids)))
        .projection(Projections.include(MEMORY_ID, DELETED)).first());
    if (existing != null) {
      String id = existing.getString(MEMORY_ID).getValue();
      throw new ConflictException(existing.getBoolean(DELETED).getValue()
          ? "memory " + id + " of user " + partition.userId() + " was deleted; the ids of deleted"
              + " memories are not reused (their history stays under them)"
          : "memory " + id + " of user " + partition.userId() + " already exists");
    }
  }

  /** Removes what one failed insert call stored: its documents carry its token. */
  private void undoInsert(Map<PartitionKey, List<String>> idsByPartition, String token,
      RuntimeException cause) {
    try {
      idsByPartition.forEach((partition, ids) -> memories.deleteMany(Filters.and(
          partitionFilter(partition), Filters.in(MEMORY_ID, ids), Filters.eq(INSERTED_BY, token))));
    } catch (MongoException undoFailure) {
      cause.addSuppressed(undoFailure);
      throw new StorageException("Inserting memories into MongoDB " + connection.location()
          + " failed, and so did removing the part already written, so some memories of the"
          + " batch (each complete with its history) may be stored. Check the connection; their"
          + " documents carry " + INSERTED_BY + ": " + token + ".", cause);
    }
  }

  @Override
  public void replace(StoredMemory memory, HistoryEntry entry) {
    requireEntryOf(memory, entry);
    BsonDocument update = new BsonDocument("$set", Documents.liveFields(memory))
        .append("$push", new BsonDocument(HISTORY, Documents.historyEntry(entry)));
    UpdateResult result = connection.call("replacing memory " + memory.id(),
        () -> memories.updateOne(liveFilter(memory.partition(), memory.id()), update));
    if (result.getMatchedCount() == 0) {
      throw new NotFoundException("memory " + memory.id() + " of user " + memory.memory().userId()
          + " does not exist");
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
            new BsonDocument("$set", new BsonDocument(EMBEDDING,
                Documents.embedding(memory.embedding()))
                .append(EMBEDDER_ID, new BsonString(memory.embedderId())))))
        .toList();
    connection.run("replacing " + batch.size() + " embeddings",
        () -> memories.bulkWrite(updates, new BulkWriteOptions().ordered(false)));
  }

  @Override
  public int delete(PartitionKey partition, List<String> ids, List<HistoryEntry> entries) {
    connection.ensureOpen();
    Map<String, List<HistoryEntry>> history = entriesById(entries);
    List<UpdateOneModel<BsonDocument>> updates = new ArrayList<>();
    for (String id : new LinkedHashSet<>(ids)) {
      BsonArray deletions = Documents.historyArray(
          history.getOrDefault(partition.userId() + '\n' + id, List.of()));
      updates.add(new UpdateOneModel<>(liveFilter(partition, id),
          new BsonDocument("$set", new BsonDocument(DELETED, BsonBoolean.TRUE))
              .append("$unset", TOMBSTONE_UNSET)
              .append("$push", new BsonDocument(HISTORY, new BsonDocument("$each", deletions)))));
    }
    if (updates.isEmpty()) {
      return 0;
    }
    return connection.call("deleting " + updates.size() + " memories of user "
        + partition.userId(), () -> memories.bulkWrite(updates,
            new BulkWriteOptions().ordered(false)).getMatchedCount());
  }

  @Override
  public List<StoredMemory> load(PartitionKey partition) {
    return connection.call("loading the memories of user " + partition.userId(), () -> memories
        .find(Filters.and(partitionFilter(partition), LIVE))
        .projection(Projections.exclude(HISTORY, INSERTED_BY, "_id"))
        .map(Documents::memory)
        .into(new ArrayList<>()));
  }

  @Override
  public List<HistoryEntry> history(PartitionKey partition, String memoryId) {
    BsonDocument document = connection.call("reading the history of memory " + memoryId,
        () -> memories.find(Filters.and(partitionFilter(partition), Filters.eq(MEMORY_ID, memoryId)))
            .projection(Projections.include(HISTORY)).first());
    return document == null ? List.of()
        : Documents.history(document, partition.userId(), memoryId);
  }

  @Override
  public AccessStore access() {
    return access;
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
        + describe(connection.writeConcern());
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
        Filters.eq(USER_ID, partition.userId()));
  }

  private static Bson liveFilter(PartitionKey partition, String id) {
    return Filters.and(partitionFilter(partition), Filters.eq(MEMORY_ID, id), LIVE);
  }

  /** History entries keyed by user and memory id, in order. */
  private static Map<String, List<HistoryEntry>> entriesById(List<HistoryEntry> entries) {
    Map<String, List<HistoryEntry>> byId = new LinkedHashMap<>();
    for (HistoryEntry entry : entries) {
      byId.computeIfAbsent(entry.userId() + '\n' + entry.memoryId(), key -> new ArrayList<>(1))
          .add(entry);
    }
    return byId;
  }

  private static void requireEntryOf(StoredMemory memory, HistoryEntry entry) {
    if (!entry.memoryId().equals(memory.id())
        || !entry.userId().equals(memory.memory().userId())) {
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
    private ConnectionString uri;
    private MongoClient client;
    private String database;
    private WriteConcern writeConcern = DEFAULT_WRITE_CONCERN;

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

    /** An existing client, which the store uses and does not close. */
    public Builder client(MongoClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** The database; default: the URI's, else {@value #DEFAULT_DATABASE}. */
    public Builder database(String database) {
      this.database = Objects.requireNonNull(database, "database");
      return this;
    }

    /**
     * The write concern; default {@link #DEFAULT_WRITE_CONCERN}. Anything weaker than majority
     * and journaled weakens the durability contract (see the class documentation).
     */
    public Builder writeConcern(WriteConcern writeConcern) {
      this.writeConcern = Objects.requireNonNull(writeConcern, "writeConcern");
      return this;
    }

    /**
     * Connects, checks the schema version and creates missing collections and indexes.
     *
     * @throws IllegalStateException when neither or both of a URI and a client were given
     * @throws StorageException when MongoDB cannot be reached (within the server selection
     *     timeout) or holds a newer schema version
     */
    public MongoMemoryStore open() {
      if ((uri == null) == (client == null)) {
        throw new IllegalStateException("give the builder either a uri or a client");
      }
      String name = database != null ? database
          : uri != null && uri.getDatabase() != null ? uri.getDatabase() : DEFAULT_DATABASE;
      Connection connection = client != null
          ? new Connection(client, false, name, writeConcern)
          : new Connection(MongoClients.create(settings(uri)), true, name, writeConcern);
      try {
        Schema.prepare(connection);
      } catch (RuntimeException e) {
        connection.close();
        throw e;
      }
      return new MongoMemoryStore(connection);
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

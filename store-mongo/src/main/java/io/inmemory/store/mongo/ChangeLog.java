package io.inmemory.store.mongo;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.ReadConcern;
import com.mongodb.ReadPreference;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.inmemory.engine.spi.Change;
import io.inmemory.engine.spi.ChangeKind;
import io.inmemory.engine.spi.PartitionKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer side of the mongo store's change feed: the records of the {@value #COLLECTION}
 * collection, {@code {_id, ns, owner, kind, ids?, process, token, state, at}}, one per partition a
 * write touches. MongoDB has no transactions here, so a write {@linkplain #announce announces}
 * its records as {@value #PENDING} before it writes any memory, and settles them {@value #DONE}
 * after (also when it undid what it had written, which other processes may have read), or
 * {@value #ABORTED} when it changed nothing. A writer killed in between leaves its record
 * pending; readers apply it after the pending timeout by re-reading the stored state, which is
 * right whether or not its write landed.
 *
 * <p>In {@link FeedMode#LOG} mode the {@code _id} is a gap-free {@code long}, allocated by the
 * insert itself: this process tries the number after the last it knows, and on a duplicate key
 * reads the newest record and tries again. A record is thus inserted only after the one before it
 * exists, so on one node they become visible in order and a hole means trimming. In
 * {@link FeedMode#CHANGE_STREAM} mode the {@code _id} is an ObjectId and the stream orders them.
 *
 * <p>Thread-safe: log-mode inserts of one process are serialized (so that its own records never
 * overtake each other), change-stream inserts are not.
 */
final class ChangeLog {
  /** The collection of the records. */
  static final String COLLECTION = "changes";
  static final String NS = "ns";
  static final String OWNER = "owner";
  static final String KIND = "kind";
  static final String IDS = "ids";
  static final String PROCESS = "process";
  static final String TOKEN = "token";
  static final String STATE = "state";
  static final String AT = "at";
  static final String PENDING = "pending";
  static final String DONE = "done";
  static final String ABORTED = "aborted";

  private static final Logger LOG = LoggerFactory.getLogger(ChangeLog.class);
  /** Duplicate keys a log-mode insert accepts before giving up (each means another writer won). */
  private static final int MAX_ALLOCATION_ATTEMPTS = 10_000;

  private final Connection connection;
  private final MongoCollection<BsonDocument> changes;
  private final FeedMode mode;
  private final String processId;
  private final Duration pendingTimeout;
  private final Duration retention;
  private final boolean recording;
  private final Object allocation = new Object();
  /** The newest log-mode {@code _id} this process knows of; -1 when it must be read. */
  private long last = -1;
  /** Test hook: the process "dies" after its memory writes, leaving its records pending. */
  volatile boolean crashBeforeSettling;

  /**
   * @param recording false only to measure what the feed costs: then writes announce nothing
   *     and other processes never learn of them
   */
  ChangeLog(Connection connection, FeedMode mode, String processId, Duration pendingTimeout,
      Duration retention, boolean recording) {
    this.recording = recording;
    this.connection = connection;
    // feed reads must see what a majority acknowledged, whatever the URI's read preference
    this.changes = connection.collection(COLLECTION)
        .withReadPreference(ReadPreference.primary()).withReadConcern(ReadConcern.MAJORITY);
    this.mode = mode;
    this.processId = processId;
    this.pendingTimeout = pendingTimeout;
    this.retention = retention;
  }

  FeedMode mode() {
    return mode;
  }

  String processId() {
    return processId;
  }

  Duration pendingTimeout() {
    return pendingTimeout;
  }

  MongoCollection<BsonDocument> collection() {
    return changes;
  }

  Connection connection() {
    return connection;
  }

  /**
   * Inserts one {@value #PENDING} record per partition of {@code idsByPartition} (the ids each
   * write touches there), before the write.
   *
   * @param token the write's {@code change} token, also on the memory documents it writes
   * @throws io.inmemory.StorageException when they cannot be inserted; then nothing is written
   */
  Announcement announce(ChangeKind kind, Map<PartitionKey, List<String>> idsByPartition,
      String token) {
    if (!recording) {
      return new Announcement(List.of());
    }
    List<BsonDocument> records = records(kind, idsByPartition, token, PENDING);
    connection.run("announcing a change in '" + COLLECTION + "'", () -> insert(records));
    return new Announcement(records);
  }

  private List<BsonDocument> records(ChangeKind kind,
      Map<PartitionKey, List<String>> idsByPartition, String token, String state) {
    BsonDateTime at = new BsonDateTime(System.currentTimeMillis());
    List<BsonDocument> records = new ArrayList<>(idsByPartition.size());
    idsByPartition.forEach((partition, ids) -> {
      BsonDocument record = new BsonDocument(NS, new BsonString(partition.namespace()))
          .append(OWNER, new BsonString(partition.owner()))
          .append(KIND, new BsonString(kind.name()));
      List<String> named = Change.idsOf(ids);
      if (named != null) {
        BsonArray array = new BsonArray(named.size());
        named.forEach(id -> array.add(new BsonString(id)));
        record.append(IDS, array);
      }
      records.add(record.append(PROCESS, new BsonString(processId))
          .append(TOKEN, new BsonString(token))
          .append(STATE, new BsonString(state))
          .append(AT, at));
    });
    return records;
  }

  private void insert(List<BsonDocument> records) {
    if (mode == FeedMode.CHANGE_STREAM) {
      records.forEach(record -> record.put("_id", new BsonObjectId()));
      changes.insertMany(records);
      return;
    }
    synchronized (allocation) {
      int inserted = 0;
      for (int attempt = 1; ; attempt++) {
        if (last < 0) {
          last = head();
        }
        List<BsonDocument> rest = records.subList(inserted, records.size());
        for (int i = 0; i < rest.size(); i++) {
          rest.get(i).put("_id", new BsonInt64(last + 1 + i));
        }
        try {
          changes.insertMany(rest, new InsertManyOptions().ordered(true));
          last += rest.size();
          return;
        } catch (MongoBulkWriteException e) {
          if (!Connection.isDuplicateKey(e) || attempt >= MAX_ALLOCATION_ATTEMPTS) {
            last = -1;
            throw e;
          }
          // another process took the number: the ones before it (ordered) are in, and the
          // newest is read again (the index, as the stand-in's inserted count includes failures)
          inserted += e.getWriteErrors().stream().mapToInt(error -> error.getIndex()).min()
              .orElse(0);
          last = -1;
        }
      }
    }
  }

  /** The newest log-mode {@code _id}, 0 when the log is empty. */
  long head() {
    BsonDocument newest = changes.find().sort(Sorts.descending("_id"))
        .projection(Projections.include("_id")).limit(1).first();
    return newest == null ? 0 : newest.getNumber("_id").longValue();
  }

  /**
   * Log mode: deletes the records older than the retention, except the newest (allocation reads
   * it). Change-stream mode: nothing, the TTL index on {@value #AT} does it.
   */
  void trim() {
    if (mode != FeedMode.LOG) {
      return;
    }
    connection.run("trimming '" + COLLECTION + "'", () -> changes.deleteMany(Filters.and(
        Filters.lt(AT, new BsonDateTime(System.currentTimeMillis() - retention.toMillis())),
        Filters.lt("_id", head()))));
  }

  /** The change a settled {@code record} describes, at {@code position}. */
  static Change change(BsonDocument record, String position) {
    List<String> ids = null;
    if (record.containsKey(IDS)) {
      ids = record.getArray(IDS).stream().map(id -> id.asString().getValue()).toList();
    }
    return new Change(position, new PartitionKey(record.getString(NS).getValue(),
        record.getString(OWNER).getValue()), ChangeKind.valueOf(record.getString(KIND).getValue()),
        ids, record.getString(PROCESS).getValue(),
        Instant.ofEpochMilli(record.getDateTime(AT).getValue()));
  }

  /** A record's {@code _id} as text: the log-mode number, or the ObjectId's hex digits. */
  static String idText(BsonValue id) {
    return id.isObjectId() ? id.asObjectId().getValue().toHexString()
        : Long.toString(id.asNumber().longValue());
  }

  /** "process p's INSERT change 12 of user ann", for logs. */
  static String describe(BsonDocument record) {
    return "process " + record.getString(PROCESS).getValue() + "'s "
        + record.getString(KIND).getValue() + " change " + idText(record.get("_id")) + " of "
        + new PartitionKey(record.getString(NS).getValue(), record.getString(OWNER).getValue())
            .ownerDescription();
  }

  /**
   * The pending records of one write. {@link #done()} after the write, {@link #undone()} after
   * undoing it, {@link #abort()} when it changed nothing; closed with none of these (the write
   * threw, its outcome unknown), the records stay pending and readers apply them after the
   * pending timeout, as for a writer that died. Not thread-safe.
   */
  final class Announcement implements AutoCloseable {
    private final List<BsonDocument> records;
    private final long started = System.nanoTime();
    private boolean settled;

    private Announcement(List<BsonDocument> records) {
      this.records = records;
    }

    /**
     * The write landed. When it took more than half the pending timeout, readers may have applied
     * the pending records before it landed, so the change is announced again, settled.
     */
    void done() {
      settle(DONE);
      if (System.nanoTime() - started > pendingTimeout.toNanos() / 2 && !crashBeforeSettling
          && !records.isEmpty()) {
        List<BsonDocument> again = new ArrayList<>(records.size());
        records.forEach(record -> {
          BsonDocument copy = record.clone();
          copy.remove("_id");
          copy.put(STATE, new BsonString(DONE));
          copy.put(AT, new BsonDateTime(System.currentTimeMillis()));
          again.add(copy);
        });
        try {
          insert(again);
        } catch (MongoException e) {
          LOG.warn("A write took longer than half the pending timeout ({}), and announcing it"
              + " again failed: replicas may keep what it changed until they reload: {}",
              pendingTimeout, e.toString());
        }
      }
    }

    /** The write changed nothing anyone could read: readers skip the records. */
    void abort() {
      settle(ABORTED);
    }

    /**
     * The write was undone after some of it was stored: it stored nothing, but another process
     * may have loaded what was there for a moment, so readers re-read the named memories (and
     * find them as before the write) as for a write that landed.
     */
    void undone() {
      settle(DONE);
    }

    private void settle(String state) {
      if (settled) {
        return;
      }
      settled = true;
      if (crashBeforeSettling || records.isEmpty()) {
        return;
      }
      List<BsonValue> ids = records.stream().map(record -> record.get("_id")).toList();
      try {
        changes.updateMany(Filters.in("_id", ids), Updates.set(STATE, state));
      } catch (MongoException e) {
        // the write itself is over; the records stay pending and readers apply them after
        // the pending timeout, which is right either way
        LOG.warn("Settling changes {} as {} in MongoDB {} failed; readers will apply them after"
            + " the pending timeout ({}): {}", ids, state, connection.location(), pendingTimeout,
            e.toString());
      }
    }

    @Override
    public void close() {
      settled = true;
    }
  }
}

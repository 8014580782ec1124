package io.inmemory.store.mongo;

import static io.inmemory.store.mongo.Documents.CREATED_AT;
import static io.inmemory.store.mongo.Documents.DELETED;
import static io.inmemory.store.mongo.Documents.EXPIRES_AT;
import static io.inmemory.store.mongo.Documents.HASH;
import static io.inmemory.store.mongo.Documents.MEMORY_ID;
import static io.inmemory.store.mongo.Documents.NAMESPACE;
import static io.inmemory.store.mongo.Documents.PEOPLE;
import static io.inmemory.store.mongo.Documents.PROJECT_ID;
import static io.inmemory.store.mongo.Documents.TAGS;
import static io.inmemory.store.mongo.Documents.USER_ID;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.inmemory.HistoryEntry;
import io.inmemory.StorageException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collections and indexes of a store's database, and its schema version, kept in the
 * {@value #META} collection as {@code {_id: "schema", version: N}}. Opening a database of a newer
 * version is refused; an older one is migrated. Everything here is idempotent, so stores opening
 * the same database concurrently agree, and a migration interrupted by a crash is finished by the
 * next open.
 *
 * <p>Versions: 1 kept each memory's history in an array inside its document (bounded by the
 * 16 MB document limit); 2 keeps one document per entry in {@value #HISTORY}, and a
 * {@code version} on each memory document; 3 (issue 13) adds optional fields (a memory's
 * {@code agentId}, {@code sessionId}, {@code role}, {@code validFrom}, {@code invalidAt},
 * {@code supersededBy}, an entry's {@code agentId} and {@code relatedId}; absent means none,
 * {@code validFrom} = {@code createdAt}) and agents' own partitions ({@code userId} holds the
 * partition owner, {@code ~agent} for those), so migrating from 2 writes only the version.
 * The {@value #IDEMPOTENCY} collection (issue 15) needs no new version: it and its TTL index are
 * created like every index, and older code never reads it. 4 (issue 15) records every write in
 * the {@value ChangeLog#COLLECTION} collection (see {@link ChangeLog}), and the feed's mode in
 * {@code {_id: "feed", mode}}; memories are untouched, so migrating from 3 writes only the version
 * (but a schema-3 process still running would write without records: upgrades restart every
 * process).
 */
final class Schema {
  /** The version this library writes and reads. */
  static final int VERSION = 4;

  static final String MEMORIES = "memories";
  static final String HISTORY = "history";
  static final String PROJECTS = "projects";
  static final String API_KEYS = "api_keys";
  static final String IDEMPOTENCY = "idempotency";
  static final String META = "inmemory_meta";
  static final String WEBHOOKS = "webhooks";
  static final String WEBHOOK_DELIVERIES = "webhook_deliveries";
  static final String SCHEMA_ID = "schema";
  static final String FEED_ID = "feed";
  static final String MODE_FIELD = "mode";
  static final String VERSION_FIELD = "version";
  /** The {@code change} token of what the migration writes. */
  static final String MIGRATION_TOKEN = "migration-to-schema-2";

  private static final String CHANGES_TTL = "changes_ttl";
  /** The index exists with other options (another retention). */
  private static final int INDEX_OPTIONS_CONFLICT = 85;
  private static final Logger LOG = LoggerFactory.getLogger(Schema.class);

  private Schema() {}

  /**
   * Checks the version, creates missing indexes, migrates an older version, then records the
   * version (only after the migration completed, so a crash leaves the old version to migrate
   * again).
   *
   * @throws StorageException when the database holds a newer version, or cannot be reached
   */
  static void prepare(Connection connection) {
    int found = connection.call("reading the schema version", () -> {
      BsonDocument meta = connection.collection(META).find(Filters.eq("_id", SCHEMA_ID)).first();
      return meta == null ? 0 : meta.getNumber(VERSION_FIELD).intValue();
    });
    if (found > VERSION) {
      throw new StorageException("The MongoDB " + connection.location() + " holds InMemory schema"
          + " version " + found + ", newer than version " + VERSION + " that this version of"
          + " inmemory-store-mongo understands. Upgrade inmemory-store-mongo, or set "
          + MongoStoreSettings.DATABASE.name() + " to another database.");
    }
    connection.run("creating indexes", () -> createIndexes(connection));
    if (found < VERSION) {
      if (found < 2) {
        connection.run("moving embedded history into the '" + HISTORY + "' collection (schema"
            + " version " + found + " to 2)", () -> migrateEmbeddedHistory(connection));
      }
      // $max: versions only grow, so a concurrent newer store's version is kept.
      connection.run("recording the schema version", () -> connection.collection(META).updateOne(
          Filters.eq("_id", SCHEMA_ID), Updates.max(VERSION_FIELD, VERSION),
          new UpdateOptions().upsert(true)));
    }
  }

  /**
   * Records the change feed's {@code mode} in the database if no process did before, refuses a
   * database another process records another mode for (its records would be invisible to this
   * process's readers, and this one's to its), and creates the {@value ChangeLog#COLLECTION}
   * collection's index on {@code at}: in change-stream mode a TTL index, so MongoDB itself deletes
   * records after {@code retention} (a process opening with another retention sets its own).
   *
   * @throws StorageException when the modes differ, or MongoDB cannot be reached
   */
  static void prepareFeed(Connection connection, FeedMode mode, Duration retention) {
    MongoCollection<BsonDocument> meta = connection.collection(META);
    String recorded = connection.call("recording the change feed's mode", () -> {
      try {
        meta.updateOne(Filters.eq("_id", FEED_ID), Updates.setOnInsert(MODE_FIELD, mode.value()),
            new UpdateOptions().upsert(true));
      } catch (MongoException e) {
        if (!Connection.isDuplicateKey(e)) { // else another process inserted it meanwhile
          throw e;
        }
      }
      return meta.find(Filters.eq("_id", FEED_ID)).first().getString(MODE_FIELD).getValue();
    });
    if (!recorded.equals(mode.value())) {
      throw new StorageException("The MongoDB " + connection.location() + " is shared through"
          + " a change feed in " + recorded + " mode, but this process resolved "
          + FeedMode.KEY_NAME + " to " + mode.value() + ": every process sharing a database must"
          + " use the same mode (set " + FeedMode.KEY_NAME + "=" + recorded + ").");
    }
    MongoCollection<BsonDocument> changes = connection.collection(ChangeLog.COLLECTION);
    connection.run("creating the index of '" + ChangeLog.COLLECTION + "'", () -> {
      if (mode == FeedMode.LOG) {
        changes.createIndex(Indexes.ascending(ChangeLog.AT), new IndexOptions().name("changes_at"));
        return;
      }
      try {
        changes.createIndex(Indexes.ascending(ChangeLog.AT), new IndexOptions().name(CHANGES_TTL)
            .expireAfter(retention.toSeconds(), TimeUnit.SECONDS));
      } catch (MongoCommandException e) {
        if (e.getCode() != INDEX_OPTIONS_CONFLICT) {
          throw e;
        }
        LOG.info("Setting the retention of MongoDB {}'s '{}' to {}", connection.location(),
            ChangeLog.COLLECTION, retention);
        connection.database().runCommand(new BsonDocument("collMod",
                new BsonString(ChangeLog.COLLECTION))
            .append("index", new BsonDocument("name", new BsonString(CHANGES_TTL))
                .append("expireAfterSeconds", new BsonInt64(retention.toSeconds()))));
      }
    });
  }

  private static void createIndexes(Connection connection) {
    connection.collection(MEMORIES).createIndexes(List.of(
        new IndexModel(Indexes.ascending(NAMESPACE, USER_ID, MEMORY_ID),
            new IndexOptions().name("memory_id").unique(true)),
        new IndexModel(Indexes.ascending(NAMESPACE, USER_ID, DELETED, CREATED_AT),
            new IndexOptions().name("partition_live_created")),
        new IndexModel(Indexes.ascending(NAMESPACE, USER_ID, TAGS),
            new IndexOptions().name("partition_tags")),
        new IndexModel(Indexes.ascending(NAMESPACE, USER_ID, PEOPLE),
            new IndexOptions().name("partition_people"))));
    connection.collection(HISTORY).createIndex(
        Indexes.ascending(NAMESPACE, USER_ID, MEMORY_ID, Documents.VERSION),
        new IndexOptions().name("history_key").unique(true));
    connection.collection(API_KEYS).createIndexes(List.of(
        new IndexModel(Indexes.ascending(HASH), new IndexOptions().name("key_hash").unique(true)),
        new IndexModel(Indexes.ascending(PROJECT_ID, CREATED_AT),
            new IndexOptions().name("project_keys"))));
    connection.collection(PROJECTS).createIndex(Indexes.ascending(CREATED_AT),
        new IndexOptions().name("projects_created"));
    // issue 16, no new version: pending webhook events (few at a time: sparse), hooks, deliveries
    connection.collection(HISTORY).createIndex(Indexes.ascending(Documents.PENDING_EVENT),
        new IndexOptions().name("history_pending_events").sparse(true));
    connection.collection(WEBHOOKS).createIndex(Indexes.ascending(PROJECT_ID, CREATED_AT),
        new IndexOptions().name("webhooks_project"));
    connection.collection(WEBHOOK_DELIVERIES).createIndexes(List.of(
        new IndexModel(Indexes.ascending(Documents.HOOK, Documents.STATE,
            Documents.SEQ), new IndexOptions().name("deliveries_hook_state")),
        new IndexModel(Indexes.ascending(Documents.HOOK, Documents.SEQ),
            new IndexOptions().name("deliveries_log"))));
    // MongoDB deletes each record once past its expiresAt (its TTL monitor runs every 60 s)
    connection.collection(IDEMPOTENCY).createIndex(
        Indexes.ascending(EXPIRES_AT),
        new IndexOptions().name("idempotency_ttl").expireAfter(0L, TimeUnit.SECONDS));
  }

  /**
   * Schema 1 to 2: writes each embedded entry to {@value #HISTORY} at its position (1-based) by
   * an upsert on the unique key, then, in one conditional update, sets the memory's version to
   * the entry count and removes the array. Re-running after a crash rewrites the same entries of
   * the documents not yet updated, and skips those that were. Documents are read a few at a time:
   * one of them can be close to 16 MB.
   */
  private static void migrateEmbeddedHistory(Connection connection) {
    MongoCollection<BsonDocument> memories = connection.collection(MEMORIES);
    MongoCollection<BsonDocument> history = connection.collection(HISTORY);
    Bson unmigrated = Filters.exists(Documents.EMBEDDED_HISTORY);
    int migrated = 0;
    try (MongoCursor<BsonDocument> cursor = memories.find(unmigrated).batchSize(4).iterator()) {
      while (cursor.hasNext()) {
        BsonDocument memory = cursor.next();
        String namespace = memory.getString(NAMESPACE).getValue();
        List<HistoryEntry> entries = Documents.embeddedHistory(memory);
        List<ReplaceOneModel<BsonDocument>> writes =
            Documents.historyUpserts(namespace, entries, 0, MIGRATION_TOKEN,
                Documents.NOT_PENDING);
        if (!writes.isEmpty()) {
          history.bulkWrite(writes, new BulkWriteOptions().ordered(false));
        }
        memories.updateOne(Filters.and(Filters.eq("_id", memory.get("_id")), unmigrated),
            Updates.combine(Updates.set(Documents.VERSION, entries.size()),
                Updates.unset(Documents.EMBEDDED_HISTORY),
                Updates.unset(Documents.V1_INSERTED_BY)));
        migrated++;
      }
    }
    if (migrated > 0) {
      LOG.info("Moved the history of {} memories of MongoDB {} into the '{}' collection",
          migrated, connection.location(), HISTORY);
    }
  }
}

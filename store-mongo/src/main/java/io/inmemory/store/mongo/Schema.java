package io.inmemory.store.mongo;

import static io.inmemory.store.mongo.Documents.CREATED_AT;
import static io.inmemory.store.mongo.Documents.DELETED;
import static io.inmemory.store.mongo.Documents.HASH;
import static io.inmemory.store.mongo.Documents.MEMORY_ID;
import static io.inmemory.store.mongo.Documents.NAMESPACE;
import static io.inmemory.store.mongo.Documents.PEOPLE;
import static io.inmemory.store.mongo.Documents.PROJECT_ID;
import static io.inmemory.store.mongo.Documents.TAGS;
import static io.inmemory.store.mongo.Documents.USER_ID;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.inmemory.StorageException;
import java.util.List;
import org.bson.BsonDocument;

/**
 * The collections and indexes of a store's database, and its schema version, kept in the
 * {@value #META} collection as {@code {_id: "schema", version: N}}. Opening a database of a newer
 * version is refused; an older one is migrated (nothing to migrate yet). Everything here is
 * idempotent, so stores opening the same database concurrently agree.
 */
final class Schema {
  /** The version this library writes and reads. */
  static final int VERSION = 1;

  static final String MEMORIES = "memories";
  static final String PROJECTS = "projects";
  static final String API_KEYS = "api_keys";
  static final String META = "inmemory_meta";
  static final String SCHEMA_ID = "schema";
  static final String VERSION_FIELD = "version";

  private Schema() {}

  /**
   * Checks the version, creates missing indexes, then records the version.
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
          + MongoStoreProvider.DATABASE.name() + " to another database.");
    }
    connection.run("creating indexes", () -> createIndexes(connection));
    if (found < VERSION) {
      // $max: versions only grow, so a concurrent newer store's version is kept.
      connection.run("recording the schema version", () -> connection.collection(META).updateOne(
          Filters.eq("_id", SCHEMA_ID), Updates.max(VERSION_FIELD, VERSION),
          new UpdateOptions().upsert(true)));
    }
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
    connection.collection(API_KEYS).createIndexes(List.of(
        new IndexModel(Indexes.ascending(HASH), new IndexOptions().name("key_hash").unique(true)),
        new IndexModel(Indexes.ascending(PROJECT_ID, CREATED_AT),
            new IndexOptions().name("project_keys"))));
    connection.collection(PROJECTS).createIndex(Indexes.ascending(CREATED_AT),
        new IndexOptions().name("projects_created"));
  }
}

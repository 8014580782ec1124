package io.inmemory.store.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.inmemory.HistoryEntry;
import io.inmemory.HistoryEntry.Event;
import io.inmemory.MemoryRecord;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Opening a database written in the schema-1 layout (history embedded in memory documents). */
class SchemaMigrationTest {
  private static final Instant T0 = Instant.parse("2024-05-01T10:15:30.123Z");
  private static final PartitionKey ALICE = new PartitionKey("default", "alice");

  private final String database = MongoFixture.newDatabase();
  private final MongoClient client = MongoClients.create(MongoFixture.uri());
  private final MongoDatabase db = client.getDatabase(database);

  @AfterEach
  void closeClient() {
    client.close();
  }

  private static StoredMemory memory(String id, String content, Instant updatedAt) {
    return new StoredMemory("default", new MemoryRecord(id, "alice", content, List.of("work"),
        List.of("Bob"), "planning", Map.of("n", 1L), T0, updatedAt), new float[] {0.6f, 0.8f},
        "e:1");
  }

  private static HistoryEntry entry(String id, Event event, String before, String after,
      int second) {
    return new HistoryEntry(id, "alice", event, before, after, T0.plusSeconds(second));
  }

  /** A memory document exactly as schema 1 wrote it. */
  private static BsonDocument v1Document(StoredMemory memory, boolean deleted,
      List<HistoryEntry> history) {
    BsonArray entries = new BsonArray();
    for (HistoryEntry entry : history) {
      BsonDocument embedded = new BsonDocument("event", new BsonString(entry.event().name()));
      if (entry.previousContent() != null) {
        embedded.append("previousContent", new BsonString(entry.previousContent()));
      }
      if (entry.newContent() != null) {
        embedded.append("newContent", new BsonString(entry.newContent()));
      }
      entries.add(embedded.append("at", new BsonDateTime(entry.at().toEpochMilli())));
    }
    BsonDocument document = new BsonDocument("namespace", new BsonString("default"))
        .append("userId", new BsonString("alice"))
        .append("memoryId", new BsonString(memory.id()))
        .append("deleted", BsonBoolean.valueOf(deleted));
    if (!deleted) {
      document.putAll(Documents.liveFields(memory));
    }
    return document.append("createdAt", new BsonDateTime(T0.toEpochMilli()))
        .append("history", entries)
        .append("insertedBy", new BsonString("token-of-a-v1-insert"));
  }

  @Test
  void embeddedHistoryMovesToItsCollectionAndAReRunChangesNothing() {
    StoredMemory updated = memory("m-updated", "second", T0.plusSeconds(1));
    List<HistoryEntry> updatedHistory = List.of(entry("m-updated", Event.ADD, null, "first", 0),
        entry("m-updated", Event.UPDATE, "first", "second", 1));
    StoredMemory plain = memory("m-plain", "only", T0);
    List<HistoryEntry> plainHistory = List.of(entry("m-plain", Event.ADD, null, "only", 0));
    List<HistoryEntry> deletedHistory = List.of(entry("m-deleted", Event.ADD, null, "gone", 0),
        entry("m-deleted", Event.DELETE, "gone", null, 2));
    MongoCollection<BsonDocument> memories = db.getCollection(Schema.MEMORIES, BsonDocument.class);
    memories.insertMany(List.of(v1Document(updated, false, updatedHistory),
        v1Document(plain, false, plainHistory),
        v1Document(memory("m-deleted", "gone", T0), true, deletedHistory)));
    // A migration that crashed after writing the first entry of one memory, and another that
    // wrote a different (stale) entry at a version: re-running must overwrite both cleanly.
    MongoCollection<BsonDocument> history = db.getCollection(Schema.HISTORY, BsonDocument.class);
    history.insertOne(Documents.historyEntry("default", updatedHistory.get(0), 1,
        Schema.MIGRATION_TOKEN, Documents.NOT_PENDING));
    history.insertOne(Documents.historyEntry("default",
        entry("m-deleted", Event.UPDATE, "x", "stale orphan", 9), 2, "crashed",
        Documents.NOT_PENDING));
    db.getCollection(Schema.META).insertOne(new Document("_id", "schema").append("version", 1));

    try (MongoMemoryStore store = MongoFixture.openStore(database)) {
      assertMigrated(store, updated, updatedHistory, plain, plainHistory, deletedHistory);
    }
    db.getCollection(Schema.META).updateOne(Filters.eq("_id", "schema"),
        Updates.set("version", 1));
    try (MongoMemoryStore store = MongoFixture.openStore(database)) {
      assertMigrated(store, updated, updatedHistory, plain, plainHistory, deletedHistory);
    }
    assertThat(history.countDocuments()).isEqualTo(5);
  }

  private void assertMigrated(MongoMemoryStore store, StoredMemory updated,
      List<HistoryEntry> updatedHistory, StoredMemory plain, List<HistoryEntry> plainHistory,
      List<HistoryEntry> deletedHistory) {
    assertThat(db.getCollection(Schema.META).find(Filters.eq("_id", "schema")).first()
        .get("version")).isEqualTo(Schema.VERSION);
    assertThat(store.load(ALICE)).containsExactlyInAnyOrder(updated, plain);
    assertThat(store.history(ALICE, "m-updated")).isEqualTo(updatedHistory);
    assertThat(store.history(ALICE, "m-plain")).isEqualTo(plainHistory);
    assertThat(store.history(ALICE, "m-deleted")).isEqualTo(deletedHistory);
    List<Document> documents = db.getCollection(Schema.MEMORIES).find()
        .sort(new Document("memoryId", 1)).into(new ArrayList<>());
    assertThat(documents).allSatisfy(document -> assertThat(document)
        .doesNotContainKeys("history", "insertedBy"));
    assertThat(documents).extracting(document -> document.getInteger("version"))
        .containsExactly(2, 1, 2);
  }

  @Test
  void aMigratedMemoryKeepsChangingFromItsVersion() {
    StoredMemory plain = memory("m-plain", "only", T0);
    List<HistoryEntry> plainHistory = List.of(entry("m-plain", Event.ADD, null, "only", 0));
    db.getCollection(Schema.MEMORIES, BsonDocument.class)
        .insertOne(v1Document(plain, false, plainHistory));
    db.getCollection(Schema.META).insertOne(new Document("_id", "schema").append("version", 1));

    try (MongoMemoryStore store = MongoFixture.openStore(database)) {
      StoredMemory next = memory("m-plain", "changed", T0.plusSeconds(3));
      HistoryEntry update = entry("m-plain", Event.UPDATE, "only", "changed", 3);
      store.replace(next, update);
      HistoryEntry deletion = entry("m-plain", Event.DELETE, "changed", null, 4);
      assertThat(store.delete(ALICE, List.of("m-plain"), List.of(deletion))).isEqualTo(1);

      assertThat(store.history(ALICE, "m-plain"))
          .containsExactly(plainHistory.get(0), update, deletion);
      assertThat(store.load(ALICE)).isEmpty();
    }
  }
}

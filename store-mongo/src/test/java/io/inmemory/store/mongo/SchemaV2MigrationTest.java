package io.inmemory.store.mongo;

import static io.inmemory.store.mongo.SchemaV2Fixture.ANN;
import static io.inmemory.store.mongo.SchemaV2Fixture.HISTORY;
import static io.inmemory.store.mongo.SchemaV2Fixture.KEY;
import static io.inmemory.store.mongo.SchemaV2Fixture.MEMORIES;
import static io.inmemory.store.mongo.SchemaV2Fixture.MUNICH;
import static io.inmemory.store.mongo.SchemaV2Fixture.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.inmemory.HistoryEntry;
import io.inmemory.HistoryEntry.Event;
import io.inmemory.MemoryRecord;
import io.inmemory.Role;
import io.inmemory.Scope;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tck.StoreContents;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Opening the schema-2 database that {@link SchemaV2Fixture} wrote with the schema-2 code: the
 * migration writes only the version, the documents read with the new fields' defaults, and take
 * the new fields.
 */
class SchemaV2MigrationTest {
  private final String database = MongoFixture.newDatabase();
  private final MongoClient client = MongoClients.create(MongoFixture.uri());
  private final MongoDatabase db = client.getDatabase(database);

  @BeforeEach
  void loadFixture() throws IOException {
    SchemaV2Fixture.load(db);
  }

  @AfterEach
  void closeClient() {
    client.close();
  }

  /** Every memory, history entry and project of the fixture, read through {@code store}. */
  static void assertFixtureData(MongoMemoryStore store) {
    StoreContents.assertHolds(store, MEMORIES, HISTORY, SchemaV2Fixture::partitionOf);
    assertThat(store.access().projects()).containsExactly(PROJECT);
    assertThat(store.access().keyByHash(KEY.hash())).contains(KEY);
  }

  @Test
  void v2DocumentsReadWithTheNewFieldsDefaultsAndOnlyTheVersionIsWritten() {
    List<BsonDocument> before = db.getCollection(Schema.MEMORIES, BsonDocument.class).find()
        .into(new ArrayList<>());
    try (MongoMemoryStore store = MongoFixture.openStore(database)) {
      assertFixtureData(store);
      assertThat(store.load(ANN)).singleElement().satisfies(memory -> {
        assertThat(memory.memory().validFrom()).isEqualTo(memory.memory().createdAt());
        assertThat(memory.memory().scope()).isEqualTo(Scope.user("ann"));
        assertThat(memory.memory().isCurrent()).isTrue();
      });
    }
    assertThat(db.getCollection(Schema.META).find().first().get(Schema.VERSION_FIELD))
        .isEqualTo(Schema.VERSION);
    assertThat(db.getCollection(Schema.MEMORIES, BsonDocument.class).find()
        .into(new ArrayList<>())).isEqualTo(before);
    try (MongoMemoryStore store = MongoFixture.openStore(database)) {
      assertFixtureData(store);
    }
  }

  /** A replacement sets the new fields a record has and removes those it has not (again). */
  @Test
  void aV2MemoryTakesTheNewFieldsAndGivesThemUp() {
    MemoryRecord old = MUNICH.memory();
    Instant later = old.updatedAt().plusSeconds(30);
    MemoryRecord scoped = new MemoryRecord(old.id(), old.userId(), old.content(), old.tags(),
        old.people(), old.topic(), old.metadata(), old.createdAt(), later, "planner", "s-4",
        Role.ASSISTANT, old.createdAt().minusSeconds(3600), later, "m-next");
    StoredMemory withFields = new StoredMemory(MUNICH.namespace(), scoped, MUNICH.embedding(),
        MUNICH.embedderId());
    HistoryEntry update = new HistoryEntry(old.id(), "ann", Event.UPDATE, old.content(),
        old.content(), later, "planner", null);

    try (MongoMemoryStore store = MongoFixture.openStore(database)) {
      store.replace(withFields, update);
      assertThat(store.load(ANN)).containsExactly(withFields);
      store.replace(MUNICH, update);
    }
    try (MongoMemoryStore store = MongoFixture.openStore(database)) {
      assertThat(store.load(ANN)).containsExactly(MUNICH);
      assertThat(store.history(ANN, old.id())).endsWith(update, update);
    }
    BsonDocument raw = db.getCollection(Schema.MEMORIES, BsonDocument.class)
        .find(Filters.eq(Documents.MEMORY_ID, old.id())).first();
    assertThat(raw).doesNotContainKeys(Documents.OPTIONAL_FIELDS.toArray(String[]::new));
  }
}

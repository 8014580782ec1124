package io.inmemory.store.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import io.inmemory.HistoryEntry;
import io.inmemory.engine.spi.Change;
import io.inmemory.engine.spi.ChangeBatch;
import io.inmemory.engine.spi.ChangeKind;
import io.inmemory.engine.spi.ChangeReader;
import io.inmemory.engine.spi.StoredMemory;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Opening the schema-3 database that {@link SchemaV3Fixture} wrote with the schema-3 code: the
 * memories stay as they were, the version and the feed's mode are recorded, and the feed carries
 * the writes made after the migration.
 */
class SchemaV3MigrationTest {
  private final String database = MongoFixture.newDatabase();
  private final MongoClient client = MongoClients.create(MongoFixture.uri());
  private final MongoDatabase db = client.getDatabase(database);

  @BeforeEach
  void loadFixture() throws IOException {
    SchemaV3Fixture.load(db);
  }

  @AfterEach
  void closeClient() {
    client.close();
  }

  @Test
  void v3DataIsKeptAndItsWritesTravelTheFeedAfterTheMigration() {
    List<BsonDocument> before = db.getCollection(Schema.MEMORIES, BsonDocument.class).find()
        .into(new ArrayList<>());
    try (MongoMemoryStore writer = MongoFixture.openStore(database);
        MongoMemoryStore reader = MongoFixture.openStore(database);
        ChangeReader changes = reader.changeFeed().orElseThrow().openReader()) {
      SchemaV2MigrationTest.assertFixtureData(writer);
      assertThat(db.getCollection(Schema.MEMORIES, BsonDocument.class).find()
          .into(new ArrayList<>())).as("memories untouched").isEqualTo(before);
      assertThat(db.getCollection(Schema.META).find(Filters.eq("_id", Schema.SCHEMA_ID)).first()
          .get(Schema.VERSION_FIELD)).isEqualTo(4);
      assertThat(db.getCollection(Schema.META).find(Filters.eq("_id", Schema.FEED_ID)).first())
          .containsKey(Schema.MODE_FIELD);

      StoredMemory chess = SchemaV2Fixture.CHESS;
      writer.delete(chess.partition(), List.of(chess.id()), List.of(new HistoryEntry(chess.id(),
          "ben", HistoryEntry.Event.DELETE, chess.memory().content(), null,
          chess.memory().updatedAt().plusSeconds(60))));

      List<Change> delivered = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (delivered.isEmpty() && System.nanoTime() < deadline) {
        ChangeBatch batch = changes.next(10, Duration.ofMillis(50));
        assertThat(batch.trimmed()).isFalse();
        delivered.addAll(batch.changes());
      }
      assertThat(delivered).singleElement().satisfies(change -> {
        assertThat(change.kind()).isEqualTo(ChangeKind.DELETE);
        assertThat(change.partition()).isEqualTo(chess.partition());
        assertThat(change.memoryIds()).containsExactly(chess.id());
      });
      assertThat(reader.load(chess.partition(), List.of(chess.id()))).isEmpty();
    }
  }
}

package io.inmemory.store.mongo;

import static io.inmemory.store.mongo.SchemaV2Fixture.HISTORY;
import static io.inmemory.store.mongo.SchemaV2Fixture.KEY;
import static io.inmemory.store.mongo.SchemaV2Fixture.MEMORIES;
import static io.inmemory.store.mongo.SchemaV2Fixture.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Opening the schema-2 database that {@link SchemaV2Fixture} wrote with the schema-2 code. */
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
    MEMORIES.forEach((partition, memories) ->
        assertThat(store.load(partition)).as("memories of %s", partition)
            .containsExactlyInAnyOrderElementsOf(memories));
    HISTORY.forEach((id, entries) ->
        assertThat(store.history(SchemaV2Fixture.partitionOf(id), id)).as("history of %s", id)
            .isEqualTo(entries));
    assertThat(store.access().projects()).containsExactly(PROJECT);
    assertThat(store.access().keyByHash(KEY.hash())).contains(KEY);
  }

  @Test
  void everyRecordOfTheFixtureReadsBack() {
    try (MongoMemoryStore store = MongoFixture.openStore(database)) {
      assertFixtureData(store);
    }
  }
}

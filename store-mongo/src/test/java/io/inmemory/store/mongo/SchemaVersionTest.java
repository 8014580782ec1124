package io.inmemory.store.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.inmemory.StorageException;
import java.util.ArrayList;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SchemaVersionTest {
  private final String database = MongoFixture.newDatabase();
  private final MongoClient client = MongoClients.create(MongoFixture.uri());

  @AfterEach
  void closeClient() {
    client.close();
  }

  private MongoCollection<Document> meta() {
    return client.getDatabase(database).getCollection(Schema.META);
  }

  private Object storedVersion() {
    return meta().find(Filters.eq("_id", "schema")).first().get("version");
  }

  @Test
  void aNewDatabaseGetsTheCurrentVersionAndItsIndexes() {
    MongoFixture.openStore(database).close();

    assertThat(storedVersion()).isEqualTo(Schema.VERSION);
    assertThat(client.getDatabase(database).getCollection(Schema.MEMORIES).listIndexes()
        .map(index -> index.getString("name")).into(new ArrayList<>()))
        .contains("memory_id", "partition_live_created", "partition_tags", "partition_people");
    assertThat(client.getDatabase(database).getCollection(Schema.API_KEYS).listIndexes()
        .map(index -> index.getString("name")).into(new ArrayList<>()))
        .contains("key_hash", "project_keys");
    assertThat(client.getDatabase(database).getCollection(Schema.HISTORY).listIndexes()
        .map(index -> index.getString("name")).into(new ArrayList<>()))
        .contains("history_key");
    assertThat(client.getDatabase(database).getCollection(Schema.IDEMPOTENCY).listIndexes()
        .into(new ArrayList<>()))
        .anySatisfy(index -> {
          assertThat(index.getString("name")).isEqualTo("idempotency_ttl");
          assertThat(index.get("expireAfterSeconds", Number.class).longValue()).isZero();
        });
  }

  @Test
  void aNewerVersionIsRefusedNamingBothVersions() {
    MongoFixture.openStore(database).close();
    meta().updateOne(Filters.eq("_id", "schema"), Updates.set("version", Schema.VERSION + 1));

    assertThatThrownBy(() -> MongoFixture.openStore(database))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("version " + (Schema.VERSION + 1))
        .hasMessageContaining("version " + Schema.VERSION)
        .hasMessageContaining(database);
    assertThat(storedVersion()).isEqualTo(Schema.VERSION + 1);
  }

  @Test
  void anOlderVersionIsMigratedToTheCurrentOne() {
    MongoFixture.openStore(database).close();
    meta().updateOne(Filters.eq("_id", "schema"), Updates.set("version", 0));

    MongoFixture.openStore(database).close();

    assertThat(storedVersion()).isEqualTo(Schema.VERSION);
  }
}

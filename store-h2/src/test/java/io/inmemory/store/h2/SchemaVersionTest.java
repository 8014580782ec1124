package io.inmemory.store.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.StorageException;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.tenant.IdempotencyId;
import io.inmemory.engine.tenant.IdempotencyRecord;
import io.inmemory.engine.tenant.IdempotencyStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaVersionTest {
  @TempDir
  Path dir;

  private String url() {
    return "jdbc:h2:file:" + dir.resolve("inmemory");
  }

  private void sql(String... statements) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url(), "sa", "");
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  private List<String> column(String query) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(url(), "sa", "");
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(query)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }

  @Test
  void aNewDatabaseGetsTheCurrentVersionTablesAndIndexes() throws SQLException {
    H2MemoryStore.open(dir).close();

    assertThat(column("SELECT version FROM inmemory_schema"))
        .containsExactly(String.valueOf(Schema.CURRENT_VERSION));
    assertThat(column("SELECT LOWER(table_name) FROM information_schema.tables"
        + " WHERE table_schema = 'PUBLIC'")).containsExactlyInAnyOrder("inmemory_schema",
        "inmemory_memories", "inmemory_memory_tags", "inmemory_memory_people", "inmemory_history",
        "inmemory_projects", "inmemory_api_keys", "inmemory_idempotency",
        "inmemory_access_version", "inmemory_changes", "inmemory_change_counter",
        "inmemory_webhooks", "inmemory_webhook_deliveries", "inmemory_leases",
        "inmemory_webhook_sequence");
    assertThat(column("SELECT LOWER(index_name) FROM information_schema.indexes"
        + " WHERE table_schema = 'PUBLIC'")).contains("inmemory_memories_created",
        "inmemory_memory_tags_tag", "inmemory_memory_people_key", "inmemory_history_memory",
        "inmemory_api_keys_project", "inmemory_idempotency_expiry", "inmemory_changes_at",
        "inmemory_history_pending", "inmemory_webhooks_project",
        "inmemory_webhook_deliveries_hook", "inmemory_webhook_deliveries_log");
    assertThat(column("SELECT data_type FROM information_schema.columns"
        + " WHERE LOWER(table_name) = 'inmemory_memories' AND LOWER(column_name) = 'embedding'"))
        .containsExactly("BINARY VARYING");
  }

  @Test
  void aNewerVersionIsRefusedNamingBothVersionsAndLeftUnchanged() throws SQLException {
    H2MemoryStore.open(dir).close();
    sql("UPDATE inmemory_schema SET version = 99");

    assertThatThrownBy(() -> H2MemoryStore.open(dir))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("schema version 99")
        .hasMessageContaining("up to " + Schema.CURRENT_VERSION)
        .hasMessageContaining(url())
        .hasMessageContaining("Upgrade inmemory-store-h2");
    assertThat(column("SELECT version FROM inmemory_schema")).containsExactly("99");
  }

  @Test
  void anInterruptedCreationIsCompletedOnTheNextOpen() throws SQLException {
    sql("CREATE TABLE inmemory_schema (id INT PRIMARY KEY, version INT NOT NULL)",
        "CREATE TABLE inmemory_projects (id VARCHAR(64) PRIMARY KEY, name VARCHAR(200) NOT NULL,"
            + " created_at BIGINT NOT NULL)");

    try (H2MemoryStore store = H2MemoryStore.open(dir)) {
      assertThat(store.load(new PartitionKey("default", "alice"))).isEmpty();
      assertThat(store.access().projects()).isEmpty();
    }
    assertThat(column("SELECT version FROM inmemory_schema"))
        .containsExactly(String.valueOf(Schema.CURRENT_VERSION));
  }

  @Test
  void aVersion2DatabaseOpensAsTheCurrentVersionWithTheIdempotencyTable() throws SQLException {
    H2MemoryStore.open(dir).close();
    // version 3 only adds tables: without them, and with version 2 recorded, this is a version-2
    // database as the code of issue 13 left it
    sql("DROP TABLE inmemory_idempotency", "DROP TABLE inmemory_access_version",
        "UPDATE inmemory_schema SET version = 2");

    try (H2MemoryStore store = H2MemoryStore.open(dir)) {
      IdempotencyStore idempotency = store.access().idempotency().orElseThrow();
      Instant now = Instant.parse("2024-05-01T10:15:30Z");
      IdempotencyRecord claim = IdempotencyRecord.pending(new IdempotencyId("p1", "k"),
          new byte[32], "owner1", now, now.plusSeconds(30), now.plusSeconds(60));
      assertThat(idempotency.claim(claim, now)).isEmpty();
      assertThat(idempotency.find(claim.id(), now)).contains(claim);
    }
    assertThat(column("SELECT version FROM inmemory_schema"))
        .containsExactly(String.valueOf(Schema.CURRENT_VERSION));
    assertThat(column("SELECT version FROM inmemory_access_version")).containsExactly("0");
  }
}

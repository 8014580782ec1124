package io.inmemory.store.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.HistoryEntry;
import io.inmemory.MemoryRecord;
import io.inmemory.StorageException;
import io.inmemory.engine.spi.ChangeBatch;
import io.inmemory.engine.spi.ChangeReader;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A version-3 database (issue 15's idempotency table, no change feed), made by playing the steps
 * before version 4 and writing a memory as that code did, opened by two processes through an H2
 * server.
 */
class SchemaV3MigrationTest {
  @RegisterExtension
  static final H2TestServer SERVER = new H2TestServer();
  private static final Instant T0 = Instant.parse("2024-05-01T10:15:30.123Z");
  private static final PartitionKey ALICE = new PartitionKey("feed", "alice");

  private final String url = SERVER.newDatabaseUrl();

  private void sql(String... statements) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, "sa", "");
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  /** Plays the schema steps up to {@code version} as the code of that version did. */
  static void playStepsTo(Statement statement, int version) throws SQLException {
    statement.execute("CREATE TABLE inmemory_schema (id INT PRIMARY KEY CHECK (id = 1),"
        + " version INT NOT NULL)");
    for (List<String> step : Schema.STEPS.subList(0, version)) {
      for (String sql : step) {
        statement.execute(sql);
      }
    }
    statement.execute("INSERT INTO inmemory_schema VALUES (1, " + version + ")");
  }

  private void version3WithOneMemory() throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, "sa", "");
        Statement statement = connection.createStatement()) {
      playStepsTo(statement, 3);
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO inmemory_memories"
          + " (namespace, user_id, id, content, metadata, created_at, updated_at, embedder_id,"
          + " embedding, valid_from) VALUES ('feed', 'alice', 'm1', 'I love pizza', '{}', ?, ?,"
          + " 'test-embedder:1', ?, ?)")) {
        insert.setLong(1, T0.toEpochMilli());
        insert.setLong(2, T0.toEpochMilli());
        insert.setBytes(3, Codec.embedding(new float[] {0.6f, 0.8f}));
        insert.setLong(4, T0.toEpochMilli());
        insert.executeUpdate();
      }
      statement.execute("INSERT INTO inmemory_history (namespace, user_id, memory_id, event,"
          + " new_content, at) VALUES ('feed', 'alice', 'm1', 'ADD', 'I love pizza', "
          + T0.toEpochMilli() + ")");
    }
  }

  @Test
  void aVersion3DatabaseKeepsItsDataAndGetsAWorkingFeed() throws SQLException {
    version3WithOneMemory();
    StoredMemory stored = new StoredMemory("feed", new MemoryRecord("m1", "alice",
        "I love pizza", List.of(), List.of(), null, Map.of(), T0, T0),
        new float[] {0.6f, 0.8f}, "test-embedder:1");

    try (H2MemoryStore a = H2MemoryStore.builder().url(url).open();
        H2MemoryStore b = H2MemoryStore.builder().url(url).open();
        ChangeReader reader = b.changeFeed().orElseThrow().openReader()) {
      assertThat(b.load(ALICE)).containsExactly(stored);
      assertThat(b.history(ALICE, "m1")).containsExactly(new HistoryEntry("m1", "alice",
          HistoryEntry.Event.ADD, null, "I love pizza", T0));

      a.delete(ALICE, List.of("m1"), List.of());

      ChangeBatch batch = reader.next(10, Duration.ZERO);
      assertThat(batch.changes()).singleElement()
          .satisfies(change -> assertThat(change.memoryIds()).containsExactly("m1"))
          .satisfies(change -> assertThat(change.position()).isEqualTo("1"));
    }
    assertThat(H2ChangeFeedTest.column(url, "SELECT version FROM inmemory_schema"))
        .containsExactly((long) Schema.CURRENT_VERSION);
  }

  /**
   * Two processes may both find version 3 and run step 4; the one that runs it second must not
   * reset the counter the first already numbers changes with.
   */
  @Test
  void runningStep4AgainKeepsTheCounter() throws SQLException {
    version3WithOneMemory();
    try (H2MemoryStore first = H2MemoryStore.builder().url(url).open()) {
      first.delete(ALICE, List.of("m1"), List.of());
    }
    sql("UPDATE inmemory_schema SET version = 3");

    try (H2MemoryStore second = H2MemoryStore.builder().url(url).open()) {
      second.insert(List.of(H2ChangeFeedTest.memory("alice", "m2")), List.of());
    }
    assertThat(H2ChangeFeedTest.column(url, "SELECT seq FROM inmemory_changes ORDER BY seq"))
        .containsExactly(1L, 2L);
  }

  @Test
  void aNewerVersionIsStillRefused() throws SQLException {
    version3WithOneMemory();
    sql("UPDATE inmemory_schema SET version = " + (Schema.CURRENT_VERSION + 1));

    assertThatThrownBy(() -> H2MemoryStore.builder().url(url).open())
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("schema version " + (Schema.CURRENT_VERSION + 1));
    assertThat(H2ChangeFeedTest.column(url, "SELECT COUNT(*) FROM inmemory_memories"))
        .containsExactly(1L);
  }
}

package io.inmemory.store.h2;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.HistoryEntry;
import io.inmemory.MemoryRecord;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tenant.OutboxEvent;
import io.inmemory.engine.tenant.WebhookStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A version-4 database (before webhooks), made by playing the steps before version 5 and writing
 * a history row as that code did: it opens at version 5 with its history intact and none of it
 * announced as an event, and the next write is marked.
 */
class SchemaV4MigrationTest {
  private static final Instant T0 = Instant.parse("2024-05-01T10:15:30.123Z");
  private static final PartitionKey ALICE = new PartitionKey("hooks", "alice");

  @TempDir
  Path dir;

  @Test
  void aVersion4DatabaseKeepsItsHistoryAnnouncesNoneOfItAndMarksNewWrites()
      throws SQLException {
    String url = H2Url.inDirectory(dir).url();
    try (Connection connection = DriverManager.getConnection(url, "sa", "");
        Statement statement = connection.createStatement()) {
      SchemaV3MigrationTest.playStepsTo(statement, 4);
      statement.execute("INSERT INTO inmemory_history (namespace, user_id, memory_id, event,"
          + " new_content, at) VALUES ('hooks', 'alice', 'm1', 'ADD', 'I love pizza', "
          + T0.toEpochMilli() + ")");
    }
    StoredMemory added = new StoredMemory("hooks", new MemoryRecord("m2", "alice", "I like tea",
        List.of(), List.of(), null, Map.of(), T0, T0), new float[] {0.6f, 0.8f}, "test:1");
    HistoryEntry addition = new HistoryEntry("m2", "alice", HistoryEntry.Event.ADD, null,
        "I like tea", T0);

    try (H2MemoryStore store = H2MemoryStore.builder().url(url).recordEvents(true).open()) {
      WebhookStore webhooks = store.access().webhooks().orElseThrow();
      assertThat(store.history(ALICE, "m1")).containsExactly(new HistoryEntry("m1", "alice",
          HistoryEntry.Event.ADD, null, "I love pizza", T0));
      assertThat(webhooks.pendingEvents(10, T0)).isEmpty();

      store.insert(List.of(added), List.of(addition));

      assertThat(webhooks.pendingEvents(10, T0)).extracting(OutboxEvent::entry)
          .containsExactly(addition);
      assertThat(webhooks.nextSequences(1)).isEqualTo(1);
    }
    assertThat(H2ChangeFeedTest.column(url, "SELECT version FROM inmemory_schema"))
        .containsExactly((long) Schema.CURRENT_VERSION);
  }
}

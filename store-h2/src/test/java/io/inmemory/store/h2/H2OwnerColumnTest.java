package io.inmemory.store.h2;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.HistoryEntry;
import io.inmemory.HistoryEntry.Event;
import io.inmemory.MemoryRecord;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code user_id} columns hold the partition's owner ({@code ~bot} for agent bot's own
 * memories) and the records' user id is derived from it: an agent's own memory reads back with
 * no user id, never with the owner string.
 */
class H2OwnerColumnTest {
  private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");

  @TempDir
  Path dir;

  @Test
  void anAgentsOwnMemoryIsStoredUnderItsOwnerAndReadsBackWithoutAUser() throws SQLException {
    MemoryRecord record = new MemoryRecord("m-1", null, "Answer in French", List.of(), List.of(),
        null, Map.of(), T0, T0, "bot", null, null, T0, null, null);
    StoredMemory memory = new StoredMemory("default", record, new float[] {1, 0}, "e:1");
    HistoryEntry entry = new HistoryEntry("m-1", null, Event.ADD, null, record.content(), T0,
        "bot", null);
    PartitionKey agent = PartitionKey.agent("default", "bot");

    try (H2MemoryStore store = H2MemoryStore.open(dir)) {
      store.insert(List.of(memory), List.of(entry));
      assertThat(store.load(agent)).containsExactly(memory);
      assertThat(store.history(agent, "m-1")).containsExactly(entry);
      assertThat(store.load(PartitionKey.user("default", "bot"))).isEmpty();
    }
    try (Connection connection = DriverManager.getConnection(H2Url.inDirectory(dir).url(),
            H2StoreSettings.DEFAULT_USER, "");
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT m.user_id, h.user_id FROM"
            + " inmemory_memories m JOIN inmemory_history h ON h.memory_id = m.id")) {
      assertThat(row.next()).isTrue();
      assertThat(row.getString(1)).isEqualTo("~bot");
      assertThat(row.getString(2)).isEqualTo("~bot");
    }
  }
}

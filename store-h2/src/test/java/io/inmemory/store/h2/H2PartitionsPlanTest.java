package io.inmemory.store.h2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link H2MemoryStore#partitions} reads only the index on {@code (namespace, user_id,
 * created_at)}, which holds every column it needs, from the first owner after {@code after}: no
 * table rows, no other namespace's entries.
 */
class H2PartitionsPlanTest {
  @TempDir
  Path dir;

  @Test
  void theGroupedQueryReadsTheCreationIndexFromTheOwnerAfter() throws SQLException {
    H2MemoryStore.open(dir).close();
    String plan;
    try (Connection connection = DriverManager.getConnection(H2Url.inDirectory(dir).url(),
            H2StoreSettings.DEFAULT_USER, "");
        PreparedStatement explain = connection.prepareStatement(
            "EXPLAIN " + H2MemoryStore.PARTITIONS)) {
      explain.setString(1, "contract");
      explain.setString(2, "alice");
      explain.setInt(3, 50);
      try (ResultSet row = explain.executeQuery()) {
        assertThat(row.next()).isTrue();
        plan = row.getString(1);
      }
    }

    assertThat(plan).as(plan).containsPattern(
        "/\\* PUBLIC\\.INMEMORY_MEMORIES_CREATED: NAMESPACE = \\?1\\s+"
            + "AND USER_ID > \\?2\\s+\\*/");
  }
}

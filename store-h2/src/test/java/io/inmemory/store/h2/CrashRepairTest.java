package io.inmemory.store.h2;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.HistoryEntry;
import io.inmemory.MemoryRecord;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's completion of H2's crash recovery ({@link CrashRepair}) on exact images of what a
 * {@code kill -9} leaves: between two commits of the only writer, the database file holds what
 * the operating system would keep of a process killed at that moment, so a copy of it is the
 * file a restarted process finds. H2 opening such a copy on its own drops commits that had
 * returned; the store opening another copy of the same bytes must find every one.
 */
class CrashRepairTest {
  /** Crash images on which H2 alone drops commits, each checked through the store. */
  private static final int LOSSY_IMAGES = 3;
  /** Commits at most to find them; H2 drops commits in most images of a fresh file. */
  private static final int MAX_COMMITS = 200;
  private static final String USER = "crash-user";

  @TempDir
  Path temp;

  @Test
  void imagesOfAKilledDatabaseOpenWithEveryCommitThatReturned() throws Exception {
    Path live = temp.resolve("live");
    Set<String> committed = new HashSet<>();
    int lossy = 0;
    // H2 reuses the space of old chunks at once instead of after 45 s, so commits go into free
    // space in the middle of the file from the first ones, as they do after a minute of writes
    String url = H2Url.inDirectory(live).url() + ";RETENTION_TIME=0";
    try (H2MemoryStore store = H2MemoryStore.builder().url(url).open()) {
      for (int i = 0; i < MAX_COMMITS && lossy < LOSSY_IMAGES; i++) {
        String id = "memory-" + i;
        store.insert(List.of(memory(id)), List.of(new HistoryEntry(id, USER,
            HistoryEntry.Event.ADD, null, "note " + id, Instant.EPOCH)));
        committed.add(id);
        Path byH2 = image(live, temp.resolve("h2-" + i));
        Path byStore = image(live, temp.resolve("store-" + i));
        if (idsOpenedByH2Alone(byH2).containsAll(committed)) {
          continue;
        }
        lossy++;
        try (H2MemoryStore recovered = H2MemoryStore.open(byStore)) {
          PartitionKey partition = new PartitionKey(PartitionKey.DEFAULT_NAMESPACE, USER);
          Set<String> ids = new HashSet<>();
          recovered.load(partition).forEach(memory -> ids.add(memory.id()));
          assertThat(ids).as("crash image after commit %d", i).isEqualTo(committed);
          assertThat(recovered.history(partition, id)).as("crash image after commit %d", i)
              .hasSize(1);
          recovered.insert(List.of(memory("after-" + i)), List.of());
        }
      }
    }
    assertThat(lossy).as("crash images H2 opens on its own without commits that returned, in %d"
        + " commits; none would mean H2 no longer drops them and CrashRepair can go",
        MAX_COMMITS).isEqualTo(LOSSY_IMAGES);
  }

  @Test
  void storesOfOneJvmShareTheDatabaseOneOfThemOpened() {
    Path dir = temp.resolve("shared");
    PartitionKey partition = new PartitionKey(PartitionKey.DEFAULT_NAMESPACE, USER);
    try (H2MemoryStore first = H2MemoryStore.open(dir)) {
      first.insert(List.of(memory("first")), List.of());
      try (H2MemoryStore second = H2MemoryStore.open(dir)) {
        assertThat(second.load(partition)).containsExactly(memory("first"));
        second.insert(List.of(memory("second")), List.of());
      }
      assertThat(first.load(partition)).containsExactlyInAnyOrder(memory("first"),
          memory("second"));
    }
  }

  /** A copy of the live database file, alone in {@code dir}. */
  private static Path image(Path live, Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.copy(live.resolve("inmemory.mv.db"), dir.resolve("inmemory.mv.db"));
    return dir;
  }

  /** The memory ids H2 finds when it opens the database in {@code dir} with its own recovery. */
  private static List<String> idsOpenedByH2Alone(Path dir) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(
            "jdbc:h2:file:" + dir.resolve("inmemory").toAbsolutePath(), "sa", "");
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT id FROM inmemory_memories")) {
      while (row.next()) {
        ids.add(row.getString(1));
      }
    }
    return ids;
  }

  private static StoredMemory memory(String id) {
    Instant at = Instant.parse("2024-01-01T00:00:00Z");
    return new StoredMemory(PartitionKey.DEFAULT_NAMESPACE,
        new MemoryRecord(id, USER, "note " + id, List.of(), List.of(), null, Map.of(), at, at),
        new float[] {1, 0}, "test:1");
  }
}

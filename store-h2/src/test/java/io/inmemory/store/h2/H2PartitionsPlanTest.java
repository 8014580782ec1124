package io.inmemory.store.h2;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.HistoryEntry;
import io.inmemory.MemoryRecord;
import io.inmemory.engine.spi.StoredMemory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link H2MemoryStore#partitions} finds each next owner in index order, so each access reads
 * one owner's entries, never the namespace's later owners', and no table is scanned.
 */
class H2PartitionsPlanTest {
  private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
  private static final int USERS = 10;
  private static final int PER_USER = 5;

  @TempDir
  Path dir;

  @Test
  void aPageReadsItsOwnersEntriesOnly() throws SQLException {
    List<StoredMemory> memories = new ArrayList<>();
    List<HistoryEntry> entries = new ArrayList<>();
    for (int user = 0; user < USERS; user++) {
      for (int i = 0; i < PER_USER; i++) {
        MemoryRecord record = new MemoryRecord("m-" + user + "-" + i, "user-" + user, "fact " + i,
            List.of(), List.of(), null, Map.of(), T0, T0);
        memories.add(new StoredMemory("ns", record, new float[] {1, 0}, "e:1"));
        entries.add(new HistoryEntry(record.id(), record.userId(), HistoryEntry.Event.ADD, null,
            record.content(), T0));
      }
    }
    try (H2MemoryStore store = H2MemoryStore.open(dir)) {
      store.insert(memories, entries);
      assertThat(store.partitions("ns", "user-3", 2)).hasSize(2);
    }
    String plan;
    try (Connection connection = DriverManager.getConnection(H2Url.inDirectory(dir).url(),
            H2StoreSettings.DEFAULT_USER, "");
        PreparedStatement explain = connection.prepareStatement(
            "EXPLAIN ANALYZE " + H2MemoryStore.PARTITIONS)) {
      for (int parameter = 1; parameter <= 6; parameter++) {
        explain.setString(parameter, parameter == 2 ? "user-3" : parameter == 4 ? "2" : "ns");
      }
      try (ResultSet row = explain.executeQuery()) {
        assertThat(row.next()).isTrue();
        plan = row.getString(1);
      }
    }

    assertThat(plan).as(plan).doesNotContainIgnoringCase("tableScan");
    assertThat(plan.split("index sorted", -1)).as(plan).hasSize(3);
    // each access reads one owner's PER_USER entries (H2 reads a seek's ties too) and one more;
    // a GROUP BY over the namespace would read all 30 entries after user-3 in one access
    Matcher scans = Pattern.compile("scanCount: (\\d+)").matcher(plan);
    List<Integer> reads = new ArrayList<>();
    while (scans.find()) {
      reads.add(Integer.parseInt(scans.group(1)));
    }
    assertThat(reads).as(plan).hasSizeGreaterThanOrEqualTo(4).allMatch(n -> n <= PER_USER + 1);
  }
}

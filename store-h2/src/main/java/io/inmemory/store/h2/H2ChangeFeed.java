package io.inmemory.store.h2;

import io.inmemory.engine.spi.Change;
import io.inmemory.engine.spi.ChangeFeed;
import io.inmemory.engine.spi.ChangeKind;
import io.inmemory.engine.spi.ChangeReader;
import io.inmemory.engine.spi.PartitionKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The change feed of an H2 database that several processes share (an H2 server, or
 * {@code AUTO_SERVER=TRUE}): table {@code inmemory_changes}, one row per partition of each write,
 * numbered by the single row of {@code inmemory_change_counter}. Thread-safe.
 *
 * <p><b>Why the numbers have no gaps and commit in order.</b> A writer's last statement, in the
 * write's own transaction, adds to the counter and inserts its rows under the numbers it got. The
 * counter row stays locked until that transaction commits or rolls back, so the next writer (of
 * any process) gets its numbers only after the previous ones are committed, and a rollback gives
 * its numbers back. Readers therefore see the rows as a gap-free sequence growing at its end: a
 * reader's position is the last number it delivered, and a missing number after it can only have
 * been trimmed ({@link H2PolledChanges}). The price is that writers of all processes serialize
 * from their counter update to their commit (one file write with {@code WRITE_DELAY=0}); an
 * identity column would not (H2 hands identity values out at insert, not in commit order), but
 * then readers could not tell a trimmed row from one not committed yet.
 *
 * <p>{@link #trim()} deletes rows older than the retention; the counter keeps the high-water mark,
 * so numbering goes on after a full trim.
 */
final class H2ChangeFeed implements ChangeFeed {
  private final Jdbc jdbc;
  private final H2Url url;
  private final Duration retention;
  private final String processId = UUID.randomUUID().toString();

  H2ChangeFeed(Jdbc jdbc, H2Url url, Duration retention) {
    this.jdbc = jdbc;
    this.url = url;
    this.retention = retention;
  }

  @Override
  public String processId() {
    return processId;
  }

  @Override
  public ChangeReader openReader() {
    return H2PolledChanges.atHead(jdbc);
  }

  @Override
  public void trim() {
    long before = System.currentTimeMillis() - retention.toMillis();
    jdbc.transaction("trim the change feed", connection -> {
      try (PreparedStatement delete = connection.prepareStatement(
          "DELETE FROM inmemory_changes WHERE at < ?")) {
        delete.setLong(1, before);
        return delete.executeUpdate();
      }
    });
  }

  @Override
  public String describe() {
    return "polling inmemory_changes of " + url.shown();
  }

  /**
   * Records a write in its transaction: one row per partition of {@code ids}, each naming its ids
   * ({@link Change#idsOf}). Must be the transaction's last statement, since the counter row stays
   * locked until the commit.
   *
   * @param ids the ids written, by partition; empty when nothing was
   */
  void record(Connection connection, ChangeKind kind, Map<PartitionKey, List<String>> ids)
      throws SQLException {
    if (ids.isEmpty()) {
      return;
    }
    long last;
    try (PreparedStatement count = connection.prepareStatement("SELECT last FROM FINAL TABLE"
        + " (UPDATE inmemory_change_counter SET last = last + ? WHERE id = 1)")) {
      count.setInt(1, ids.size());
      last = H2PolledChanges.counter(count);
    }
    long at = System.currentTimeMillis();
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO inmemory_changes (seq,"
        + " namespace, user_id, kind, memory_ids, process, at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      long seq = last - ids.size();
      for (Map.Entry<PartitionKey, List<String>> partition : ids.entrySet()) {
        List<String> named = Change.idsOf(partition.getValue());
        insert.setLong(1, ++seq);
        insert.setString(2, partition.getKey().namespace());
        insert.setString(3, partition.getKey().owner());
        insert.setString(4, kind.name());
        insert.setString(5, named == null ? null : Codec.ids(named));
        insert.setString(6, processId);
        insert.setLong(7, at);
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }
}

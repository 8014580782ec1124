package io.inmemory.store.h2;

import io.inmemory.engine.spi.Change;
import io.inmemory.engine.spi.ChangeBatch;
import io.inmemory.engine.spi.ChangeKind;
import io.inmemory.engine.spi.ChangeReader;
import io.inmemory.engine.spi.PartitionKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A reader of {@code inmemory_changes} by sequence number: each {@link #next} is one query for the
 * rows after its position, and returns at once ({@link #waits()} is false). Since the numbers
 * commit in order without gaps (see {@link H2ChangeFeed}), a number missing right after the
 * position was trimmed: the batch then says {@link ChangeBatch#trimmed()}. Not thread-safe.
 */
final class H2PolledChanges implements ChangeReader {
  private final Jdbc jdbc;
  /** The last number delivered, or skipped as trimmed. */
  private long position;
  private boolean closed;

  private H2PolledChanges(Jdbc jdbc, long position) {
    this.jdbc = jdbc;
    this.position = position;
  }

  /** A reader at the feed's head: it delivers the changes committed after this call. */
  static H2PolledChanges atHead(Jdbc jdbc) {
    return new H2PolledChanges(jdbc, jdbc.transaction("open a change feed reader",
        H2PolledChanges::last));
  }

  /** The counter: the number of the last change recorded (0 before the first). */
  private static long last(Connection connection) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT last FROM inmemory_change_counter WHERE id = 1")) {
      return counter(select);
    }
  }

  /** The counter's value that {@code query} selects. */
  static long counter(PreparedStatement query) throws SQLException {
    try (ResultSet row = query.executeQuery()) {
      if (!row.next()) {
        throw new SQLException("the row of inmemory_change_counter is missing; it was deleted"
            + " outside InMemory (restore it: INSERT INTO inmemory_change_counter VALUES (1,"
            + " (SELECT COALESCE(MAX(seq), 0) FROM inmemory_changes)))");
      }
      return row.getLong(1);
    }
  }

  @Override
  public ChangeBatch next(int limit, Duration maxWait) {
    if (closed) {
      throw new IllegalStateException("this change feed reader is closed");
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, not " + limit);
    }
    List<Change> changes = new ArrayList<>();
    // the counter first: every row up to it was committed before, so any that is missing when
    // the rows are read next was trimmed, not in flight
    long last = jdbc.transaction("read the change feed", connection -> {
      long counted = last(connection);
      try (PreparedStatement select = connection.prepareStatement("SELECT seq, namespace,"
          + " user_id, kind, memory_ids, process, at FROM inmemory_changes WHERE seq > ?"
          + " ORDER BY seq LIMIT ?")) {
        select.setLong(1, position);
        select.setInt(2, limit);
        try (ResultSet row = select.executeQuery()) {
          while (row.next()) {
            changes.add(read(row));
          }
        }
      }
      return counted;
    });
    boolean trimmed;
    if (changes.isEmpty()) {
      // a counter below the position means the database was replaced (a restored backup):
      // what this reader delivered is gone, just as if it had been trimmed
      trimmed = last != position;
      position = last;
    } else {
      trimmed = Long.parseLong(changes.get(0).position()) > position + 1;
      position = Long.parseLong(changes.get(changes.size() - 1).position());
    }
    return changes.isEmpty() && !trimmed ? ChangeBatch.EMPTY : new ChangeBatch(changes, trimmed);
  }

  private Change read(ResultSet row) throws SQLException {
    long seq = row.getLong(1);
    try {
      String ids = row.getString(5);
      return new Change(Long.toString(seq), new PartitionKey(row.getString(2), row.getString(3)),
          ChangeKind.valueOf(row.getString(4)), ids == null ? null : Codec.ids(ids),
          row.getString(6), Instant.ofEpochMilli(row.getLong(7)));
    } catch (IllegalArgumentException e) {
      throw jdbc.corrupted("change " + seq, e);
    }
  }

  @Override
  public boolean waits() {
    return false;
  }

  @Override
  public void close() {
    closed = true;
  }
}

package io.inmemory.store.h2;

import io.inmemory.StorageException;
import io.inmemory.engine.tenant.IdempotencyId;
import io.inmemory.engine.tenant.IdempotencyRecord;
import io.inmemory.engine.tenant.IdempotencyRecord.State;
import io.inmemory.engine.tenant.IdempotencyStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The idempotency records of an {@link H2MemoryStore}, one row each in
 * {@code inmemory_idempotency} keyed by (scope, key): the primary key decides which of two racing
 * claims wins, in this process or in another one sharing an H2 server. One transaction per call;
 * thread-safe; {@link IllegalStateException} once the store is closed.
 */
final class H2IdempotencyStore implements IdempotencyStore {
  /** A claim is retried this often when the record it lost to lapsed before it could be read. */
  private static final int CLAIM_ATTEMPTS = 5;
  private static final String COLUMNS = "fingerprint, state, owner, created_at, lease_until,"
      + " expires_at, answer";
  private static final String WHERE_ID = " WHERE scope = ? AND idem_key = ?";
  private static final String WHERE_CLAIM = WHERE_ID + " AND owner = ? AND state = 'PENDING'";

  private final Jdbc jdbc;

  H2IdempotencyStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Optional<IdempotencyRecord> claim(IdempotencyRecord pending, Instant now) {
    IdempotencyStore.requirePending(pending);
    IdempotencyId id = pending.id();
    for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      boolean claimed = jdbc.transaction("claim idempotency key " + id.key(),
          connection -> takeOver(connection, pending, now) || insert(connection, pending));
      if (claimed) {
        return Optional.empty();
      }
      // lost the insert race: the winner committed, so a new transaction reads it
      Optional<IdempotencyRecord> winner = find(id, now);
      if (winner.isPresent()) {
        return winner;
      }
    }
    throw new StorageException("Could not claim idempotency key " + id.key() + " in "
        + CLAIM_ATTEMPTS + " attempts: each time another claim took it and lapsed at once");
  }

  /** Replaces a record that no longer counts; false when there is none or it still counts. */
  private static boolean takeOver(Connection connection, IdempotencyRecord pending, Instant now)
      throws SQLException {
    try (PreparedStatement update = connection.prepareStatement("UPDATE inmemory_idempotency SET"
        + " fingerprint = ?, state = ?, owner = ?, created_at = ?, lease_until = ?,"
        + " expires_at = ?, answer = NULL" + WHERE_ID
        + " AND (expires_at < ? OR (state = 'PENDING' AND lease_until < ?))")) {
      int next = setRecord(update, pending, 1);
      next = setId(update, pending.id(), next);
      update.setLong(next++, now.toEpochMilli());
      update.setLong(next, now.toEpochMilli());
      return update.executeUpdate() == 1;
    }
  }

  /** Inserts the claim; false when a row holds its id (committed by a concurrent claim). */
  private static boolean insert(Connection connection, IdempotencyRecord pending)
      throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO"
        + " inmemory_idempotency (" + COLUMNS + ", scope, idem_key) VALUES (?, ?, ?, ?, ?, ?, ?,"
        + " ?, ?)")) {
      int next = setRecord(insert, pending, 1);
      insert.setBytes(next++, null);
      setId(insert, pending.id(), next);
      return Jdbc.inserted(insert);
    }
  }

  @Override
  public boolean complete(IdempotencyId id, String owner, byte @Nullable [] answer,
      Instant expiresAt) {
    if (answer != null) {
      IdempotencyRecord.checkedAnswer(answer);
    }
    return jdbc.transaction("complete idempotency key " + id.key(), connection -> {
      try (PreparedStatement update = connection.prepareStatement("UPDATE inmemory_idempotency"
          + " SET state = 'DONE', answer = ?, expires_at = ?" + WHERE_CLAIM)) {
        update.setBytes(1, answer);
        update.setLong(2, expiresAt.toEpochMilli());
        update.setString(setId(update, id, 3), owner);
        return update.executeUpdate() == 1;
      }
    });
  }

  @Override
  public boolean renew(IdempotencyId id, String owner, Instant leaseUntil) {
    return jdbc.transaction("renew idempotency key " + id.key(), connection -> {
      try (PreparedStatement update = connection.prepareStatement("UPDATE inmemory_idempotency"
          + " SET lease_until = ?" + WHERE_CLAIM)) {
        update.setLong(1, leaseUntil.toEpochMilli());
        update.setString(setId(update, id, 2), owner);
        return update.executeUpdate() == 1;
      }
    });
  }

  @Override
  public void release(IdempotencyId id, String owner) {
    jdbc.transaction("release idempotency key " + id.key(), connection -> {
      try (PreparedStatement delete = connection.prepareStatement(
          "DELETE FROM inmemory_idempotency" + WHERE_CLAIM)) {
        delete.setString(setId(delete, id, 1), owner);
        return delete.executeUpdate();
      }
    });
  }

  @Override
  public Optional<IdempotencyRecord> find(IdempotencyId id, Instant now) {
    return jdbc.transaction("read idempotency key " + id.key(), connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT " + COLUMNS + " FROM inmemory_idempotency" + WHERE_ID)) {
        setId(select, id, 1);
        try (ResultSet row = select.executeQuery()) {
          return row.next() ? Optional.of(read(id, row)).filter(record -> record.isLiveAt(now))
              : Optional.<IdempotencyRecord>empty();
        }
      }
    });
  }

  @Override
  public int purgeExpired(Instant now, int limit) {
    IdempotencyStore.requirePositiveLimit(limit);
    return jdbc.transaction("purge expired idempotency records", connection -> {
      try (PreparedStatement delete = connection.prepareStatement("DELETE FROM"
          + " inmemory_idempotency WHERE expires_at < ? FETCH FIRST ? ROWS ONLY")) {
        delete.setLong(1, now.toEpochMilli());
        delete.setInt(2, limit);
        return delete.executeUpdate();
      }
    });
  }

  /** Sets the columns of {@link #COLUMNS} but the answer from {@code index}; the next index. */
  private static int setRecord(PreparedStatement statement, IdempotencyRecord record, int index)
      throws SQLException {
    statement.setBytes(index, record.fingerprint());
    statement.setString(index + 1, record.state().name());
    statement.setString(index + 2, record.owner());
    statement.setLong(index + 3, record.createdAt().toEpochMilli());
    statement.setLong(index + 4, record.leaseUntil().toEpochMilli());
    statement.setLong(index + 5, record.expiresAt().toEpochMilli());
    return index + 6;
  }

  /** Sets scope and key from {@code index}; the next index. */
  private static int setId(PreparedStatement statement, IdempotencyId id, int index)
      throws SQLException {
    statement.setString(index, id.scope());
    statement.setString(index + 1, id.key());
    return index + 2;
  }

  private IdempotencyRecord read(IdempotencyId id, ResultSet row) throws SQLException {
    try {
      return new IdempotencyRecord(id, row.getBytes(1), State.valueOf(row.getString(2)),
          row.getString(3), Instant.ofEpochMilli(row.getLong(4)),
          Instant.ofEpochMilli(row.getLong(5)), Instant.ofEpochMilli(row.getLong(6)),
          row.getBytes(7));
    } catch (IllegalArgumentException e) {
      throw jdbc.corrupted("idempotency record for key " + id.key(), e);
    }
  }
}

package io.inmemory.store.h2;

import io.inmemory.StorageException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.api.ErrorCode;
import org.h2.jdbcx.JdbcConnectionPool;
import org.jspecify.annotations.Nullable;

/**
 * The store's way to the database: a small pool of connections (H2's own
 * {@link JdbcConnectionPool}), one transaction per call, and the translation of
 * {@link SQLException}s into {@link StorageException}s that name the URL (never the password)
 * and say what to do. Thread-safe.
 */
final class Jdbc implements AutoCloseable {
  /** Connections at most; callers beyond wait for one to be returned. */
  private static final int MAX_CONNECTIONS = 16;

  /** Work done in one transaction. */
  @FunctionalInterface
  interface Work<T extends @Nullable Object> {
    T run(Connection connection) throws SQLException;
  }

  private final H2Url url;
  private final JdbcConnectionPool pool;
  private final String user;
  private final String password;
  private volatile boolean closed;

  Jdbc(H2Url url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.pool = JdbcConnectionPool.create(url.url(), user, password);
    pool.setMaxConnections(MAX_CONNECTIONS);
  }

  /**
   * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws.
   * Exceptions other than {@link SQLException} (such as a conflict found by the work) pass
   * through unchanged after the rollback.
   *
   * @param action what is being done, for messages: "store 3 memories"
   * @throws StorageException when the database fails
   * @throws IllegalStateException when the store is closed
   */
  <T extends @Nullable Object> T transaction(String action, Work<T> work) {
    requireOpen();
    try (Connection connection = pool.getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        rollback(connection, e);
        throw e;
      }
    } catch (SQLException e) {
      requireOpen();
      throw failure(action, e);
    } catch (IllegalStateException e) {
      // the pool refuses connections once disposed by a concurrent close
      requireOpen();
      throw e;
    }
  }

  /**
   * Runs {@code insert}; false, with nothing inserted, when a row holds its primary or unique key
   * already (committed by a concurrent writer, say).
   */
  static boolean inserted(PreparedStatement insert) throws SQLException {
    try {
      insert.executeUpdate();
      return true;
    } catch (SQLException e) {
      if (isDuplicate(e)) {
        return false;
      }
      throw e;
    }
  }

  /** Whether {@code e} is a violation of a primary key or unique constraint. */
  static boolean isDuplicate(SQLException e) {
    return e.getErrorCode() == ErrorCode.DUPLICATE_KEY_1;
  }

  /** Whether {@code e} is a foreign key pointing at a missing row. */
  static boolean isMissingParent(SQLException e) {
    return e.getErrorCode() == ErrorCode.REFERENTIAL_INTEGRITY_VIOLATED_PARENT_MISSING_1;
  }

  /** The exception for a failed action: clear about the URL and what to do. */
  StorageException failure(String action, SQLException e) {
    if (e.getErrorCode() == ErrorCode.DATABASE_ALREADY_OPEN_1) {
      return new StorageException("Cannot " + action + ": the H2 database " + url.shown()
          + " is already open in another process, and an embedded H2 database admits one"
          + " process at a time. Stop the other process, give this one its own database with "
          + H2StoreSettings.URL.name() + ", or share it: run an H2 server and use a jdbc:h2:tcp://"
          + " URL in every process, or add ;AUTO_SERVER=TRUE to the URL of every process.", e);
    }
    String advice = url.server()
        ? " Check that the H2 server is running and reachable, and the user and password."
        : " Check that the database's directory exists and is writable, that the disk has space,"
            + " and the user and password.";
    return new StorageException("Cannot " + action + " in the H2 database " + url.shown() + ": "
        + e.getMessage() + "." + advice, e);
  }

  /** The exception for a stored row that does not make a valid record. */
  StorageException corrupted(String what, IllegalArgumentException e) {
    return new StorageException("The H2 database " + url.shown() + " holds an invalid " + what
        + " (" + e.getMessage() + "); it was changed outside InMemory or is damaged. Restore it"
        + " from a backup or delete that row.", e);
  }

  void requireOpen() {
    if (closed) {
      throw new IllegalStateException("The H2 store on " + url.shown() + " is closed");
    }
  }

  @Override
  public void close() {
    closed = true;
    pool.dispose();
  }

  /**
   * Closes the store and, when it was the embedded database's only user, rewrites the database
   * file with its live data only ({@code SHUTDOWN COMPACT}). H2 writes every commit as a new
   * chunk and reuses the space of old ones only 45 s after they stopped being needed, so without
   * this the file would keep the last 45 s of single writes' pages from one run to the next.
   */
  void closeAndCompact() {
    if (closed) {
      return;
    }
    close();
    // a connection of its own: a pooled one would try to roll back after the shutdown
    try (Connection connection = DriverManager.getConnection(url.url(), user, password);
        Statement statement = connection.createStatement()) {
      try (ResultSet sessions = statement.executeQuery(
          "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS")) {
        sessions.next();
        if (sessions.getLong(1) == 1) {
          statement.execute("SHUTDOWN COMPACT");
        }
      }
    } catch (SQLException e) {
      throw failure("compact the database file on close", e);
    }
  }

  private static void rollback(Connection connection, Throwable cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}

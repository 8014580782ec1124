package io.inmemory.store.h2;

import io.inmemory.ConflictException;
import io.inmemory.NotFoundException;
import io.inmemory.engine.tenant.AccessStore;
import io.inmemory.engine.tenant.ApiKeyRecord;
import io.inmemory.engine.tenant.IdempotencyStore;
import io.inmemory.engine.tenant.WebhookStore;
import io.inmemory.engine.tenant.KeyUsage;
import io.inmemory.engine.tenant.Project;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * The projects and API keys of an {@link H2MemoryStore}, in its tables {@code inmemory_projects}
 * and {@code inmemory_api_keys}, and its idempotency records (see {@link H2IdempotencyStore}),
 * with its guarantees: one transaction per method, thread-safe, {@link IllegalStateException}
 * once the store is closed.
 */
final class H2AccessStore implements AccessStore {
  private static final String KEY_COLUMNS = "SELECT id, project_id, name, hash, hint, scopes,"
      + " created_at, expires_at, revoked_at, last_used_at, usage_count FROM inmemory_api_keys";

  private final Jdbc jdbc;
  private final Optional<IdempotencyStore> idempotency;
  private final boolean shared;
  private final Optional<WebhookStore> webhooks;

  /** {@code shared}: whether other processes may use the database (see {@link H2Url#shared()}). */
  H2AccessStore(Jdbc jdbc, boolean shared) {
    this.jdbc = jdbc;
    this.idempotency = Optional.of(new H2IdempotencyStore(jdbc));
    this.shared = shared;
    this.webhooks = Optional.of(new H2WebhookStore(jdbc));
  }

  @Override
  public void createProject(Project project) {
    jdbc.transaction("create project " + project.id(), connection -> {
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO inmemory_projects (id, name, created_at) VALUES (?, ?, ?)")) {
        insert.setString(1, project.id());
        insert.setString(2, project.name());
        insert.setLong(3, project.createdAt().toEpochMilli());
        insert.executeUpdate();
      } catch (SQLException e) {
        if (Jdbc.isDuplicate(e)) {
          throw new ConflictException("A project with id " + project.id() + " already exists");
        }
        throw e;
      }
      return null;
    });
  }

  @Override
  public Optional<Project> project(String id) {
    return jdbc.transaction("read project " + id, connection -> {
      List<Project> found = projects(connection, " WHERE id = ?", id);
      return found.stream().findFirst();
    });
  }

  @Override
  public List<Project> projects() {
    return jdbc.transaction("list projects",
        connection -> projects(connection, " ORDER BY created_at, id", null));
  }

  @Override
  public void createKey(ApiKeyRecord key) {
    jdbc.transaction("create API key " + key.id(), connection -> {
      if (projects(connection, " WHERE id = ?", key.projectId()).isEmpty()) {
        throw projectMissing(key);
      }
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO inmemory_api_keys"
          + " (id, project_id, name, hash, hint, scopes, created_at, expires_at, revoked_at,"
          + " last_used_at, usage_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        insert.setString(1, key.id());
        insert.setString(2, key.projectId());
        insert.setString(3, key.name());
        insert.setString(4, key.hash());
        insert.setString(5, key.hint());
        insert.setString(6, Codec.scopes(key.scopes()));
        insert.setLong(7, key.createdAt().toEpochMilli());
        setInstant(insert, 8, key.expiresAt());
        setInstant(insert, 9, key.revokedAt());
        setInstant(insert, 10, key.lastUsedAt());
        insert.setLong(11, key.usageCount());
        insert.executeUpdate();
      } catch (SQLException e) {
        if (Jdbc.isDuplicate(e)) {
          throw new ConflictException("An API key with id " + key.id() + " or with the same hash"
              + " already exists");
        }
        if (Jdbc.isMissingParent(e)) {
          throw projectMissing(key);
        }
        throw e;
      }
      return null;
    });
  }

  @Override
  public Optional<ApiKeyRecord> keyByHash(String hash) {
    return jdbc.transaction("look up an API key by hash",
        connection -> keys(connection, " WHERE hash = ?", hash).stream().findFirst());
  }

  @Override
  public Optional<ApiKeyRecord> key(String id) {
    return jdbc.transaction("read API key " + id,
        connection -> keys(connection, " WHERE id = ?", id).stream().findFirst());
  }

  @Override
  public List<ApiKeyRecord> keys(String projectId) {
    return jdbc.transaction("list the API keys of project " + projectId,
        connection -> keys(connection, " WHERE project_id = ? ORDER BY created_at, id",
            projectId));
  }

  @Override
  public Optional<ApiKeyRecord> revokeKey(String id, Instant at) {
    long millis = at.toEpochMilli();
    return jdbc.transaction("revoke API key " + id, connection -> {
      try (PreparedStatement update = connection.prepareStatement("UPDATE inmemory_api_keys"
          + " SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
        update.setLong(1, millis);
        update.setString(2, id);
        if (update.executeUpdate() == 1) {
          // in the revocation's transaction: no process sees one without the other
          try (PreparedStatement bump = connection.prepareStatement(
              "UPDATE inmemory_access_version SET version = version + 1 WHERE id = 1")) {
            bump.executeUpdate();
          }
        }
      }
      return keys(connection, " WHERE id = ?", id).stream().findFirst();
    });
  }

  @Override
  public void recordUsage(List<KeyUsage> usages) {
    // one update per key, in id order: concurrent reports lock rows in the same order
    List<KeyUsage> merged = KeyUsage.perKey(usages);
    if (merged.isEmpty()) {
      return;
    }
    jdbc.transaction("record the usage of " + merged.size() + " API keys", connection -> {
      try (PreparedStatement update = connection.prepareStatement("UPDATE inmemory_api_keys"
          + " SET usage_count = usage_count + ?, last_used_at = CASE WHEN last_used_at IS NULL"
          + " OR last_used_at < ? THEN ? ELSE last_used_at END WHERE id = ?")) {
        for (KeyUsage usage : merged) {
          long lastUsed = usage.lastUsedAt().toEpochMilli();
          update.setLong(1, usage.uses());
          update.setLong(2, lastUsed);
          update.setLong(3, lastUsed);
          update.setString(4, usage.keyId());
          update.executeUpdate();
        }
      }
      return null;
    });
  }

  /**
   * Kept in the database, so shared by every process using it through an H2 server or
   * {@code AUTO_SERVER}; empty for a database only this process can open (embedded file, memory),
   * where no other process can revoke a key, so that nobody polls it for nothing.
   */
  @Override
  public OptionalLong accessVersion() {
    if (!shared) {
      return OptionalLong.empty();
    }
    return jdbc.transaction("read the access version", connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT version FROM inmemory_access_version WHERE id = 1");
          ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          throw new IllegalStateException("inmemory_access_version has lost its row");
        }
        return OptionalLong.of(row.getLong(1));
      }
    });
  }

  @Override
  public Optional<IdempotencyStore> idempotency() {
    return idempotency;
  }

  /** The webhooks, in the same database (see {@link H2WebhookStore}). */
  @Override
  public Optional<WebhookStore> webhooks() {
    return webhooks;
  }

  private static NotFoundException projectMissing(ApiKeyRecord key) {
    return new NotFoundException("Project " + key.projectId() + " does not exist; create it"
        + " before its API keys");
  }

  private List<Project> projects(Connection connection, String where, @Nullable String argument)
      throws SQLException {
    List<Project> projects = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT id, name, created_at FROM inmemory_projects" + where)) {
      if (argument != null) {
        select.setString(1, argument);
      }
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          String id = row.getString(1);
          try {
            projects.add(new Project(id, row.getString(2), Instant.ofEpochMilli(row.getLong(3))));
          } catch (IllegalArgumentException e) {
            throw jdbc.corrupted("project " + id, e);
          }
        }
      }
    }
    return projects;
  }

  private List<ApiKeyRecord> keys(Connection connection, String where, String argument)
      throws SQLException {
    List<ApiKeyRecord> keys = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(KEY_COLUMNS + where)) {
      select.setString(1, argument);
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          String id = row.getString(1);
          try {
            keys.add(new ApiKeyRecord(id, row.getString(2), row.getString(3), row.getString(4),
                row.getString(5), Codec.scopes(row.getString(6)),
                Instant.ofEpochMilli(row.getLong(7)), instant(row, 8), instant(row, 9),
                instant(row, 10), row.getLong(11)));
          } catch (IllegalArgumentException e) {
            throw jdbc.corrupted("API key " + id, e);
          }
        }
      }
    }
    return keys;
  }

  private static void setInstant(PreparedStatement statement, int index, @Nullable Instant instant)
      throws SQLException {
    if (instant == null) {
      statement.setNull(index, Types.BIGINT);
    } else {
      statement.setLong(index, instant.toEpochMilli());
    }
  }

  private static @Nullable Instant instant(ResultSet row, int index) throws SQLException {
    long millis = row.getLong(index);
    return row.wasNull() ? null : Instant.ofEpochMilli(millis);
  }
}

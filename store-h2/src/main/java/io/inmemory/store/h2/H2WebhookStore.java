package io.inmemory.store.h2;

import io.inmemory.ConflictException;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.tenant.DeliveryRecord;
import io.inmemory.engine.tenant.DeliveryState;
import io.inmemory.engine.tenant.OutboxEvent;
import io.inmemory.engine.tenant.WebhookEventType;
import io.inmemory.engine.tenant.WebhookRecord;
import io.inmemory.engine.tenant.WebhookStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The webhooks of an {@link H2MemoryStore} (schema version 5): hooks in {@code inmemory_webhooks},
 * deliveries in {@code inmemory_webhook_deliveries}, leases in {@code inmemory_leases}, the
 * delivery sequence in {@code inmemory_webhook_sequence}; the outbox is the history itself, whose
 * rows the store writes with {@code event_pending = TRUE} in the memory's own transaction. An
 * event's id is {@code evt_} and its history row's {@code seq}. Being flag-based rather than a
 * cursor, a history row committed late with a lower {@code seq} is never skipped.
 *
 * <p>One transaction per call; thread-safe, and safe across processes sharing an H2 server (rows
 * are locked by the updates that check them). Two processes fanning out the same event at the
 * very same moment (without holding {@link #FANOUT_LEASE}) can make one of them fail with a
 * duplicate-key {@link io.inmemory.StorageException}; nothing is stored twice.
 */
final class H2WebhookStore implements WebhookStore {
  private static final String HOOK_COLUMNS = "id, project_id, url, events, secret,"
      + " previous_secret, previous_secret_until, description, include_content, enabled,"
      + " disabled_reason, disabled_at, consecutive_failures, created_at, updated_at, version";
  private static final String DELIVERY_COLUMNS = "id, hook_id, project_id, event_id, type, seq,"
      + " payload, state, attempts, next_attempt_at, last_status, last_error, last_attempt_at,"
      + " last_millis, created_at";
  private static final String SELECT_DELIVERIES = "SELECT " + DELIVERY_COLUMNS
      + " FROM inmemory_webhook_deliveries";
  private static final String SELECT_HOOKS = "SELECT " + HOOK_COLUMNS + " FROM inmemory_webhooks";
  private static final String HOOK_ORDER = " ORDER BY created_at, id";

  private final Jdbc jdbc;

  H2WebhookStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  // ---------------------------------------------------------------- hooks

  @Override
  public void createHook(WebhookRecord hook) {
    jdbc.transaction("create webhook " + hook.id(), connection -> {
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO inmemory_webhooks ("
          + HOOK_COLUMNS + ") VALUES (" + marks(16) + ")")) {
        bindHook(insert, hook);
        if (!Jdbc.inserted(insert)) {
          throw new ConflictException("Webhook " + hook.id() + " already exists");
        }
      }
      return null;
    });
  }

  @Override
  public Optional<WebhookRecord> hook(String id) {
    return hooks("read webhook " + id, " WHERE id = ?", id).stream().findFirst();
  }

  @Override
  public List<WebhookRecord> hooks(String projectId) {
    return hooks("list the webhooks of project " + projectId, " WHERE project_id = ?"
        + HOOK_ORDER, projectId);
  }

  @Override
  public List<WebhookRecord> enabledHooks() {
    return hooks("list the enabled webhooks", " WHERE enabled" + HOOK_ORDER, null);
  }

  @Override
  public boolean replaceHook(WebhookRecord expected, WebhookRecord next) {
    WebhookStore.requireSuccessor(expected, next);
    return jdbc.transaction("replace webhook " + next.id(),
        connection -> updateHook(connection, next));
  }

  @Override
  public boolean deleteHook(String id) {
    return jdbc.transaction("delete webhook " + id, connection -> {
      try (PreparedStatement deliveries = connection.prepareStatement(
          "DELETE FROM inmemory_webhook_deliveries WHERE hook_id = ?");
          PreparedStatement hook = connection.prepareStatement(
              "DELETE FROM inmemory_webhooks WHERE id = ?")) {
        deliveries.setString(1, id);
        deliveries.executeUpdate();
        hook.setString(1, id);
        return hook.executeUpdate() > 0;
      }
    });
  }

  // ---------------------------------------------------------------- events and deliveries

  @Override
  public List<OutboxEvent> pendingEvents(int limit, Instant now) {
    WebhookStore.requireLimit(limit);
    return jdbc.transaction("read pending webhook events", connection -> {
      List<OutboxEvent> events = new ArrayList<>();
      try (PreparedStatement select = connection.prepareStatement("SELECT event,"
          + " previous_content, new_content, at, agent_id, related_id, seq, namespace, user_id,"
          + " memory_id FROM inmemory_history WHERE event_pending ORDER BY seq LIMIT ?")) {
        select.setInt(1, limit);
        try (ResultSet row = select.executeQuery()) {
          while (row.next()) {
            long seq = row.getLong(7);
            String namespace = row.getString(8);
            PartitionKey partition = new PartitionKey(namespace, row.getString(9));
            events.add(new OutboxEvent("evt_" + seq, namespace,
                H2MemoryStore.readHistory(jdbc, row, partition, row.getString(10)),
                Long.toString(seq)));
          }
        }
      }
      return events;
    });
  }

  @Override
  public void fanOut(List<OutboxEvent> done, List<DeliveryRecord> created) {
    jdbc.transaction("fan out " + done.size() + " webhook events", connection -> {
      insertDeliveries(connection, created);
      try (PreparedStatement clear = connection.prepareStatement(
          "UPDATE inmemory_history SET event_pending = NULL WHERE seq = ?")) {
        for (OutboxEvent event : done) {
          clear.setLong(1, Long.parseLong(event.token()));
          clear.addBatch();
        }
        clear.executeBatch();
      }
      return null;
    });
  }

  @Override
  public void enqueue(List<DeliveryRecord> created) {
    jdbc.transaction("enqueue " + created.size() + " webhook deliveries", connection -> {
      insertDeliveries(connection, created);
      return null;
    });
  }

  @Override
  public Optional<DeliveryRecord> head(String hookId) {
    return deliveries("read the next delivery of webhook " + hookId, " WHERE hook_id = ? AND"
        + " state = 'PENDING' ORDER BY seq LIMIT ?", hookId, null, 1).stream().findFirst();
  }

  @Override
  public boolean recordAttempt(DeliveryRecord next, WebhookRecord hookNext, String leaseOwner) {
    WebhookStore.requireDeliveryOf(next, hookNext);
    return jdbc.transaction("record an attempt of delivery " + next.id(), connection -> {
      try (PreparedStatement lease = connection.prepareStatement(
          "SELECT owner FROM inmemory_leases WHERE name = ? FOR UPDATE")) {
        lease.setString(1, WebhookStore.hookLease(hookNext.id()));
        try (ResultSet row = lease.executeQuery()) {
          if (!row.next() || !row.getString(1).equals(leaseOwner)) {
            return false;
          }
        }
      }
      try (PreparedStatement update = connection.prepareStatement("UPDATE"
          + " inmemory_webhook_deliveries SET (" + DELIVERY_COLUMNS + ") = (" + marks(15)
          + ") WHERE id = ?")) {
        bindDelivery(update, next);
        update.setString(16, next.id());
        if (update.executeUpdate() == 0) {
          return false;
        }
      }
      if (!updateHook(connection, hookNext)) {
        connection.rollback();
        return false;
      }
      return true;
    });
  }

  @Override
  public List<DeliveryRecord> deliveries(String hookId, @Nullable Long beforeSequence,
      int limit) {
    WebhookStore.requireLimit(limit);
    return deliveries("list the deliveries of webhook " + hookId, " WHERE hook_id = ?"
        + (beforeSequence == null ? "" : " AND seq < ?") + " ORDER BY seq DESC LIMIT ?", hookId,
        beforeSequence, limit);
  }

  @Override
  public long nextSequences(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be positive, got " + count);
    }
    return jdbc.transaction("reserve " + count + " delivery sequence numbers", connection -> {
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE inmemory_webhook_sequence SET last = last + ? WHERE id = 1");
          PreparedStatement select = connection.prepareStatement(
              "SELECT last FROM inmemory_webhook_sequence WHERE id = 1")) {
        update.setLong(1, count);
        update.executeUpdate();
        try (ResultSet row = select.executeQuery()) {
          if (!row.next()) {
            throw new IllegalStateException("inmemory_webhook_sequence has lost its row");
          }
          return row.getLong(1) - count + 1;
        }
      }
    });
  }

  @Override
  public int purge(Instant deliveredBefore, Instant pendingBefore) {
    return jdbc.transaction("purge webhook deliveries", connection -> {
      try (PreparedStatement delete = connection.prepareStatement("DELETE FROM"
          + " inmemory_webhook_deliveries WHERE state = 'DELIVERED' AND last_attempt_at < ?");
          PreparedStatement expire = connection.prepareStatement("UPDATE"
              + " inmemory_webhook_deliveries SET state = 'EXPIRED' WHERE state = 'PENDING'"
              + " AND created_at < ? AND hook_id IN (SELECT id FROM inmemory_webhooks WHERE NOT"
              + " enabled)")) {
        delete.setLong(1, deliveredBefore.toEpochMilli());
        expire.setLong(1, pendingBefore.toEpochMilli());
        return delete.executeUpdate() + expire.executeUpdate();
      }
    });
  }

  // ---------------------------------------------------------------- leases

  @Override
  public boolean claim(String name, String owner, Instant until, Instant now) {
    WebhookStore.requireLease(name, owner);
    return jdbc.transaction("claim lease " + name, connection -> {
      try (PreparedStatement update = connection.prepareStatement("UPDATE inmemory_leases SET"
          + " owner = ?, until = ? WHERE name = ? AND (owner = ? OR until < ?)")) {
        update.setString(1, owner);
        update.setLong(2, until.toEpochMilli());
        update.setString(3, name);
        update.setString(4, owner);
        update.setLong(5, now.toEpochMilli());
        if (update.executeUpdate() == 1) {
          return true;
        }
      }
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO inmemory_leases (name, owner, until) VALUES (?, ?, ?)")) {
        insert.setString(1, name);
        insert.setString(2, owner);
        insert.setLong(3, until.toEpochMilli());
        return Jdbc.inserted(insert);
      }
    });
  }

  @Override
  public void release(String name, String owner) {
    WebhookStore.requireLease(name, owner);
    jdbc.transaction("release lease " + name, connection -> {
      try (PreparedStatement delete = connection.prepareStatement(
          "DELETE FROM inmemory_leases WHERE name = ? AND owner = ?")) {
        delete.setString(1, name);
        delete.setString(2, owner);
        delete.executeUpdate();
      }
      return null;
    });
  }

  // ---------------------------------------------------------------- rows

  /** Replaces the hook if the stored one is {@code next}'s previous version. */
  private static boolean updateHook(Connection connection, WebhookRecord next)
      throws SQLException {
    try (PreparedStatement update = connection.prepareStatement("UPDATE inmemory_webhooks SET ("
        + HOOK_COLUMNS + ") = (" + marks(16) + ") WHERE id = ? AND version = ?")) {
      bindHook(update, next);
      update.setString(17, next.id());
      update.setLong(18, next.version() - 1);
      return update.executeUpdate() == 1;
    }
  }

  /** Inserts the deliveries whose id is new and whose hook exists. */
  private static void insertDeliveries(Connection connection, List<DeliveryRecord> created)
      throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO"
        + " inmemory_webhook_deliveries (" + DELIVERY_COLUMNS + ") SELECT " + marks(15)
        + " FROM inmemory_webhooks h WHERE h.id = ? AND NOT EXISTS (SELECT 1 FROM"
        + " inmemory_webhook_deliveries d WHERE d.id = ?)")) {
      for (DeliveryRecord delivery : created) {
        bindDelivery(insert, delivery);
        insert.setString(16, delivery.hookId());
        insert.setString(17, delivery.id());
        // one at a time: a later delivery of the call must see an earlier one with its id
        insert.executeUpdate();
      }
    }
  }

  private List<WebhookRecord> hooks(String action, String where, @Nullable String argument) {
    return jdbc.transaction(action, connection -> {
      List<WebhookRecord> hooks = new ArrayList<>();
      try (PreparedStatement select = connection.prepareStatement(SELECT_HOOKS + where)) {
        if (argument != null) {
          select.setString(1, argument);
        }
        try (ResultSet row = select.executeQuery()) {
          while (row.next()) {
            hooks.add(readHook(row));
          }
        }
      }
      return hooks;
    });
  }

  /**
   * The deliveries {@code where} selects; it binds the hook id, then {@code beforeSequence} when
   * not null, then the limit.
   */
  private List<DeliveryRecord> deliveries(String action, String where, String hookId,
      @Nullable Long beforeSequence, int limit) {
    return jdbc.transaction(action, connection -> {
      List<DeliveryRecord> deliveries = new ArrayList<>();
      try (PreparedStatement select = connection.prepareStatement(SELECT_DELIVERIES + where)) {
        int next = 1;
        select.setString(next++, hookId);
        if (beforeSequence != null) {
          select.setLong(next++, beforeSequence);
        }
        select.setInt(next, limit);
        try (ResultSet row = select.executeQuery()) {
          while (row.next()) {
            deliveries.add(readDelivery(row));
          }
        }
      }
      return deliveries;
    });
  }

  private static void bindHook(PreparedStatement statement, WebhookRecord hook)
      throws SQLException {
    statement.setString(1, hook.id());
    statement.setString(2, hook.projectId());
    statement.setString(3, hook.url());
    statement.setString(4, hook.events().stream().map(WebhookEventType::wireName).sorted()
        .collect(Collectors.joining(",")));
    statement.setString(5, hook.secret());
    statement.setString(6, hook.previousSecret());
    setMillis(statement, 7, hook.previousSecretUntil());
    statement.setString(8, hook.description());
    statement.setBoolean(9, hook.includeContent());
    statement.setBoolean(10, hook.enabled());
    statement.setString(11, hook.disabledReason());
    setMillis(statement, 12, hook.disabledAt());
    statement.setInt(13, hook.consecutiveFailures());
    statement.setLong(14, hook.createdAt().toEpochMilli());
    statement.setLong(15, hook.updatedAt().toEpochMilli());
    statement.setLong(16, hook.version());
  }

  private WebhookRecord readHook(ResultSet row) throws SQLException {
    String id = row.getString(1);
    try {
      Set<WebhookEventType> events = EnumSet.noneOf(WebhookEventType.class);
      Arrays.stream(row.getString(4).split(",")).map(WebhookEventType::ofWireName)
          .forEach(events::add);
      return new WebhookRecord(id, row.getString(2), row.getString(3), events, row.getString(5),
          row.getString(6), millis(row, 7), row.getString(8), row.getBoolean(9),
          row.getBoolean(10), row.getString(11), millis(row, 12), row.getInt(13),
          Instant.ofEpochMilli(row.getLong(14)), Instant.ofEpochMilli(row.getLong(15)),
          row.getLong(16));
    } catch (IllegalArgumentException e) {
      throw jdbc.corrupted("webhook " + id, e);
    }
  }

  private static void bindDelivery(PreparedStatement statement, DeliveryRecord delivery)
      throws SQLException {
    statement.setString(1, delivery.id());
    statement.setString(2, delivery.hookId());
    statement.setString(3, delivery.projectId());
    statement.setString(4, delivery.eventId());
    statement.setString(5, delivery.type().wireName());
    statement.setLong(6, delivery.sequence());
    statement.setString(7, delivery.payload());
    statement.setString(8, delivery.state().name());
    statement.setInt(9, delivery.attempts());
    statement.setLong(10, delivery.nextAttemptAt().toEpochMilli());
    if (delivery.lastStatus() == null) {
      statement.setNull(11, Types.INTEGER);
    } else {
      statement.setInt(11, delivery.lastStatus());
    }
    statement.setString(12, delivery.lastError());
    setMillis(statement, 13, delivery.lastAttemptAt());
    statement.setLong(14, delivery.lastMillis());
    statement.setLong(15, delivery.createdAt().toEpochMilli());
  }

  private DeliveryRecord readDelivery(ResultSet row) throws SQLException {
    String id = row.getString(1);
    try {
      int status = row.getInt(11);
      Integer lastStatus = row.wasNull() ? null : status;
      return new DeliveryRecord(id, row.getString(2), row.getString(3), row.getString(4),
          WebhookEventType.ofWireName(row.getString(5)), row.getLong(6), row.getString(7),
          DeliveryState.valueOf(row.getString(8)), row.getInt(9),
          Instant.ofEpochMilli(row.getLong(10)), lastStatus, row.getString(12), millis(row, 13),
          row.getLong(14), Instant.ofEpochMilli(row.getLong(15)));
    } catch (IllegalArgumentException e) {
      throw jdbc.corrupted("webhook delivery " + id, e);
    }
  }

  private static void setMillis(PreparedStatement statement, int index, @Nullable Instant at)
      throws SQLException {
    if (at == null) {
      statement.setNull(index, Types.BIGINT);
    } else {
      statement.setLong(index, at.toEpochMilli());
    }
  }

  private static @Nullable Instant millis(ResultSet row, int index) throws SQLException {
    long millis = row.getLong(index);
    return row.wasNull() ? null : Instant.ofEpochMilli(millis);
  }

  private static String marks(int count) {
    return String.join(", ", Collections.nCopies(count, "?"));
  }
}

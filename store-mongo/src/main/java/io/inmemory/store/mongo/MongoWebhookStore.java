package io.inmemory.store.mongo;

import static io.inmemory.store.mongo.Documents.AT;
import static io.inmemory.store.mongo.Documents.CHANGE;
import static io.inmemory.store.mongo.Documents.CREATED_AT;
import static io.inmemory.store.mongo.Documents.HOOK;
import static io.inmemory.store.mongo.Documents.MEMORY_ID;
import static io.inmemory.store.mongo.Documents.NAMESPACE;
import static io.inmemory.store.mongo.Documents.PENDING_EVENT;
import static io.inmemory.store.mongo.Documents.PROJECT_ID;
import static io.inmemory.store.mongo.Documents.SEQ;
import static io.inmemory.store.mongo.Documents.STATE;
import static io.inmemory.store.mongo.Documents.USER_ID;
import static io.inmemory.store.mongo.Documents.VERSION;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import io.inmemory.ConflictException;
import io.inmemory.StorageException;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.tenant.DeliveryRecord;
import io.inmemory.engine.tenant.DeliveryState;
import io.inmemory.engine.tenant.OutboxEvent;
import io.inmemory.engine.tenant.WebhookEventType;
import io.inmemory.engine.tenant.WebhookRecord;
import io.inmemory.engine.tenant.WebhookStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.conversions.Bson;
import org.jspecify.annotations.Nullable;

/**
 * The webhooks of a {@link MongoMemoryStore}: hooks in the {@value Schema#WEBHOOKS} collection,
 * deliveries in {@value Schema#WEBHOOK_DELIVERIES} ({@code _id} = the delivery id), leases and the
 * delivery sequence as documents of {@value Schema#META}. The outbox is the history: the store
 * writes an entry with {@code pe} (its position in the call) in the same upsert as the entry
 * itself (sparse index). Events come oldest first by their time; those of one call in the call's
 * order; those of different calls in the same millisecond in either order.
 *
 * <p><b>Visibility.</b> Without transactions an entry is written before its memory moves to its
 * version, so {@link #pendingEvents} returns a marked entry only once its memory's version has
 * reached the entry's: the change is complete and seen by readers. A marked entry still invisible
 * after the pending timeout is the orphan of a writer that died (or lost a race); its mark is
 * cleared and it is never an event. Clearing matches the entry's {@code change} token, so a newer
 * entry written over an orphan keeps its own mark. An event's id is {@code evt_} and a hash of the
 * entry's key (namespace, owner, memory id, version): stable, whichever process reads it.
 *
 * <p><b>Atomicity.</b> Each call's writes are idempotent and ordered so that a crash between two
 * of them is repaired by the next call: {@link #fanOut} stores the deliveries (unique ids) before
 * clearing the marks; {@link #recordAttempt} moves the hook (compare-and-set on its version)
 * before the delivery, so a crash between resends the attempt. Thread-safe (the driver's client
 * is); safe across processes.
 */
final class MongoWebhookStore implements WebhookStore {
  private static final String ID = "_id";
  private static final String OWNER = "owner";
  private static final String UNTIL = "until";
  private static final String LAST = "last";
  private static final String SEQUENCE_ID = "webhook-sequence";
  private static final String LEASE_PREFIX = "lease:";

  private final Connection connection;
  private final Duration pendingTimeout;
  private final MongoCollection<BsonDocument> hooks;
  private final MongoCollection<BsonDocument> deliveries;
  private final MongoCollection<BsonDocument> history;
  private final MongoCollection<BsonDocument> memories;
  private final MongoCollection<BsonDocument> meta;

  MongoWebhookStore(Connection connection, Duration pendingTimeout) {
    this.connection = connection;
    this.pendingTimeout = pendingTimeout;
    this.hooks = connection.collection(Schema.WEBHOOKS);
    this.deliveries = connection.collection(Schema.WEBHOOK_DELIVERIES);
    this.history = connection.collection(Schema.HISTORY);
    this.memories = connection.collection(Schema.MEMORIES);
    this.meta = connection.collection(Schema.META);
  }

  // ---------------------------------------------------------------- hooks

  @Override
  public void createHook(WebhookRecord hook) {
    connection.ensureOpen();
    try {
      hooks.insertOne(hookDocument(hook));
    } catch (RuntimeException e) {
      if (Connection.isDuplicateKey(e)) {
        throw new ConflictException("Webhook " + hook.id() + " already exists");
      }
      throw connection.failure("creating webhook " + hook.id(), e);
    }
  }

  @Override
  public Optional<WebhookRecord> hook(String id) {
    return Optional.ofNullable(connection.call("reading webhook " + id,
        () -> hooks.find(Filters.eq(ID, id)).first())).map(MongoWebhookStore::hook);
  }

  @Override
  public List<WebhookRecord> hooks(String projectId) {
    return hooksWhere("listing the webhooks of project " + projectId,
        Filters.eq(PROJECT_ID, projectId));
  }

  @Override
  public List<WebhookRecord> enabledHooks() {
    return hooksWhere("listing the enabled webhooks", Filters.eq("enabled", true));
  }

  @Override
  public boolean replaceHook(WebhookRecord expected, WebhookRecord next) {
    WebhookStore.requireSuccessor(expected, next);
    return replaceHook(next);
  }

  @Override
  public boolean deleteHook(String id) {
    return connection.call("deleting webhook " + id, () -> {
      boolean deleted = hooks.deleteOne(Filters.eq(ID, id)).getDeletedCount() > 0;
      deliveries.deleteMany(Filters.eq(HOOK, id));
      return deleted;
    });
  }

  // ---------------------------------------------------------------- events and deliveries

  @Override
  public List<OutboxEvent> pendingEvents(int limit, Instant now) {
    WebhookStore.requireLimit(limit);
    return connection.call("reading pending webhook events", () -> {
      // by time, then by call (no global order exists), then by position in the call
      List<BsonDocument> marked = history.find(Filters.exists(PENDING_EVENT))
          .sort(Sorts.ascending(AT, CHANGE, PENDING_EVENT)).limit(limit)
          .into(new ArrayList<>());
      Map<String, Integer> versions = memoryVersions(marked);
      Instant orphanedBefore = now.minus(pendingTimeout);
      List<OutboxEvent> events = new ArrayList<>();
      List<UpdateOneModel<BsonDocument>> orphans = new ArrayList<>();
      for (BsonDocument entry : marked) {
        int version = Documents.version(entry);
        Integer reached = versions.get(memoryKey(entry));
        if (reached != null && reached >= version) {
          events.add(event(entry));
        } else if (Documents.instant(entry, AT).isBefore(orphanedBefore)) {
          orphans.add(clearing(entry));
        }
      }
      if (!orphans.isEmpty()) {
        history.bulkWrite(orphans, new BulkWriteOptions().ordered(false));
      }
      return events;
    });
  }

  /** The versions of the memories of {@code entries}, by {@link #memoryKey}; one query each. */
  private Map<String, Integer> memoryVersions(List<BsonDocument> entries) {
    Map<PartitionKey, Set<String>> ids = new LinkedHashMap<>();
    for (BsonDocument entry : entries) {
      ids.computeIfAbsent(new PartitionKey(Documents.string(entry, NAMESPACE),
          Documents.string(entry, USER_ID)), key -> new HashSet<>())
          .add(Documents.string(entry, MEMORY_ID));
    }
    Map<String, Integer> versions = new HashMap<>();
    ids.forEach((partition, memoryIds) -> memories.find(Filters.and(
            Filters.eq(NAMESPACE, partition.namespace()), Filters.eq(USER_ID, partition.owner()),
            Filters.in(MEMORY_ID, memoryIds)))
        .projection(Projections.include(NAMESPACE, USER_ID, MEMORY_ID, VERSION))
        .forEach(memory -> versions.put(memoryKey(memory), Documents.version(memory))));
    return versions;
  }

  private static String memoryKey(BsonDocument document) {
    return Documents.string(document, NAMESPACE) + '\n' + Documents.string(document, USER_ID)
        + '\n' + Documents.string(document, MEMORY_ID);
  }

  /** The event of a marked entry; its token is the entry's key and change token. */
  private static OutboxEvent event(BsonDocument entry) {
    String key = memoryKey(entry) + '\n' + Documents.version(entry);
    String token = key + '\n' + Documents.string(entry, CHANGE);
    return new OutboxEvent("evt_" + sha256(key).substring(0, 32),
        Documents.string(entry, NAMESPACE), Documents.historyEntry(entry), token);
  }

  /** Clears the mark of {@code entry} if it is still the entry written with its token. */
  private static UpdateOneModel<BsonDocument> clearing(BsonDocument entry) {
    return new UpdateOneModel<>(Filters.and(Filters.eq(ID, entry.get(ID)),
        Filters.eq(CHANGE, Documents.string(entry, CHANGE))), Updates.unset(PENDING_EVENT));
  }

  /** Clears the mark of the entry {@code token} names, if it still carries that change. */
  private static UpdateOneModel<BsonDocument> clearing(String token) {
    String[] parts = token.split("\n", -1);
    if (parts.length != 5) {
      throw new IllegalArgumentException("not a token of this store: " + token);
    }
    Bson key = Filters.and(Documents.historyKey(parts[0], parts[1], parts[2],
        Integer.parseInt(parts[3])), Filters.eq(CHANGE, parts[4]));
    return new UpdateOneModel<>(key, Updates.unset(PENDING_EVENT));
  }

  @Override
  public void fanOut(List<OutboxEvent> done, List<DeliveryRecord> created) {
    List<UpdateOneModel<BsonDocument>> clear = done.stream().map(OutboxEvent::token)
        .map(MongoWebhookStore::clearing).toList();
    connection.run("fanning out " + done.size() + " webhook events", () -> {
      insertDeliveries(created);
      if (!clear.isEmpty()) {
        history.bulkWrite(clear, new BulkWriteOptions().ordered(false));
      }
    });
  }

  @Override
  public void enqueue(List<DeliveryRecord> created) {
    connection.run("enqueuing " + created.size() + " webhook deliveries",
        () -> insertDeliveries(created));
  }

  /** Inserts the deliveries whose hook exists; ids stored already are skipped. */
  private void insertDeliveries(List<DeliveryRecord> created) {
    Set<String> hookIds = new HashSet<>();
    created.forEach(delivery -> hookIds.add(delivery.hookId()));
    Set<String> existing = new HashSet<>();
    hooks.find(Filters.in(ID, hookIds)).projection(Projections.include(ID))
        .forEach(hook -> existing.add(hook.getString(ID).getValue()));
    List<BsonDocument> documents = created.stream()
        .filter(delivery -> existing.contains(delivery.hookId()))
        .map(MongoWebhookStore::deliveryDocument).toList();
    if (documents.isEmpty()) {
      return;
    }
    try {
      deliveries.insertMany(documents, new InsertManyOptions().ordered(false));
    } catch (MongoBulkWriteException e) {
      for (BulkWriteError error : e.getWriteErrors()) {
        if (error.getCategory() != ErrorCategory.DUPLICATE_KEY) {
          throw e;
        }
      }
    }
  }

  @Override
  public Optional<DeliveryRecord> head(String hookId) {
    return connection.call("reading the next delivery of webhook " + hookId, () -> Optional
        .ofNullable(deliveries.find(Filters.and(Filters.eq(HOOK, hookId),
            Filters.eq(STATE, DeliveryState.PENDING.name()))).sort(Sorts.ascending(SEQ))
            .first()).map(MongoWebhookStore::delivery));
  }

  @Override
  public boolean recordAttempt(DeliveryRecord next, WebhookRecord hookNext, String leaseOwner) {
    WebhookStore.requireDeliveryOf(next, hookNext);
    return connection.call("recording an attempt of delivery " + next.id(), () -> {
      BsonDocument lease = meta.find(Filters.eq(ID,
          LEASE_PREFIX + WebhookStore.hookLease(hookNext.id()))).first();
      if (lease == null || !Documents.string(lease, OWNER).equals(leaseOwner)
          || deliveries.find(Filters.eq(ID, next.id())).first() == null
          || !replaceHook(hookNext)) {
        return false;
      }
      return deliveries.replaceOne(Filters.eq(ID, next.id()), deliveryDocument(next))
          .getMatchedCount() > 0;
    });
  }

  @Override
  public List<DeliveryRecord> deliveries(String hookId, @Nullable Long beforeSequence,
      int limit) {
    WebhookStore.requireLimit(limit);
    Bson filter = beforeSequence == null ? Filters.eq(HOOK, hookId)
        : Filters.and(Filters.eq(HOOK, hookId), Filters.lt(SEQ, beforeSequence));
    return connection.call("listing the deliveries of webhook " + hookId, () -> deliveries
        .find(filter).sort(Sorts.descending(SEQ)).limit(limit).map(MongoWebhookStore::delivery)
        .into(new ArrayList<>()));
  }

  @Override
  public long nextSequences(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be positive, got " + count);
    }
    BsonDocument after = connection.call("reserving delivery sequence numbers",
        () -> meta.findOneAndUpdate(Filters.eq(ID, SEQUENCE_ID), Updates.inc(LAST, (long) count),
            new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER)));
    return after.getNumber(LAST).longValue() - count + 1;
  }

  @Override
  public int purge(Instant deliveredBefore, Instant pendingBefore) {
    return connection.call("purging webhook deliveries", () -> {
      List<String> disabled = new ArrayList<>();
      hooks.find(Filters.eq("enabled", false)).projection(Projections.include(ID))
          .forEach(hook -> disabled.add(hook.getString(ID).getValue()));
      long deleted = deliveries.deleteMany(Filters.and(
          Filters.eq(STATE, DeliveryState.DELIVERED.name()),
          Filters.lt("lastAttemptAt", Documents.date(deliveredBefore)))).getDeletedCount();
      long expired = disabled.isEmpty() ? 0 : deliveries.updateMany(Filters.and(
          Filters.eq(STATE, DeliveryState.PENDING.name()), Filters.in(HOOK, disabled),
          Filters.lt(CREATED_AT, Documents.date(pendingBefore))),
          Updates.set(STATE, DeliveryState.EXPIRED.name())).getModifiedCount();
      return (int) (deleted + expired);
    });
  }

  // ---------------------------------------------------------------- leases

  @Override
  public boolean claim(String name, String owner, Instant until, Instant now) {
    WebhookStore.requireLease(name, owner);
    connection.ensureOpen();
    try {
      meta.updateOne(Filters.and(Filters.eq(ID, LEASE_PREFIX + name), Filters.or(
              Filters.eq(OWNER, owner), Filters.lt(UNTIL, Documents.date(now)))),
          Updates.combine(Updates.set(OWNER, owner), Updates.set(UNTIL, Documents.date(until))),
          new UpdateOptions().upsert(true));
      return true;
    } catch (RuntimeException e) {
      if (Connection.isDuplicateKey(e)) {
        return false; // held by another: the upsert collided with its document
      }
      throw connection.failure("claiming lease " + name, e);
    }
  }

  @Override
  public void release(String name, String owner) {
    WebhookStore.requireLease(name, owner);
    connection.run("releasing lease " + name, () -> meta.deleteOne(Filters.and(
        Filters.eq(ID, LEASE_PREFIX + name), Filters.eq(OWNER, owner))));
  }

  // ---------------------------------------------------------------- documents

  /** Replaces the hook if the stored one is {@code next}'s previous version. */
  private boolean replaceHook(WebhookRecord next) {
    return connection.call("replacing webhook " + next.id(), () -> hooks.replaceOne(
        Filters.and(Filters.eq(ID, next.id()), Filters.eq(VERSION, next.version() - 1)),
        hookDocument(next)).getMatchedCount() > 0);
  }

  private List<WebhookRecord> hooksWhere(String what, Bson filter) {
    return connection.call(what, () -> hooks.find(filter)
        .sort(Sorts.ascending(CREATED_AT, ID)).map(MongoWebhookStore::hook)
        .into(new ArrayList<>()));
  }

  private static BsonDocument hookDocument(WebhookRecord hook) {
    BsonDocument document = new BsonDocument(ID, new BsonString(hook.id()))
        .append(PROJECT_ID, new BsonString(hook.projectId()))
        .append("url", new BsonString(hook.url()))
        .append("events", new BsonArray(hook.events().stream().map(WebhookEventType::wireName)
            .sorted().<BsonValue>map(BsonString::new).toList()))
        .append("secret", new BsonString(hook.secret()))
        .append("includeContent", BsonBoolean.valueOf(hook.includeContent()))
        .append("enabled", BsonBoolean.valueOf(hook.enabled()))
        .append("consecutiveFailures", new BsonInt32(hook.consecutiveFailures()))
        .append(CREATED_AT, Documents.date(hook.createdAt()))
        .append("updatedAt", Documents.date(hook.updatedAt()))
        .append(VERSION, new BsonInt64(hook.version()));
    Documents.putIfPresent(document, "previousSecret", hook.previousSecret());
    Documents.putIfPresent(document, "previousSecretUntil", hook.previousSecretUntil());
    Documents.putIfPresent(document, "description", hook.description());
    Documents.putIfPresent(document, "disabledReason", hook.disabledReason());
    Documents.putIfPresent(document, "disabledAt", hook.disabledAt());
    return document;
  }

  private static WebhookRecord hook(BsonDocument document) {
    Set<WebhookEventType> events = EnumSet.noneOf(WebhookEventType.class);
    try {
      Documents.stringList(document, "events").forEach(name -> events.add(
          WebhookEventType.ofWireName(name)));
      return new WebhookRecord(Documents.string(document, ID),
          Documents.string(document, PROJECT_ID), Documents.string(document, "url"), events,
          Documents.string(document, "secret"), Documents.optionalString(document,
          "previousSecret"), Documents.optionalInstant(document, "previousSecretUntil"),
          Documents.optionalString(document, "description"),
          Documents.field(document, "includeContent").asBoolean().getValue(),
          Documents.field(document, "enabled").asBoolean().getValue(),
          Documents.optionalString(document, "disabledReason"),
          Documents.optionalInstant(document, "disabledAt"),
          Documents.field(document, "consecutiveFailures").asNumber().intValue(),
          Documents.instant(document, CREATED_AT), Documents.instant(document, "updatedAt"),
          Documents.field(document, VERSION).asNumber().longValue());
    } catch (IllegalArgumentException e) {
      throw new StorageException("A webhook document in MongoDB is invalid ("
          + e.getMessage() + "); restore it from a backup or remove it.", e);
    }
  }

  private static BsonDocument deliveryDocument(DeliveryRecord delivery) {
    BsonDocument document = new BsonDocument(ID, new BsonString(delivery.id()))
        .append(HOOK, new BsonString(delivery.hookId()))
        .append(PROJECT_ID, new BsonString(delivery.projectId()))
        .append("eventId", new BsonString(delivery.eventId()))
        .append("type", new BsonString(delivery.type().wireName()))
        .append(SEQ, new BsonInt64(delivery.sequence()))
        .append("payload", new BsonString(delivery.payload()))
        .append(STATE, new BsonString(delivery.state().name()))
        .append("attempts", new BsonInt32(delivery.attempts()))
        .append("nextAttemptAt", Documents.date(delivery.nextAttemptAt()))
        .append("lastMillis", new BsonInt64(delivery.lastMillis()))
        .append(CREATED_AT, Documents.date(delivery.createdAt()));
    if (delivery.lastStatus() != null) {
      document.append("lastStatus", new BsonInt32(delivery.lastStatus()));
    }
    Documents.putIfPresent(document, "lastError", delivery.lastError());
    Documents.putIfPresent(document, "lastAttemptAt", delivery.lastAttemptAt());
    return document;
  }

  private static DeliveryRecord delivery(BsonDocument document) {
    try {
      BsonValue status = document.get("lastStatus");
      return new DeliveryRecord(Documents.string(document, ID), Documents.string(document, HOOK),
          Documents.string(document, PROJECT_ID), Documents.string(document, "eventId"),
          WebhookEventType.ofWireName(Documents.string(document, "type")),
          Documents.field(document, SEQ).asNumber().longValue(),
          Documents.string(document, "payload"),
          DeliveryState.valueOf(Documents.string(document, STATE)),
          Documents.field(document, "attempts").asNumber().intValue(),
          Documents.instant(document, "nextAttemptAt"),
          status == null || status.isNull() ? null : status.asNumber().intValue(),
          Documents.optionalString(document, "lastError"),
          Documents.optionalInstant(document, "lastAttemptAt"),
          Documents.field(document, "lastMillis").asNumber().longValue(),
          Documents.instant(document, CREATED_AT));
    } catch (IllegalArgumentException e) {
      throw new StorageException("A webhook delivery document in MongoDB is invalid ("
          + e.getMessage() + "); restore it from a backup or remove it.", e);
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has SHA-256", e);
    }
  }
}

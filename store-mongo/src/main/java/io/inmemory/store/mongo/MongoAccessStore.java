package io.inmemory.store.mongo;

import static io.inmemory.store.mongo.Documents.CREATED_AT;
import static io.inmemory.store.mongo.Documents.HASH;
import static io.inmemory.store.mongo.Documents.ID;
import static io.inmemory.store.mongo.Documents.LAST_USED_AT;
import static io.inmemory.store.mongo.Documents.PROJECT_ID;
import static io.inmemory.store.mongo.Documents.REVOKED_AT;
import static io.inmemory.store.mongo.Documents.USAGE_COUNT;

import com.mongodb.MongoException;
import com.mongodb.ReadPreference;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import io.inmemory.ConflictException;
import io.inmemory.NotFoundException;
import io.inmemory.engine.tenant.AccessStore;
import io.inmemory.engine.tenant.ApiKeyRecord;
import io.inmemory.engine.tenant.IdempotencyStore;
import io.inmemory.engine.tenant.WebhookStore;
import io.inmemory.engine.tenant.KeyUsage;
import io.inmemory.engine.tenant.Project;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.bson.BsonDocument;
import org.bson.conversions.Bson;

/**
 * Projects and API keys in the {@code projects} and {@code api_keys} collections, one document
 * each, keyed by id; key hashes have a unique index. Every write is a single-document operation
 * (atomic in MongoDB), with the store's write concern. Keys and the access version are read from
 * the primary whatever the URI's read preference, so a revocation is seen by the next read.
 * A revocation bumps the access version ({@code inmemory_meta}, {@code _id: "access"}) in a second
 * write: a process dying between the two leaves its revocation to the other processes' key-cache
 * time-to-live. Idempotency records: see {@link MongoIdempotencyStore}. Thread-safe.
 */
final class MongoAccessStore implements AccessStore {
  private static final Bson CREATION_ORDER = Sorts.ascending(CREATED_AT, ID);
  private static final String ACCESS_ID = "access";

  private final Connection connection;
  private final MongoCollection<BsonDocument> projects;
  private final MongoCollection<BsonDocument> keys;
  private final MongoCollection<BsonDocument> meta;
  private final Optional<IdempotencyStore> idempotency;
  private final Optional<WebhookStore> webhooks;

  MongoAccessStore(Connection connection, WebhookStore webhooks) {
    this.webhooks = Optional.of(webhooks);
    this.connection = connection;
    this.projects = connection.collection(Schema.PROJECTS);
    this.keys = connection.collection(Schema.API_KEYS)
        .withReadPreference(ReadPreference.primary());
    this.meta = connection.collection(Schema.META).withReadPreference(ReadPreference.primary());
    this.idempotency = Optional.of(new MongoIdempotencyStore(connection));
  }

  @Override
  public void createProject(Project project) {
    connection.ensureOpen();
    try {
      projects.insertOne(Documents.project(project));
    } catch (MongoException e) {
      if (Connection.isDuplicateKey(e)) {
        throw new ConflictException("project " + project.id() + " already exists");
      }
      throw connection.failure("creating project " + project.id(), e);
    }
  }

  @Override
  public Optional<Project> project(String id) {
    return connection.call("reading project " + id, () ->
        Optional.ofNullable(projects.find(Filters.eq(ID, id)).first()).map(Documents::project));
  }

  @Override
  public List<Project> projects() {
    return connection.call("listing projects", () ->
        projects.find().sort(CREATION_ORDER).map(Documents::project).into(new ArrayList<>()));
  }

  @Override
  public void createKey(ApiKeyRecord key) {
    if (project(key.projectId()).isEmpty()) {
      throw new NotFoundException("project " + key.projectId() + " does not exist");
    }
    try {
      keys.insertOne(Documents.key(key));
    } catch (MongoException e) {
      if (!Connection.isDuplicateKey(e)) {
        throw connection.failure("creating API key " + key.id(), e);
      }
      throw new ConflictException(key(key.id()).isPresent()
          ? "API key " + key.id() + " already exists"
          : "an API key with the same hash already exists");
    }
  }

  @Override
  public Optional<ApiKeyRecord> keyByHash(String hash) {
    return findKey("reading an API key by hash", Filters.eq(HASH, hash));
  }

  @Override
  public Optional<ApiKeyRecord> key(String id) {
    return findKey("reading API key " + id, Filters.eq(ID, id));
  }

  @Override
  public List<ApiKeyRecord> keys(String projectId) {
    return connection.call("listing the API keys of project " + projectId, () ->
        keys.find(Filters.eq(PROJECT_ID, projectId)).sort(CREATION_ORDER).map(Documents::key)
            .into(new ArrayList<>()));
  }

  /** One conditional update: only a key without a revocation time gets one. */
  @Override
  public Optional<ApiKeyRecord> revokeKey(String id, Instant at) {
    BsonDocument revoked = connection.call("revoking API key " + id, () -> keys.findOneAndUpdate(
        Filters.and(Filters.eq(ID, id), Filters.exists(REVOKED_AT, false)),
        Updates.set(REVOKED_AT, Documents.date(at)),
        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER)));
    if (revoked == null) {
      return key(id);
    }
    connection.run("announcing the revocation of API key " + id, () -> meta.updateOne(
        Filters.eq(ID, ACCESS_ID), Updates.inc(Schema.VERSION_FIELD, 1L),
        new UpdateOptions().upsert(true)));
    return Optional.of(Documents.key(revoked));
  }

  /** {@code inmemory_meta}'s {@code access} document; 0 before the first revocation. */
  @Override
  public OptionalLong accessVersion() {
    return connection.call("reading the access version", () -> {
      BsonDocument found = meta.find(Filters.eq(ID, ACCESS_ID)).first();
      return OptionalLong.of(found == null ? 0 : found.getNumber(Schema.VERSION_FIELD).longValue());
    });
  }

  /**
   * Reports are first summed per key, then applied in one bulk write of one {@code $inc} +
   * {@code $max} update per key, so concurrent reports never lose a count.
   */
  @Override
  public void recordUsage(List<KeyUsage> usages) {
    connection.ensureOpen();
    List<KeyUsage> perKey = KeyUsage.perKey(usages);
    if (perKey.isEmpty()) {
      return;
    }
    List<UpdateOneModel<BsonDocument>> updates = perKey.stream()
        .map(usage -> new UpdateOneModel<BsonDocument>(Filters.eq(ID, usage.keyId()),
            Updates.combine(Updates.inc(USAGE_COUNT, usage.uses()),
                Updates.max(LAST_USED_AT, Documents.date(usage.lastUsedAt())))))
        .toList();
    connection.run("recording the usage of " + perKey.size() + " API keys",
        () -> keys.bulkWrite(updates, new BulkWriteOptions().ordered(false)));
  }

  /** Kept in the database, so shared by every process using it. */
  @Override
  public Optional<IdempotencyStore> idempotency() {
    return idempotency;
  }
  /** The webhooks, in the same database (see {@link MongoWebhookStore}). */
  @Override
  public Optional<WebhookStore> webhooks() {
    return webhooks;
  }


  private Optional<ApiKeyRecord> findKey(String what, Bson filter) {
    return connection.call(what, () ->
        Optional.ofNullable(keys.find(filter).first()).map(Documents::key));
  }
}

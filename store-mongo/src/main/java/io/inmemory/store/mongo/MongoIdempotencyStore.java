package io.inmemory.store.mongo;

import static io.inmemory.store.mongo.Documents.EXPIRES_AT;

import com.mongodb.MongoException;
import com.mongodb.ReadPreference;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Updates;
import io.inmemory.StorageException;
import io.inmemory.engine.tenant.IdempotencyId;
import io.inmemory.engine.tenant.IdempotencyRecord;
import io.inmemory.engine.tenant.IdempotencyRecord.State;
import io.inmemory.engine.tenant.IdempotencyStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bson.BsonBinary;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInvalidOperationException;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.conversions.Bson;
import org.jspecify.annotations.Nullable;

/**
 * Idempotency records in the {@value Schema#IDEMPOTENCY} collection, one document each with
 * {@code _id} = scope + ":" + key (project ids hold no ':', so the split is unambiguous). Every
 * call is one single-document operation, atomic in MongoDB; the unique {@code _id} decides which
 * of two racing claims wins, in any process. Reads go to the primary whatever the URI's read
 * preference, so a claim sees every claim before it. Expiry is checked on every read: MongoDB's
 * TTL index ({@code idempotency_ttl}) deletes expired documents only every 60 s or so, and
 * stand-ins may never do it ({@link #purgeExpired} does then). Thread-safe.
 */
final class MongoIdempotencyStore implements IdempotencyStore {
  static final String FINGERPRINT = "fp";
  static final String STATE = "state";
  static final String OWNER = "owner";
  static final String CREATED_AT = "createdAt";
  static final String LEASE_UNTIL = "leaseUntil";
  static final String ANSWER = "answer";
  private static final String ID = "_id";
  /** A claim is retried this often when the record it lost to lapsed before it could be read. */
  private static final int CLAIM_ATTEMPTS = 5;

  private final Connection connection;
  private final MongoCollection<BsonDocument> records;

  MongoIdempotencyStore(Connection connection) {
    this.connection = connection;
    this.records = connection.collection(Schema.IDEMPOTENCY)
        .withReadPreference(ReadPreference.primary());
  }

  @Override
  public Optional<IdempotencyRecord> claim(IdempotencyRecord pending, Instant now) {
    IdempotencyStore.requirePending(pending);
    IdempotencyId id = pending.id();
    String what = "claiming idempotency key " + id.key();
    for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      if (insert(pending, what)) {
        return Optional.empty();
      }
      BsonDateTime at = date(now);
      Bson lapsed = Filters.and(Filters.eq(ID, documentId(id)), Filters.or(
          Filters.lt(EXPIRES_AT, at),
          Filters.and(Filters.eq(STATE, State.PENDING.name()), Filters.lt(LEASE_UNTIL, at))));
      if (connection.call(what, () -> records.findOneAndReplace(lapsed, document(pending)))
          != null) {
        return Optional.empty();
      }
      Optional<IdempotencyRecord> winner = find(id, now);
      if (winner.isPresent()) {
        return winner;
      }
    }
    throw new StorageException("Could not claim idempotency key " + id.key() + " in MongoDB "
        + connection.location() + " in " + CLAIM_ATTEMPTS + " attempts: each time another claim"
        + " took it and lapsed at once");
  }

  /** Inserts the claim; false when a document holds its id. */
  private boolean insert(IdempotencyRecord pending, String what) {
    connection.ensureOpen();
    try {
      records.insertOne(document(pending));
      return true;
    } catch (MongoException e) {
      if (Connection.isDuplicateKey(e)) {
        return false;
      }
      throw connection.failure(what, e);
    }
  }

  @Override
  public boolean complete(IdempotencyId id, String owner, byte @Nullable [] answer,
      Instant expiresAt) {
    Bson keep = answer == null ? Updates.unset(ANSWER)
        : Updates.set(ANSWER, new BsonBinary(IdempotencyRecord.checkedAnswer(answer)));
    return updateClaim("completing idempotency key " + id.key(), id, owner, Updates.combine(
        Updates.set(STATE, State.DONE.name()), Updates.set(EXPIRES_AT, date(expiresAt)), keep));
  }

  @Override
  public boolean renew(IdempotencyId id, String owner, Instant leaseUntil) {
    return updateClaim("renewing idempotency key " + id.key(), id, owner,
        Updates.set(LEASE_UNTIL, date(leaseUntil)));
  }

  @Override
  public void release(IdempotencyId id, String owner) {
    connection.run("releasing idempotency key " + id.key(),
        () -> records.deleteOne(claimOf(id, owner)));
  }

  @Override
  public Optional<IdempotencyRecord> find(IdempotencyId id, Instant now) {
    BsonDocument found = connection.call("reading idempotency key " + id.key(),
        () -> records.find(Filters.eq(ID, documentId(id))).first());
    return Optional.ofNullable(found).map(document -> record(id, document))
        .filter(record -> record.isLiveAt(now));
  }

  /** Deletes by id what a first query found, since {@code deleteMany} takes no limit. */
  @Override
  public int purgeExpired(Instant now, int limit) {
    IdempotencyStore.requirePositiveLimit(limit);
    Bson expired = Filters.lt(EXPIRES_AT, date(now));
    return connection.call("purging expired idempotency records", () -> {
      List<BsonValue> ids = records.find(expired).projection(Projections.include(ID)).limit(limit)
          .map(document -> document.get(ID)).into(new ArrayList<>());
      // the filter again: a document replaced by a new claim meanwhile stays
      return ids.isEmpty() ? 0
          : (int) records.deleteMany(Filters.and(Filters.in(ID, ids), expired)).getDeletedCount();
    });
  }

  private boolean updateClaim(String what, IdempotencyId id, String owner, Bson update) {
    return connection.call(what,
        () -> records.updateOne(claimOf(id, owner), update).getMatchedCount() == 1);
  }

  private static Bson claimOf(IdempotencyId id, String owner) {
    return Filters.and(Filters.eq(ID, documentId(id)), Filters.eq(OWNER, owner),
        Filters.eq(STATE, State.PENDING.name()));
  }

  private static String documentId(IdempotencyId id) {
    return id.scope() + ":" + id.key();
  }

  private static BsonDateTime date(Instant instant) {
    return new BsonDateTime(instant.toEpochMilli());
  }

  private static BsonDocument document(IdempotencyRecord record) {
    BsonDocument document = new BsonDocument(ID, new BsonString(documentId(record.id())))
        .append(FINGERPRINT, new BsonBinary(record.fingerprint()))
        .append(STATE, new BsonString(record.state().name()))
        .append(OWNER, new BsonString(record.owner()))
        .append(CREATED_AT, date(record.createdAt()))
        .append(LEASE_UNTIL, date(record.leaseUntil()))
        .append(EXPIRES_AT, date(record.expiresAt()));
    byte[] answer = record.answer();
    if (answer != null) {
      document.append(ANSWER, new BsonBinary(answer));
    }
    return document;
  }

  private IdempotencyRecord record(IdempotencyId id, BsonDocument document) {
    try {
      return new IdempotencyRecord(id, document.getBinary(FINGERPRINT).getData(),
          State.valueOf(document.getString(STATE).getValue()),
          document.getString(OWNER).getValue(), instant(document, CREATED_AT),
          instant(document, LEASE_UNTIL), instant(document, EXPIRES_AT),
          document.containsKey(ANSWER) ? document.getBinary(ANSWER).getData() : null);
    } catch (IllegalArgumentException | BsonInvalidOperationException e) {
      throw new StorageException("MongoDB " + connection.location() + " holds an invalid"
          + " idempotency record " + documentId(id) + " (" + e.getMessage() + "); it was changed"
          + " outside InMemory or is damaged: delete that document", e);
    }
  }

  private static Instant instant(BsonDocument document, String field) {
    return Instant.ofEpochMilli(document.getDateTime(field).getValue());
  }
}

package io.inmemory.store.mongo;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoServerException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteException;
import com.mongodb.ServerAddress;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.connection.ClusterType;
import io.inmemory.StorageException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.bson.BSONException;
import org.bson.BsonDocument;
import org.jspecify.annotations.Nullable;

/**
 * The client, database and write concern a store works with, the store's open/closed state, and
 * the translation of driver failures into {@link StorageException}s that say what was tried,
 * where (hosts and database, never credentials) and what to check. Thread-safe.
 */
final class Connection {
  /** MongoDB's duplicate key error. */
  static final int DUPLICATE_KEY = 11000;

  private final MongoClient client;
  private final boolean ownsClient;
  private final MongoDatabase database;
  private final WriteConcern writeConcern;
  private final String location;
  private volatile boolean closed;

  Connection(MongoClient client, boolean ownsClient, String databaseName,
      WriteConcern writeConcern) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.writeConcern = writeConcern;
    this.database = client.getDatabase(databaseName).withWriteConcern(writeConcern);
    String hosts = client.getClusterDescription().getClusterSettings().getHosts().stream()
        .map(ServerAddress::toString).collect(Collectors.joining(","));
    this.location = "database '" + databaseName + "' at " + hosts;
  }

  MongoCollection<BsonDocument> collection(String name) {
    return database.getCollection(name, BsonDocument.class);
  }

  MongoDatabase database() {
    return database;
  }

  /** The kind of deployment the driver found (known once a command has succeeded). */
  ClusterType clusterType() {
    return client.getClusterDescription().getType();
  }

  /** Where the data lives: database and hosts, no credentials. */
  String location() {
    return location;
  }

  WriteConcern writeConcern() {
    return writeConcern;
  }

  void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the MongoDB store (" + location + ") is closed");
    }
  }

  /** Runs {@code operation} if open, turning driver failures into {@link StorageException}s. */
  <T extends @Nullable Object> T call(String what, Supplier<T> operation) {
    ensureOpen();
    try {
      return operation.get();
    } catch (MongoException | BSONException e) {
      throw failure(what, e);
    }
  }

  void run(String what, Runnable operation) {
    call(what, () -> {
      operation.run();
      return null;
    });
  }

  /** A {@link StorageException} for a failed {@code what}, saying what to check. */
  StorageException failure(String what, RuntimeException e) {
    String advice;
    if (e instanceof MongoTimeoutException || e instanceof MongoSocketException) {
      advice = "MongoDB could not be reached: check that it is running and reachable from this"
          + " machine, and that " + MongoStoreSettings.URI.name() + " names it";
    } else if (e instanceof MongoSecurityException) {
      advice = "MongoDB refused the credentials: check the user, password and authSource in "
          + MongoStoreSettings.URI.name();
    } else if (isTooLarge(e)) {
      advice = "the document would exceed MongoDB's 16 MB limit (" + e.getMessage() + "); see"
          + " the size bounds in the inmemory-store-mongo README";
    } else if (e instanceof MongoServerException server) {
      advice = "MongoDB answered error " + server.getCode() + ": " + e.getMessage();
    } else {
      advice = e.getMessage();
    }
    return new StorageException("Failed " + what + " in MongoDB " + location + ": " + advice,
        e);
  }

  /** Whether the failure is a unique index violation. */
  static boolean isDuplicateKey(RuntimeException e) {
    if (e instanceof MongoWriteException write) {
      return write.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
    }
    if (e instanceof MongoBulkWriteException bulk) {
      return bulk.getWriteErrors().stream()
          .anyMatch(error -> error.getCategory() == ErrorCategory.DUPLICATE_KEY);
    }
    return e instanceof MongoServerException server && server.getCode() == DUPLICATE_KEY;
  }

  /** Whether the failure is a document over the BSON size limit (codes 10334, 17419, 17420). */
  static boolean isTooLarge(RuntimeException e) {
    if (e instanceof BSONException) {
      return true;
    }
    int code = e instanceof MongoWriteException write ? write.getError().getCode()
        : e instanceof MongoBulkWriteException bulk && !bulk.getWriteErrors().isEmpty()
            ? bulk.getWriteErrors().get(0).getCode()
            : e instanceof MongoServerException server ? server.getCode() : 0;
    return code == 10334 || code == 17419 || code == 17420;
  }

  /** Idempotent; closes the client only if the store created it. */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (ownsClient) {
      client.close();
    }
  }
}

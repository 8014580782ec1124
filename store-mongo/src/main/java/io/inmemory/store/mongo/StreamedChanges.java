package io.inmemory.store.mongo;

import com.mongodb.MongoException;
import com.mongodb.MongoServerException;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.client.model.changestream.FullDocument;
import io.inmemory.engine.spi.Change;
import io.inmemory.engine.spi.ChangeBatch;
import io.inmemory.engine.spi.ChangeReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reader of the change-stream-mode {@value ChangeLog#COLLECTION} collection through a MongoDB
 * change stream of its inserts and updates (the records are tiny, so each update brings the record
 * looked up). Its position is the stream's resume token. A record inserted pending is held until
 * the update that settles it arrives, or delivered with a WARN past the pending timeout. When the
 * stream's history is lost (the oplog rolled past the token: errors 286 and 280), it reports
 * {@linkplain ChangeBatch#trimmed() trimmed} and starts again at the present. Not thread-safe.
 */
final class StreamedChanges implements ChangeReader {
  /** ChangeStreamHistoryLost and ChangeStreamFatalError: the position can no longer be resumed. */
  private static final Set<Integer> HISTORY_LOST = Set.of(286, 280);
  /** How long one round trip to the server waits for an event (a real server blocks). */
  private static final Duration AWAIT = Duration.ofMillis(200);
  /** How long to pause when the server answered at once with nothing (the stand-in does). */
  private static final long IDLE_PAUSE_MILLIS = 20;
  private static final Logger LOG = LoggerFactory.getLogger(StreamedChanges.class);

  private final ChangeLog log;
  private final PendingChanges<BsonValue> pending;
  /** Records delivered past the timeout, so their late settling is not delivered again. */
  private final Set<BsonValue> deliveredPending = new HashSet<>();
  private @Nullable BsonDocument resumeToken;
  private @Nullable MongoChangeStreamCursor<ChangeStreamDocument<BsonDocument>> cursor;
  private boolean closed;

  StreamedChanges(ChangeLog log) {
    this.log = log;
    this.pending = new PendingChanges<>(log.pendingTimeout());
    this.cursor = log.connection().call("opening a change stream on '" + ChangeLog.COLLECTION + "'",
        this::open);
  }

  private MongoChangeStreamCursor<ChangeStreamDocument<BsonDocument>> open() {
    var watch = log.collection().watch(List.of(Aggregates.match(
            Filters.in("operationType", List.of("insert", "update")))), BsonDocument.class)
        .fullDocument(FullDocument.UPDATE_LOOKUP)
        .maxAwaitTime(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (resumeToken != null) {
      watch = watch.resumeAfter(resumeToken);
    }
    MongoChangeStreamCursor<ChangeStreamDocument<BsonDocument>> opened = watch.cursor();
    if (resumeToken == null) {
      resumeToken = opened.getResumeToken();
    }
    return opened;
  }

  @Override
  public ChangeBatch next(int limit, Duration maxWait) {
    PendingChanges.checkRead(closed, limit);
    long deadline = System.nanoTime() + maxWait.toNanos();
    List<Change> delivered = new ArrayList<>();
    boolean trimmed = false;
    while (delivered.size() < limit) {
      long asked = System.nanoTime();
      ChangeStreamDocument<BsonDocument> event;
      try {
        if (cursor == null) {
          cursor = open();
        }
        event = cursor.tryNext();
      } catch (MongoException e) {
        closeCursor();
        if (e instanceof MongoServerException server && HISTORY_LOST.contains(server.getCode())) {
          LOG.warn("The change stream on '{}' of MongoDB {} lost its history past this reader's"
              + " position (error {}); starting again at the present", ChangeLog.COLLECTION,
              log.connection().location(), server.getCode());
          resumeToken = null;
          trimmed = true;
          continue;
        }
        if (!delivered.isEmpty() || trimmed) {
          break; // deliver what was read; the next call resumes after it and meets the error
        }
        throw log.connection().failure("reading the change stream on '" + ChangeLog.COLLECTION
            + "'", e);
      }
      if (event != null) {
        resumeToken = event.getResumeToken();
        trimmed |= accept(event, delivered);
        continue;
      }
      pending.expired(limit - delivered.size()).forEach((id, record) -> {
        deliveredPending.add(id);
        delivered.add(ChangeLog.change(record, ChangeLog.idText(id)));
      });
      long now = System.nanoTime();
      if (!delivered.isEmpty() || trimmed || now >= deadline) {
        break;
      }
      if (now - asked < TimeUnit.MILLISECONDS.toNanos(IDLE_PAUSE_MILLIS)) {
        pause(Math.min(IDLE_PAUSE_MILLIS, TimeUnit.NANOSECONDS.toMillis(deadline - now) + 1));
      }
    }
    return new ChangeBatch(delivered, trimmed);
  }

  /**
   * Holds a pending record, delivers a settled one (once), drops an aborted one.
   *
   * @return whether a settled record's content could not be read (trimmed before this reader
   *     looked it up), so what it changed is unknown
   */
  private boolean accept(ChangeStreamDocument<BsonDocument> event, List<Change> delivered) {
    BsonDocument current = event.getFullDocument(); // null when trimmed before the lookup
    BsonDocument key = event.getDocumentKey();
    // the stand-in's update events name the update, not the record, in documentKey
    BsonValue id = key != null && key.containsKey("_id") ? key.get("_id")
        : current != null ? current.get("_id") : null;
    BsonDocument updated = event.getUpdateDescription() == null ? null
        : event.getUpdateDescription().getUpdatedFields();
    String state = updated != null && updated.containsKey(ChangeLog.STATE)
        ? updated.getString(ChangeLog.STATE).getValue()
        : current != null ? current.getString(ChangeLog.STATE).getValue() : null;
    if (id == null || state == null) {
      return true;
    }
    if (ChangeLog.PENDING.equals(state)) {
      if (current != null) { // an insert: it always brings the record
        pending.hold(id, current);
      }
      return false;
    }
    BsonDocument held = pending.release(id);
    if (!ChangeLog.DONE.equals(state) || deliveredPending.remove(id)) {
      return false;
    }
    BsonDocument record = current != null ? current : held;
    if (record == null) {
      return true;
    }
    BsonDocument token = event.getResumeToken();
    delivered.add(ChangeLog.change(record, token.isString("_data")
        ? token.getString("_data").getValue() : token.toJson()));
    return false;
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean waits() {
    return true;
  }

  private void closeCursor() {
    if (cursor != null) {
      try {
        cursor.close();
      } catch (MongoException e) {
        LOG.debug("Closing a change stream cursor failed", e);
      }
      cursor = null;
    }
  }

  @Override
  public void close() {
    closed = true;
    closeCursor();
  }
}

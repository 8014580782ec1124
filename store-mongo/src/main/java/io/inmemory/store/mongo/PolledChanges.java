package io.inmemory.store.mongo;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import io.inmemory.engine.spi.Change;
import io.inmemory.engine.spi.ChangeBatch;
import io.inmemory.engine.spi.ChangeReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.BsonInt64;

/**
 * A reader of the log-mode {@value ChangeLog#COLLECTION} collection, polling it by {@code _id}. It
 * remembers the highest {@code _id} it examined and the pending records below it: a pending
 * record does not hold back the records after it (applying does not depend on order), it is
 * delivered once it settles {@code done}, dropped once {@code aborted}, and delivered with a WARN
 * when it stays pending past the pending timeout. Since allocation is gap-free, a jump in the
 * {@code _id}s means trimming. Not thread-safe.
 */
final class PolledChanges implements ChangeReader {
  private final ChangeLog log;
  private final MongoCollection<BsonDocument> changes;
  private final PendingChanges<Long> pending;
  /** The highest {@code _id} examined: every record up to it is delivered, skipped or pending. */
  private long examined;
  private boolean closed;

  /**
   * Starts at the head of the log, or below the oldest pending record there if there is one, so
   * that a write in flight when the reader opens is not missed.
   */
  PolledChanges(ChangeLog log) {
    this.log = log;
    this.changes = log.collection();
    this.pending = new PendingChanges<>(log.pendingTimeout());
    this.examined = log.connection().call("opening a reader of '" + ChangeLog.COLLECTION + "'",
        this::start);
  }

  private long start() {
    long head = log.head();
    BsonDocument oldestPending = changes.find(Filters.eq(ChangeLog.STATE, ChangeLog.PENDING))
        .sort(Sorts.ascending("_id")).limit(1).first();
    return oldestPending == null ? head
        : Math.min(head, oldestPending.getNumber("_id").longValue() - 1);
  }

  @Override
  public ChangeBatch next(int limit, Duration maxWait) {
    PendingChanges.checkRead(closed, limit);
    return log.connection().call("reading '" + ChangeLog.COLLECTION + "'", () -> poll(limit));
  }

  /** Reads first and changes the reader's state after, so a failed read loses nothing. */
  private ChangeBatch poll(int limit) {
    Map<Long, BsonDocument> settling = new HashMap<>();
    if (!pending.isEmpty()) {
      changes.find(Filters.in("_id", pending.ids())).forEach(record ->
          settling.put(record.getNumber("_id").longValue(), record));
    }
    List<BsonDocument> fresh = changes.find(Filters.gt("_id", new BsonInt64(examined)))
        .sort(Sorts.ascending("_id")).limit(limit).into(new ArrayList<>());
    List<Change> delivered = new ArrayList<>();
    boolean trimmed = false;
    for (Long id : pending.ids()) {
      if (delivered.size() >= limit) {
        break;
      }
      BsonDocument record = settling.get(id);
      String state = record == null ? null : record.getString(ChangeLog.STATE).getValue();
      if (!ChangeLog.PENDING.equals(state)) {
        pending.release(id);
      }
      if (record == null) {
        trimmed = true; // trimmed while pending: what it changed is unknown
      } else if (ChangeLog.DONE.equals(state)) {
        delivered.add(ChangeLog.change(record, id.toString()));
      }
    }
    pending.expired(limit - delivered.size())
        .forEach((id, record) -> delivered.add(ChangeLog.change(record, id.toString())));
    for (BsonDocument record : fresh) {
      if (delivered.size() >= limit) {
        break;
      }
      long id = record.getNumber("_id").longValue();
      trimmed |= id != examined + 1; // allocation leaves no gaps: only trimming does
      examined = id;
      switch (record.getString(ChangeLog.STATE).getValue()) {
        case ChangeLog.DONE -> delivered.add(ChangeLog.change(record, Long.toString(id)));
        case ChangeLog.PENDING -> pending.hold(id, record);
        default -> { } // aborted: the write stored nothing
      }
    }
    return new ChangeBatch(delivered, trimmed);
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

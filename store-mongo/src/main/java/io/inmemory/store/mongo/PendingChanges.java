package io.inmemory.store.mongo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bson.BsonDocument;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pending change records a reader has seen and not yet delivered, each with when this reader
 * first saw it, by its own clock (so clock skew between machines does not matter). Not
 * thread-safe: one reader's.
 *
 * @param <K> the record's {@code _id} type
 */
final class PendingChanges<K> {
  private static final Logger LOG = LoggerFactory.getLogger(PendingChanges.class);

  private record Held(BsonDocument record, long since) {}

  private final Map<K, Held> held = new LinkedHashMap<>();
  private final Duration timeout;

  PendingChanges(Duration timeout) {
    this.timeout = timeout;
  }

  /**
   * What both readers check before a read.
   *
   * @throws IllegalStateException when the reader is closed
   * @throws IllegalArgumentException when {@code limit} is not positive
   */
  static void checkRead(boolean closed, int limit) {
    if (closed) {
      throw new IllegalStateException("the change reader is closed");
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
  }

  /** Remembers a pending record (the first sighting counts). */
  void hold(K id, BsonDocument record) {
    held.putIfAbsent(id, new Held(record, System.nanoTime()));
  }

  /** Forgets a record (it settled); what it held, if it did. */
  @Nullable BsonDocument release(K id) {
    Held was = held.remove(id);
    return was == null ? null : was.record;
  }

  boolean isEmpty() {
    return held.isEmpty();
  }

  /** The ids held, oldest sighting first (a copy). */
  List<K> ids() {
    return new ArrayList<>(held.keySet());
  }

  /**
   * Removes and returns up to {@code max} records pending longer than the timeout, each logged
   * at WARN: their writer is taken for dead, and the stored state is applied.
   */
  Map<K, BsonDocument> expired(int max) {
    Map<K, BsonDocument> expired = new LinkedHashMap<>();
    long now = System.nanoTime();
    Iterator<Map.Entry<K, Held>> entries = held.entrySet().iterator();
    while (entries.hasNext() && expired.size() < max) {
      Map.Entry<K, Held> entry = entries.next();
      if (now - entry.getValue().since >= timeout.toNanos()) {
        LOG.warn("{} stayed pending {} (its writer may have died mid-write); applying the stored"
            + " state", ChangeLog.describe(entry.getValue().record), timeout);
        expired.put(entry.getKey(), entry.getValue().record);
        entries.remove();
      }
    }
    return expired;
  }
}

package io.inmemory.store.mongo;

import io.inmemory.engine.spi.ChangeFeed;
import io.inmemory.engine.spi.ChangeReader;

/**
 * The mongo store's change feed: the {@value ChangeLog#COLLECTION} collection, read through a
 * change stream ({@link StreamedChanges}) or by polling it as a log ({@link PolledChanges}), as its
 * {@link FeedMode} says. Thread-safe.
 */
final class MongoChangeFeed implements ChangeFeed {
  private final ChangeLog log;

  MongoChangeFeed(ChangeLog log) {
    this.log = log;
  }

  @Override
  public String processId() {
    return log.processId();
  }

  @Override
  public ChangeReader openReader() {
    log.connection().ensureOpen();
    return log.mode() == FeedMode.CHANGE_STREAM ? new StreamedChanges(log)
        : new PolledChanges(log);
  }

  @Override
  public void trim() {
    log.trim();
  }

  @Override
  public String describe() {
    return log.mode() == FeedMode.CHANGE_STREAM
        ? "MongoDB change stream on '" + ChangeLog.COLLECTION + "'"
        : "polling the MongoDB change log '" + ChangeLog.COLLECTION + "'";
  }
}

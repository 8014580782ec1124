package io.inmemory.store.mongo;

import com.mongodb.client.model.Filters;
import io.inmemory.engine.spi.ChangeFeedSettings;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.tck.ChangeFeedContract;
import java.time.Duration;
import java.util.Date;

/**
 * The change feed contract in change-stream mode (see {@link MongoFixture#streamsStore}): two
 * stores on one database are two processes.
 */
class MongoStreamedChangeFeedTest extends ChangeFeedContract {
  private final String database = MongoFixture.newDatabase();

  @Override
  protected MemoryStore openStore(Duration retention) {
    return MongoFixture.streamsStore(database).changeFeed(FeedMode.CHANGE_STREAM, retention,
        ChangeFeedSettings.PENDING_TIMEOUT.defaultValue().orElseThrow()).open();
  }

  /** What the TTL index does within a minute (and the stand-in never): the old records go. */
  @Override
  protected void trim(MemoryStore store) {
    ((MongoMemoryStore) store).changeLog().collection().deleteMany(Filters.lt(ChangeLog.AT,
        new Date(System.currentTimeMillis() - SHORT_RETENTION.toMillis())));
  }
}

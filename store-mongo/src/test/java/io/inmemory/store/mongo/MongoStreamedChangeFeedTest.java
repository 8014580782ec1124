package io.inmemory.store.mongo;

import com.mongodb.client.model.Filters;
import io.inmemory.engine.spi.ChangeFeedSettings;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.tck.ChangeFeedContract;
import java.time.Duration;
import java.util.Date;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The change feed contract in change-stream mode (see {@link MongoFixture#streamsStore}): two
 * stores on one database are two processes.
 */
class MongoStreamedChangeFeedTest extends ChangeFeedContract {
  private final String database = MongoFixture.newDatabase();
  private final Map<MemoryStore, Duration> retentions = new IdentityHashMap<>();

  @Override
  protected MemoryStore openStore(Duration retention) {
    MemoryStore store = MongoFixture.streamsStore(database).changeFeed(FeedMode.CHANGE_STREAM,
        retention, ChangeFeedSettings.PENDING_TIMEOUT.defaultValue().orElseThrow()).open();
    retentions.put(store, retention);
    return store;
  }

  /**
   * What the TTL index does within a minute (and the stand-in never): the records older than the
   * store's retention go.
   */
  @Override
  protected void trim(MemoryStore store) {
    ((MongoMemoryStore) store).changeLog().collection().deleteMany(Filters.lt(ChangeLog.AT,
        new Date(System.currentTimeMillis() - retentions.get(store).toMillis())));
  }
}

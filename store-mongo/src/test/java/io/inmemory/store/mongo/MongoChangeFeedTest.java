package io.inmemory.store.mongo;

import io.inmemory.engine.spi.ChangeFeedSettings;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.tck.ChangeFeedContract;
import java.time.Duration;

/** The change feed contract in log mode: two stores on one database are two processes. */
class MongoChangeFeedTest extends ChangeFeedContract {
  private final String database = MongoFixture.newDatabase();

  @Override
  protected MemoryStore openStore(Duration retention) {
    return MongoMemoryStore.builder().uri(MongoFixture.uri()).database(database)
        .changeFeed(FeedMode.LOG, retention,
            ChangeFeedSettings.PENDING_TIMEOUT.defaultValue().orElseThrow())
        .open();
  }
}

package io.inmemory.store.mongo;

import io.inmemory.engine.spi.ChangeFeedSettings;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.tck.ChangeFollowingContract;
import java.time.Duration;

/**
 * Two engines following each other through one MongoDB database (the stand-in: the ordered log
 * collection), as two server replicas would; each test a new database.
 */
class MongoChangeFollowingTest extends ChangeFollowingContract {
  private final String database = MongoFixture.newDatabase();

  @Override
  protected MemoryStore openProcess(String name) {
    return store(ChangeFeedSettings.RETENTION.defaultValue().orElseThrow());
  }

  /**
   * The log keeps its newest record (the next number is allocated from it), so a change of another
   * partition is written first: then every change the test made is trimmed.
   */
  @Override
  protected void trimAll() {
    try (MongoMemoryStore trimmer = store(Duration.ofMillis(1))) {
      PartitionKey other = PartitionKey.user(PartitionKey.DEFAULT_NAMESPACE, "trimmer");
      MongoChangeFeedModeTest.insert(trimmer,
          MongoChangeFeedModeTest.memory(other, "a change the trim keeps as the newest"));
      pause(Duration.ofMillis(5));
      trimmer.changeFeed().orElseThrow().trim();
    }
  }

  private MongoMemoryStore store(Duration retention) {
    return MongoMemoryStore.builder().uri(MongoFixture.uri()).database(database)
        .changeFeed(FeedMode.LOG, retention,
            ChangeFeedSettings.PENDING_TIMEOUT.defaultValue().orElseThrow())
        .open();
  }
}

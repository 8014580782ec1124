package io.inmemory.store.mongo;

import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.tck.StoreRestartContract;
import java.nio.file.Path;

/** 10,000 memories through the engine survive a close and reopen of the same database. */
class MongoRestartTest extends StoreRestartContract {
  private final String database = MongoFixture.newDatabase();

  @Override
  protected MemoryStore openStore(Path dir) {
    return MongoFixture.openStore(database);
  }
}

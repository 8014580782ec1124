package io.inmemory.store.mongo;

import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.tck.WebhookStoreContract;

/** The webhook store contract, each test on a fresh database; a reopen keeps the database. */
class MongoWebhookStoreTest extends WebhookStoreContract {
  private String database;

  @Override
  protected MemoryStore openStore(boolean recordEvents) {
    database = MongoFixture.newDatabase();
    return open(recordEvents);
  }

  private MemoryStore open(boolean recordEvents) {
    return MongoMemoryStore.builder().uri(MongoFixture.uri()).database(database)
        .recordEvents(recordEvents).open();
  }

  @Override
  protected MemoryStore reopenStore(MemoryStore current) {
    current.close();
    return open(true);
  }
}

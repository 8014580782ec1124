package io.inmemory.store.mongo;

import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.tck.MemoryStoreContract;

/** The store contract: every store on a fresh database; a reopen reconnects to the same one. */
class MongoMemoryStoreContractTest extends MemoryStoreContract {
  private String database;

  @Override
  protected MemoryStore openStore() {
    database = MongoFixture.newDatabase();
    return MongoFixture.openStore(database);
  }

  @Override
  protected MemoryStore reopenStore(MemoryStore current) {
    current.close();
    return MongoFixture.openStore(database);
  }
}

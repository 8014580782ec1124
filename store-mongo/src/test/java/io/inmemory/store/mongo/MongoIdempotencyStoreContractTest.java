package io.inmemory.store.mongo;

import io.inmemory.engine.tck.IdempotencyStoreContract;
import io.inmemory.engine.tenant.IdempotencyStore;

/** The idempotency contract, each test on a fresh database. */
class MongoIdempotencyStoreContractTest extends IdempotencyStoreContract {
  private MongoMemoryStore memoryStore;

  @Override
  protected IdempotencyStore openStore() {
    memoryStore = MongoFixture.openStore(MongoFixture.newDatabase());
    return memoryStore.access().idempotency().orElseThrow();
  }

  @Override
  protected void closeStore() {
    memoryStore.close();
  }
}

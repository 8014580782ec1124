package io.inmemory.store.mongo;

import io.inmemory.MemoryClient;
import io.inmemory.tck.SearchContract;

class MongoSearchContractTest extends SearchContract {
  @Override
  protected MemoryClient createClient() {
    return MongoEngine.open();
  }
}

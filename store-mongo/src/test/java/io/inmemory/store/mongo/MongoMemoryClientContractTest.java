package io.inmemory.store.mongo;

import io.inmemory.MemoryClient;
import io.inmemory.tck.MemoryClientContract;

class MongoMemoryClientContractTest extends MemoryClientContract {
  @Override
  protected MemoryClient createClient() {
    return MongoEngine.open();
  }
}

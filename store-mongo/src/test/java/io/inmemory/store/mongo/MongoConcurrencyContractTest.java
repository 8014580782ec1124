package io.inmemory.store.mongo;

import io.inmemory.MemoryClient;
import io.inmemory.tck.ConcurrencyContract;

class MongoConcurrencyContractTest extends ConcurrencyContract {
  @Override
  protected MemoryClient createClient() {
    return MongoEngine.open();
  }
}

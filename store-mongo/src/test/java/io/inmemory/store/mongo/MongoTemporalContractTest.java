package io.inmemory.store.mongo;

import io.inmemory.MemoryClient;
import io.inmemory.tck.TemporalContract;

class MongoTemporalContractTest extends TemporalContract {
  @Override
  protected MemoryClient createClient() {
    return MongoEngine.open();
  }
}

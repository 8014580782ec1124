package io.inmemory.engine;

import io.inmemory.MemoryClient;
import io.inmemory.tck.BatchContract;

/** The batch contract on the engine with the volatile store. */
class VolatileBatchContractTest extends BatchContract {
  @Override
  protected MemoryClient createClient() {
    return VolatileEngine.open();
  }
}

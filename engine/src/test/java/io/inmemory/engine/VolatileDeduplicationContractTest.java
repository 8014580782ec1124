package io.inmemory.engine;

import io.inmemory.MemoryClient;
import io.inmemory.tck.DeduplicationContract;

/** The deduplication contract on the engine with the volatile store. */
class VolatileDeduplicationContractTest extends DeduplicationContract {
  @Override
  protected MemoryClient createClient() {
    return VolatileEngine.open();
  }
}

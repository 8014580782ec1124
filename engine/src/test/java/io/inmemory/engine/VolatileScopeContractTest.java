package io.inmemory.engine;

import io.inmemory.MemoryClient;
import io.inmemory.tck.ScopeContract;

/** The scope contract on the engine with the volatile store. */
class VolatileScopeContractTest extends ScopeContract {
  @Override
  protected MemoryClient createClient() {
    return VolatileEngine.open();
  }
}

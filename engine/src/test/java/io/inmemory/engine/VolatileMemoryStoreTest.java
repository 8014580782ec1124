package io.inmemory.engine;

import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.tck.MemoryStoreContract;

class VolatileMemoryStoreTest extends MemoryStoreContract {
  @Override
  protected MemoryStore openStore() {
    return new VolatileMemoryStore();
  }
}

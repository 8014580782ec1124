package io.inmemory.engine;

import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryClient;
import io.inmemory.engine.tck.HashingEmbedder;
import io.inmemory.tck.FilterContract;

/** The filter contract on the engine with the volatile store and the hashing embedder. */
class VolatileFilterContractTest extends FilterContract {
  @Override
  protected MemoryClient createClient() {
    return Memory.builder().config(InMemoryConfig.builder().isolated().build())
        .store(new VolatileMemoryStore()).embedder(new HashingEmbedder()).build();
  }
}

package io.inmemory.engine;

import io.inmemory.InMemoryConfig;
import io.inmemory.engine.tck.HashingEmbedder;

/** An engine on the volatile store with the hashing embedder, for the client contracts. */
final class VolatileEngine {
  private VolatileEngine() {}

  static Memory open() {
    return Memory.builder().config(InMemoryConfig.builder().isolated().build())
        .store(new VolatileMemoryStore()).embedder(new HashingEmbedder()).build();
  }
}

package io.inmemory.springai;

import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryClient;
import io.inmemory.engine.Memory;
import io.inmemory.engine.tck.HashingEmbedder;

/** The repository over the local engine (volatile store). */
class LocalChatMemoryRepositoryTest extends ChatMemoryRepositoryContract {
  @Override
  protected MemoryClient openClient() {
    return volatileEngine();
  }

  /**
   * An engine on the volatile store (named: the server's dependencies bring other stores) with the
   * hashing embedder.
   */
  static Memory volatileEngine() {
    return Memory.builder().config(InMemoryConfig.builder().isolated()
        .set(InMemoryConfig.STORE.name(), "memory").build()).embedder(new HashingEmbedder()).build();
  }
}

package io.inmemory.springai;

import io.inmemory.MemoryClient;
import io.inmemory.springai.testing.SharedServer;

/** The repository over the local engine (volatile store). */
class LocalChatMemoryRepositoryTest extends ChatMemoryRepositoryContract {
  @Override
  protected MemoryClient openClient() {
    return SharedServer.volatileEngine();
  }
}

package io.inmemory.springai;

import io.inmemory.MemoryClient;
import io.inmemory.springai.testing.SharedServer;

/** The repository over the managed runtime: a server on a loopback port, reached over HTTP. */
class ManagedChatMemoryRepositoryTest extends ChatMemoryRepositoryContract {
  @Override
  protected MemoryClient openClient() {
    return SharedServer.get().newClient();
  }
}

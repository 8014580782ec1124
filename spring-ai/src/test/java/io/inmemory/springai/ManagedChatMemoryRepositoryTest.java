package io.inmemory.springai;

import io.inmemory.MemoryClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The repository over the managed runtime: a server on a loopback port, reached over HTTP. */
class ManagedChatMemoryRepositoryTest extends ChatMemoryRepositoryContract {
  private static LoopbackServer server;

  @BeforeAll
  static void start() {
    server = LoopbackServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Override
  protected MemoryClient openClient() {
    return server.newClient();
  }
}

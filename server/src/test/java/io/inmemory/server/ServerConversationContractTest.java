package io.inmemory.server;

import io.inmemory.MemoryClient;
import io.inmemory.server.LiveServer.Backend;
import io.inmemory.tck.ConversationContract;
import org.junit.jupiter.api.Nested;

/** The conversation contract through {@code Inmry} against a live server, on each store. */
class ServerConversationContractTest {
  @Nested
  class OnVolatileStore extends ConversationContract {
    @Override
    protected MemoryClient createClient() {
      return LiveServer.client(Backend.VOLATILE);
    }
  }

  @Nested
  class OnFileStore extends ConversationContract {
    @Override
    protected MemoryClient createClient() {
      return LiveServer.client(Backend.FILE);
    }
  }

  @Nested
  class OnH2 extends ConversationContract {
    @Override
    protected MemoryClient createClient() {
      return LiveServer.client(Backend.H2);
    }
  }
}

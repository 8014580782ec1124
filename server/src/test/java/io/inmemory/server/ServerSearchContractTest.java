package io.inmemory.server;

import io.inmemory.MemoryClient;
import io.inmemory.server.LiveServer.Backend;
import io.inmemory.tck.SearchContract;
import org.junit.jupiter.api.Nested;

/** The client contract suite through {@code Inmry} against a live server, on each store. */
class ServerSearchContractTest {
  @Nested
  class OnVolatileStore extends SearchContract {
    @Override
    protected MemoryClient createClient() {
      return LiveServer.client(Backend.VOLATILE);
    }
  }

  @Nested
  class OnFileStore extends SearchContract {
    @Override
    protected MemoryClient createClient() {
      return LiveServer.client(Backend.FILE);
    }
  }

  @Nested
  class OnH2 extends SearchContract {
    @Override
    protected MemoryClient createClient() {
      return LiveServer.client(Backend.H2);
    }
  }
}

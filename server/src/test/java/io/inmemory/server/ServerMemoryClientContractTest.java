package io.inmemory.server;

import io.inmemory.MemoryClient;
import io.inmemory.server.LiveServer.Backend;
import io.inmemory.tck.MemoryClientContract;
import org.junit.jupiter.api.Nested;

/** The client contract suite through {@code Inmry} against a live server, on each store. */
class ServerMemoryClientContractTest {
  @Nested
  class OnVolatileStore extends MemoryClientContract {
    @Override
    protected MemoryClient createClient() {
      return LiveServer.client(Backend.VOLATILE);
    }
  }

  @Nested
  class OnFileStore extends MemoryClientContract {
    @Override
    protected MemoryClient createClient() {
      return LiveServer.client(Backend.FILE);
    }
  }

  @Nested
  class OnH2 extends MemoryClientContract {
    @Override
    protected MemoryClient createClient() {
      return LiveServer.client(Backend.H2);
    }
  }
}

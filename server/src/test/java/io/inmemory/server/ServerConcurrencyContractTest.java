package io.inmemory.server;

import io.inmemory.MemoryClient;
import io.inmemory.server.LiveServer.Backend;
import io.inmemory.tck.ConcurrencyContract;
import org.junit.jupiter.api.Nested;

/** The client contract suite through {@code Inmry} against a live server, on each store. */
class ServerConcurrencyContractTest {
  @Nested
  class OnVolatileStore extends ConcurrencyContract {
    @Override
    protected MemoryClient createClient() {
      return LiveServer.client(Backend.VOLATILE);
    }
  }

  @Nested
  class OnFileStore extends ConcurrencyContract {
    @Override
    protected MemoryClient createClient() {
      return LiveServer.client(Backend.FILE);
    }
  }

  @Nested
  class OnH2 extends ConcurrencyContract {
    @Override
    protected MemoryClient createClient() {
      return LiveServer.client(Backend.H2);
    }
  }
}

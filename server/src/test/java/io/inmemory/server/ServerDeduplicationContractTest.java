package io.inmemory.server;

import io.inmemory.MemoryClient;
import io.inmemory.server.LiveServer.Backend;
import io.inmemory.tck.DeduplicationContract;
import org.junit.jupiter.api.Nested;

/** The de-duplication contract through {@code Inmry} against a live server, on each store. */
class ServerDeduplicationContractTest {
  @Nested
  class OnVolatileStore extends DeduplicationContract {
    @Override
    protected MemoryClient createClient() {
      return LiveServer.client(Backend.VOLATILE);
    }
  }

  @Nested
  class OnFileStore extends DeduplicationContract {
    @Override
    protected MemoryClient createClient() {
      return LiveServer.client(Backend.FILE);
    }
  }

  @Nested
  class OnH2 extends DeduplicationContract {
    @Override
    protected MemoryClient createClient() {
      return LiveServer.client(Backend.H2);
    }
  }
}

package io.inmemory.server;

import io.inmemory.MemoryClient;
import io.inmemory.server.LiveServer.Backend;
import io.inmemory.tck.ModelScript;
import io.inmemory.tck.SupersedeContract;
import org.junit.jupiter.api.Nested;

/**
 * The supersede contract through {@code Inmry} against a live server whose engine extracts with
 * the {@code openai} extractor from a scripted endpoint, on each store.
 */
class ServerSupersedeContractTest {
  @Nested
  class OnVolatileStore extends SupersedeContract {
    @Override
    protected MemoryClient createClient() {
      return LiveServer.clientWithModel(Backend.VOLATILE);
    }

    @Override
    protected ModelScript modelScript() {
      return LiveServer.model();
    }
  }

  @Nested
  class OnFileStore extends SupersedeContract {
    @Override
    protected MemoryClient createClient() {
      return LiveServer.clientWithModel(Backend.FILE);
    }

    @Override
    protected ModelScript modelScript() {
      return LiveServer.model();
    }
  }

  @Nested
  class OnH2 extends SupersedeContract {
    @Override
    protected MemoryClient createClient() {
      return LiveServer.clientWithModel(Backend.H2);
    }

    @Override
    protected ModelScript modelScript() {
      return LiveServer.model();
    }
  }
}

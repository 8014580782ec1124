package io.inmemory.server;

import io.inmemory.AsyncMemoryClient;
import io.inmemory.server.LiveServer.Backend;
import io.inmemory.tck.AsyncMemoryClientContract;
import org.junit.jupiter.api.Nested;

/** The asynchronous client contract suite through {@code AsyncInmry} against a live server. */
class ServerAsyncMemoryClientContractTest {
  @Nested
  class OnVolatileStore extends AsyncMemoryClientContract {
    @Override
    protected AsyncMemoryClient createAsyncClient() {
      return LiveServer.asyncClient(Backend.VOLATILE);
    }
  }

  @Nested
  class OnFileStore extends AsyncMemoryClientContract {
    @Override
    protected AsyncMemoryClient createAsyncClient() {
      return LiveServer.asyncClient(Backend.FILE);
    }
  }

  @Nested
  class OnH2 extends AsyncMemoryClientContract {
    @Override
    protected AsyncMemoryClient createAsyncClient() {
      return LiveServer.asyncClient(Backend.H2);
    }
  }
}

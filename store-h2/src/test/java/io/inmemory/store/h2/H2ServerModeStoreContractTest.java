package io.inmemory.store.h2;

import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.tck.MemoryStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store contract through an H2 TCP server on loopback (random port), as a store in another
 * process than its database would see it: each store a new database of the server.
 */
class H2ServerModeStoreContractTest extends MemoryStoreContract {
  @RegisterExtension
  static final H2TestServer SERVER = new H2TestServer();
  private String url;

  @Override
  protected MemoryStore openStore() {
    url = SERVER.newDatabaseUrl();
    return H2MemoryStore.builder().url(url).open();
  }

  @Override
  protected MemoryStore reopenStore(MemoryStore current) {
    current.close();
    return H2MemoryStore.builder().url(url).open();
  }
}

package io.inmemory.store.h2;

import io.inmemory.engine.tck.IdempotencyStoreContract;
import io.inmemory.engine.tenant.IdempotencyStore;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The idempotency contract through an H2 TCP server, as replicas sharing one database use it:
 * each test a new database of the server.
 */
class H2ServerModeIdempotencyStoreContractTest extends IdempotencyStoreContract {
  @RegisterExtension
  static final H2TestServer SERVER = new H2TestServer();
  private H2MemoryStore memoryStore;

  @Override
  protected IdempotencyStore openStore() {
    memoryStore = H2MemoryStore.builder().url(SERVER.newDatabaseUrl()).open();
    return memoryStore.access().idempotency().orElseThrow();
  }

  @Override
  protected void closeStore() {
    memoryStore.close();
  }
}

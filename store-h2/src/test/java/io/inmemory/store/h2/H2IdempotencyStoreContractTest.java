package io.inmemory.store.h2;

import io.inmemory.engine.tck.IdempotencyStoreContract;
import io.inmemory.engine.tenant.IdempotencyStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The idempotency contract against an embedded file database, a new one for each test. */
class H2IdempotencyStoreContractTest extends IdempotencyStoreContract {
  @TempDir
  Path dir;
  private H2MemoryStore memoryStore;

  @Override
  protected IdempotencyStore openStore() {
    memoryStore = H2MemoryStore.open(dir);
    return memoryStore.access().idempotency().orElseThrow();
  }

  @Override
  protected void closeStore() {
    memoryStore.close();
  }
}

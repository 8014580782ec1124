package io.inmemory.store.h2;

import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.tck.MemoryStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract against embedded file databases: each store in a new directory. */
class H2MemoryStoreContractTest extends MemoryStoreContract {
  @TempDir
  Path temp;
  private int stores;
  private Path dir;

  @Override
  protected MemoryStore openStore() {
    dir = temp.resolve("store-" + stores++);
    return H2MemoryStore.open(dir);
  }

  @Override
  protected MemoryStore reopenStore(MemoryStore current) {
    current.close();
    return H2MemoryStore.open(dir);
  }
}

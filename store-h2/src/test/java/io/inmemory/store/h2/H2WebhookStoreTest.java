package io.inmemory.store.h2;

import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.tck.WebhookStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The webhook store contract against an embedded file database, a new one for each test. */
class H2WebhookStoreTest extends WebhookStoreContract {
  @TempDir
  Path dir;

  @Override
  protected MemoryStore openStore(boolean recordEvents) {
    return H2MemoryStore.builder().directory(dir).recordEvents(recordEvents).open();
  }

  @Override
  protected MemoryStore reopenStore(MemoryStore current) {
    current.close();
    return openStore(true);
  }
}

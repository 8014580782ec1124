package io.inmemory.store.h2;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.StorageException;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.tck.LocalStoreContract;
import java.nio.file.Path;

/** Kill -9 and second-process checks of the embedded file database, with the default settings. */
class H2LocalStoreTest extends LocalStoreContract {
  @Override
  protected MemoryStore openStore(Path dir) {
    return H2MemoryStore.open(dir);
  }

  @Override
  protected void checkRefusal(StorageException refusal, long holderPid) {
    assertThat(refusal.getMessage())
        .contains("already open in another process", "jdbc:h2:tcp://", "AUTO_SERVER=TRUE");
  }
}

package io.inmemory.store.h2;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.tck.StoreRestartContract;
import java.nio.file.Path;

class H2RestartTest extends StoreRestartContract {
  @Override
  protected MemoryStore openStore(Path dir) {
    return H2MemoryStore.open(dir);
  }

  @Override
  protected void checkStorageAfterFirstRun(Path dir) {
    assertThat(dir.resolve("inmemory.mv.db")).isNotEmptyFile();
  }
}

package io.inmemory.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.tck.StoreRestartContract;
import java.nio.file.Path;

/**
 * The restart contract on the file store. The compaction threshold is small, so the first run
 * writes snapshots and the reopen reads a snapshot and the logs after it.
 */
class FileRestartTest extends StoreRestartContract {
  @Override
  protected MemoryStore openStore(Path dir) {
    return FileMemoryStore.builder(dir).compactionLogSize(1 << 20).open();
  }

  @Override
  protected void checkStorageAfterFirstRun(Path dir) {
    assertThat(dir.toFile().list()).anyMatch(name -> name.endsWith(".snapshot"));
  }
}

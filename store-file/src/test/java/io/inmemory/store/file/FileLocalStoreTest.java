package io.inmemory.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.StorageException;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.tck.LocalStoreContract;
import java.nio.file.Path;

/**
 * The crash and second-process contracts on the file store. The compaction threshold is tiny, so
 * kills also land during compactions and later rounds recover from interrupted ones.
 */
class FileLocalStoreTest extends LocalStoreContract {
  @Override
  protected MemoryStore openStore(Path dir) {
    return FileMemoryStore.builder(dir).compactionLogSize(32 << 10).open();
  }

  @Override
  protected void checkRefusal(StorageException refusal, long holderPid) {
    assertThat(refusal.getMessage())
        .contains("already open in another process (pid " + holderPid + ")")
        .contains(FileStoreSettings.DIR.name());
  }
}

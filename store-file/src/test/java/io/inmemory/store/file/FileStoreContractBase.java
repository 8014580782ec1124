package io.inmemory.store.file;

import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.tck.MemoryStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the store contract against {@link FileMemoryStore}: every store in a new directory, and a
 * reopen is a close and an open of the same directory. Subclasses vary the settings.
 */
abstract class FileStoreContractBase extends MemoryStoreContract {
  @TempDir
  Path temp;
  private int stores;
  private Path dir;

  /** The settings of the stores under test. */
  abstract FileMemoryStore.Builder settings(FileMemoryStore.Builder builder);

  /** Called on the open store just before a reopen closes it. */
  void beforeReopen(FileMemoryStore store) {}

  @Override
  protected MemoryStore openStore() {
    dir = temp.resolve("store-" + stores++);
    return settings(FileMemoryStore.builder(dir)).open();
  }

  @Override
  protected MemoryStore reopenStore(MemoryStore current) {
    beforeReopen((FileMemoryStore) current);
    current.close();
    return settings(FileMemoryStore.builder(dir)).open();
  }
}

package io.inmemory.store.file;

import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.tck.WebhookStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook store contract on the file store. A reopen opens a copy of the files taken while
 * the store was open, what a {@code kill -9} leaves behind: the log is replayed without its
 * clean-close record.
 */
class FileWebhookStoreTest extends WebhookStoreContract {
  @TempDir
  Path temp;
  private int opened;

  @Override
  protected MemoryStore openStore(boolean recordEvents) {
    return FileMemoryStore.builder(temp.resolve("store-" + opened++)).recordEvents(recordEvents)
        .open();
  }

  /** Prepares the store before the crash image is taken; nothing by default. */
  void beforeCrash(FileMemoryStore store) {}

  @Override
  protected MemoryStore reopenStore(MemoryStore current) {
    beforeCrash((FileMemoryStore) current);
    Path image = StoreFiles.copyStoreFiles(temp.resolve("store-" + (opened - 1)),
        temp.resolve("crash-" + opened));
    current.close();
    return FileMemoryStore.builder(image).recordEvents(true).open();
  }
}

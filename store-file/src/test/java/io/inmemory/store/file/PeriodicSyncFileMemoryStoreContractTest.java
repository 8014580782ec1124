package io.inmemory.store.file;

import java.time.Duration;

/** The store contract with {@link SyncMode#PERIODIC} fsyncs every 5 ms. */
class PeriodicSyncFileMemoryStoreContractTest extends FileStoreContractBase {
  @Override
  FileMemoryStore.Builder settings(FileMemoryStore.Builder builder) {
    return builder.sync(SyncMode.PERIODIC).syncInterval(Duration.ofMillis(5));
  }
}

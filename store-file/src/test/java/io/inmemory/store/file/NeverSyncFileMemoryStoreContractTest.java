package io.inmemory.store.file;

/** The store contract with {@link SyncMode#NEVER}. */
class NeverSyncFileMemoryStoreContractTest extends FileStoreContractBase {
  @Override
  FileMemoryStore.Builder settings(FileMemoryStore.Builder builder) {
    return builder.sync(SyncMode.NEVER);
  }
}

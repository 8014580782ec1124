package io.inmemory.store.file;

/**
 * The store contract with a compaction before every reopen, and whenever the logs pass 4 KiB, so
 * that background compactions also run while writers write (reopens then read snapshots).
 */
class CompactingFileMemoryStoreContractTest extends FileStoreContractBase {
  @Override
  FileMemoryStore.Builder settings(FileMemoryStore.Builder builder) {
    return builder.compactionLogSize(4096);
  }

  @Override
  void beforeReopen(FileMemoryStore store) {
    store.compact();
  }
}

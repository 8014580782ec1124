package io.inmemory.store.file;

/** The store contract with the default settings. */
class FileMemoryStoreContractTest extends FileStoreContractBase {
  @Override
  FileMemoryStore.Builder settings(FileMemoryStore.Builder builder) {
    return builder;
  }
}

package io.inmemory.store.file;

/**
 * The webhook store contract on the file store, compacted before the crash image is taken, so a
 * reopen reads the webhook records from a snapshot.
 */
class CompactedFileWebhookStoreTest extends FileWebhookStoreTest {
  @Override
  void beforeCrash(FileMemoryStore store) {
    store.compact();
  }
}

/**
 * The durable file store {@code file}:
 * a checksummed log of changes and snapshots in one directory.
 */
module io.inmemory.store.file {
  requires transitive io.inmemory.engine;
  requires org.slf4j;

  exports io.inmemory.store.file;

  provides io.inmemory.engine.spi.StoreProvider with io.inmemory.store.file.FileStoreProvider;
}

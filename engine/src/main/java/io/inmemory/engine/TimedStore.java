package io.inmemory.engine;

import io.inmemory.HistoryEntry;
import io.inmemory.engine.spi.EngineMetrics;
import io.inmemory.engine.spi.EngineMetrics.StoreOperation;
import io.inmemory.engine.embedding.Timed;
import io.inmemory.engine.spi.ChangeFeed;
import io.inmemory.engine.spi.ChangeSet;
import io.inmemory.engine.spi.IndexSnapshots;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tenant.AccessStore;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A store that tells {@link EngineMetrics} how long each data call took and whether it failed,
 * then answers or throws as the store did. Every method is delegated, defaults included, so that
 * a store's own {@code load(partition, ids)}, snapshots and change feed stay in use. Wraps the
 * store only when an engine is given metrics, so that an engine without them pays nothing.
 * Thread-safe as the store is.
 */
final class TimedStore implements MemoryStore {
  private final MemoryStore store;
  private final EngineMetrics metrics;

  TimedStore(MemoryStore store, EngineMetrics metrics) {
    this.store = store;
    this.metrics = metrics;
  }

  @Override
  public void insert(List<StoredMemory> memories, List<HistoryEntry> entries) {
    timed(StoreOperation.INSERT, () -> store.insert(memories, entries));
  }

  @Override
  public void insert(List<StoredMemory> memories, List<HistoryEntry> entries, boolean events) {
    timed(StoreOperation.INSERT, () -> store.insert(memories, entries, events));
  }

  @Override
  public void replace(StoredMemory memory, HistoryEntry entry) {
    timed(StoreOperation.REPLACE, () -> store.replace(memory, entry));
  }

  @Override
  public void commit(ChangeSet changes) {
    timed(StoreOperation.COMMIT, () -> store.commit(changes));
  }

  @Override
  public void replaceEmbeddings(List<StoredMemory> memories) {
    timed(StoreOperation.REPLACE_EMBEDDINGS, () -> store.replaceEmbeddings(memories));
  }

  @Override
  public int delete(PartitionKey partition, List<String> ids, List<HistoryEntry> entries) {
    return timed(StoreOperation.DELETE, () -> store.delete(partition, ids, entries));
  }

  @Override
  public int delete(PartitionKey partition, List<String> ids, List<HistoryEntry> entries,
      boolean events) {
    return timed(StoreOperation.DELETE, () -> store.delete(partition, ids, entries, events));
  }

  @Override
  public List<StoredMemory> load(PartitionKey partition) {
    return timed(StoreOperation.LOAD, () -> store.load(partition));
  }

  @Override
  public List<StoredMemory> load(PartitionKey partition, Collection<String> ids) {
    return timed(StoreOperation.LOAD, () -> store.load(partition, ids));
  }

  @Override
  public List<HistoryEntry> history(PartitionKey partition, String memoryId) {
    return timed(StoreOperation.HISTORY, () -> store.history(partition, memoryId));
  }

  @Override
  public AccessStore access() {
    return store.access();
  }

  @Override
  public Optional<IndexSnapshots> indexSnapshots() {
    return store.indexSnapshots();
  }

  @Override
  public Optional<ChangeFeed> changeFeed() {
    return store.changeFeed();
  }

  @Override
  public void ping() {
    store.ping();
  }

  @Override
  public String describe() {
    return store.describe();
  }

  @Override
  public void close() {
    store.close();
  }

  private void timed(StoreOperation operation, Runnable call) {
    timed(operation, () -> {
      call.run();
      return null;
    });
  }

  private <T> T timed(StoreOperation operation, Supplier<T> call) {
    return Timed.call(call, (nanos, failed) -> metrics.storeCall(operation, nanos, failed));
  }
}

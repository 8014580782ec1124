package io.inmemory.engine.tck;

import io.inmemory.HistoryEntry;
import io.inmemory.engine.spi.ChangeFeed;
import io.inmemory.engine.spi.ChangeSet;
import io.inmemory.engine.spi.IndexSnapshots;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.PartitionSummary;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tenant.AccessStore;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A store that forwards every call to another, for tests that change one behaviour (a failing
 * write, a recorded call) by overriding one method. As thread-safe as the delegate.
 */
public class ForwardingStore implements MemoryStore {
  protected final MemoryStore delegate;

  public ForwardingStore(MemoryStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public void insert(List<StoredMemory> memories, List<HistoryEntry> entries) {
    delegate.insert(memories, entries);
  }

  @Override
  public void insert(List<StoredMemory> memories, List<HistoryEntry> entries, boolean events) {
    delegate.insert(memories, entries, events);
  }

  @Override
  public int delete(PartitionKey partition, List<String> ids, List<HistoryEntry> entries,
      boolean events) {
    return delegate.delete(partition, ids, entries, events);
  }

  @Override
  public void replace(StoredMemory memory, HistoryEntry entry) {
    delegate.replace(memory, entry);
  }

  @Override
  public void commit(ChangeSet changes) {
    delegate.commit(changes);
  }

  @Override
  public void replaceEmbeddings(List<StoredMemory> memories) {
    delegate.replaceEmbeddings(memories);
  }

  @Override
  public int delete(PartitionKey partition, List<String> ids, List<HistoryEntry> entries) {
    return delegate.delete(partition, ids, entries);
  }

  @Override
  public List<StoredMemory> load(PartitionKey partition) {
    return delegate.load(partition);
  }

  @Override
  public List<StoredMemory> load(PartitionKey partition, Collection<String> ids) {
    return delegate.load(partition, ids);
  }

  @Override
  public List<PartitionSummary> partitions(String namespace, @Nullable String after,
      int limit) {
    return delegate.partitions(namespace, after, limit);
  }

  @Override
  public List<HistoryEntry> history(PartitionKey partition, String memoryId) {
    return delegate.history(partition, memoryId);
  }

  @Override
  public Map<String, List<HistoryEntry>> histories(PartitionKey partition) {
    return delegate.histories(partition);
  }

  @Override
  public List<PartitionKey> historyPartitions(String namespace, @Nullable String after,
      int limit) {
    return delegate.historyPartitions(namespace, after, limit);
  }

  @Override
  public AccessStore access() {
    return delegate.access();
  }

  @Override
  public Optional<IndexSnapshots> indexSnapshots() {
    return delegate.indexSnapshots();
  }

  @Override
  public Optional<ChangeFeed> changeFeed() {
    return delegate.changeFeed();
  }

  @Override
  public void ping() {
    delegate.ping();
  }

  @Override
  public String describe() {
    return delegate.describe();
  }

  @Override
  public void close() {
    delegate.close();
  }
}

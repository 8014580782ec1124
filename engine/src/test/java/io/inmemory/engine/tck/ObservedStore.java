package io.inmemory.engine.tck;

import io.inmemory.HistoryEntry;
import io.inmemory.StorageException;
import io.inmemory.engine.spi.ChangeBatch;
import io.inmemory.engine.spi.ChangeFeed;
import io.inmemory.engine.spi.ChangeReader;
import io.inmemory.engine.spi.ChangeSet;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One process's store as a test of several processes sees it: it counts the partitions loaded,
 * the re-reads by ids and the changes its feed delivered, runs {@link #afterLoad} once a load
 * has read the store, and can be {@linkplain #cutOff cut off}: then every call, its feed's
 * included, fails with a {@link StorageException} as if the network to the data were down,
 * while other processes go on. Works on any store. Thread-safe.
 */
public final class ObservedStore extends ForwardingStore {
  /** The whole partitions loaded. */
  public final AtomicInteger loads = new AtomicInteger();
  /** The re-reads by ids ({@link MemoryStore#load(PartitionKey, Collection)}). */
  public final AtomicInteger reReads = new AtomicInteger();
  /** The changes the feed's readers delivered. */
  public final AtomicInteger delivered = new AtomicInteger();
  /** Runs in every whole load after the store was read, before it returns (to hold it there). */
  public volatile Runnable afterLoad = () -> { };
  private volatile boolean cutOff;
  /**
   * Held by each feed read: a cut-off waits for the read in flight, so no read that began before
   * it can deliver a change written after it (the network would have failed that read).
   */
  private final ReadWriteLock feedReads = new ReentrantReadWriteLock();

  public ObservedStore(MemoryStore delegate) {
    super(delegate);
  }

  /**
   * Makes every call fail as if the data were unreachable from this process, or work again; a
   * feed read in flight finishes first.
   */
  public void cutOff(boolean cutOff) {
    feedReads.writeLock().lock();
    try {
      this.cutOff = cutOff;
    } finally {
      feedReads.writeLock().unlock();
    }
  }

  @Override
  public void insert(List<StoredMemory> memories, List<HistoryEntry> entries) {
    reach();
    super.insert(memories, entries);
  }

  @Override
  public void replace(StoredMemory memory, HistoryEntry entry) {
    reach();
    super.replace(memory, entry);
  }

  @Override
  public void commit(ChangeSet changes) {
    reach();
    super.commit(changes);
  }

  @Override
  public void replaceEmbeddings(List<StoredMemory> memories) {
    reach();
    super.replaceEmbeddings(memories);
  }

  @Override
  public int delete(PartitionKey partition, List<String> ids, List<HistoryEntry> entries) {
    reach();
    return super.delete(partition, ids, entries);
  }

  @Override
  public List<StoredMemory> load(PartitionKey partition) {
    reach();
    List<StoredMemory> memories = super.load(partition);
    loads.incrementAndGet();
    afterLoad.run();
    return memories;
  }

  @Override
  public List<StoredMemory> load(PartitionKey partition, Collection<String> ids) {
    reach();
    reReads.incrementAndGet();
    return super.load(partition, ids);
  }

  @Override
  public List<HistoryEntry> history(PartitionKey partition, String memoryId) {
    reach();
    return super.history(partition, memoryId);
  }

  @Override
  public void ping() {
    reach();
    super.ping();
  }

  @Override
  public Optional<ChangeFeed> changeFeed() {
    return super.changeFeed().map(Feed::new);
  }

  private void reach() {
    if (cutOff) {
      throw new StorageException("the store is unreachable from this process (test)");
    }
  }

  /** The delegate's feed, counted and cut off with the store. */
  private final class Feed implements ChangeFeed {
    private final ChangeFeed feed;

    private Feed(ChangeFeed feed) {
      this.feed = feed;
    }

    @Override
    public String processId() {
      return feed.processId();
    }

    @Override
    public ChangeReader openReader() {
      reach();
      ChangeReader reader = feed.openReader();
      return new ChangeReader() {
        @Override
        public ChangeBatch next(int limit, Duration maxWait) {
          feedReads.readLock().lock();
          try {
            reach();
            ChangeBatch batch = reader.next(limit, maxWait);
            delivered.addAndGet(batch.changes().size());
            return batch;
          } finally {
            feedReads.readLock().unlock();
          }
        }

        @Override
        public boolean waits() {
          return reader.waits();
        }

        @Override
        public void close() {
          reader.close();
        }
      };
    }

    @Override
    public void trim() {
      reach();
      feed.trim();
    }

    @Override
    public String describe() {
      return feed.describe();
    }
  }
}

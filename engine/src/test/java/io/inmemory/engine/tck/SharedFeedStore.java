package io.inmemory.engine.tck;

import io.inmemory.HistoryEntry;
import io.inmemory.InMemoryConfig;
import io.inmemory.engine.VolatileStoreProvider;
import io.inmemory.engine.spi.Change;
import io.inmemory.engine.spi.ChangeBatch;
import io.inmemory.engine.spi.ChangeFeed;
import io.inmemory.engine.spi.ChangeKind;
import io.inmemory.engine.spi.ChangeReader;
import io.inmemory.engine.spi.ChangeSet;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One store several engines share, as processes share a MongoDB database or an H2 server, with a
 * change feed: the built-in volatile store holds the data, and an in-heap log records one
 * {@link Change} per partition per write, in commit order, stamped with the writing process's
 * id. Each engine opens its own {@link #process(String) process view}: a store whose
 * {@link MemoryStore#changeFeed()} reads that log by polling; {@link #trimAll()} trims the log
 * under readers ({@link ObservedStore} cuts a process off). {@link ChangeFollowingContract} runs
 * two engines on it. Thread-safe.
 */
public final class SharedFeedStore {
  private final MemoryStore data = new VolatileStoreProvider()
      .open(InMemoryConfig.builder().isolated().build());
  /** The changes not trimmed yet; the first has the sequence number {@link #first}. */
  private final List<Change> log = new ArrayList<>();
  private long first;

  /** A new process's view of the store: its own process id, hooks and counters. */
  public Process process(String name) {
    return new Process(name);
  }

  /** Trims every change recorded so far: a reader that has not read them all is told so. */
  public synchronized void trimAll() {
    first += log.size();
    log.clear();
  }

  /** How many changes were recorded since the store was made, trimmed ones included. */
  public synchronized long recorded() {
    return first + log.size();
  }

  /** Runs a write and records its changes in one atomic step, so the log has commit order. */
  private synchronized <T> T written(Process writer, ChangeKind kind,
      Map<PartitionKey, List<String>> ids, java.util.function.Supplier<T> write) {
    T result = write.get();
    Instant at = Instant.now();
    ids.forEach((partition, written) -> log.add(new Change(Long.toString(first + log.size()),
        partition, kind, Change.idsOf(written), writer.processId, at)));
    return result;
  }

  private static Map<PartitionKey, List<String>> byPartition(Collection<StoredMemory> memories) {
    Map<PartitionKey, List<String>> ids = new LinkedHashMap<>();
    memories.forEach(memory ->
        ids.computeIfAbsent(memory.partition(), key -> new ArrayList<>()).add(memory.id()));
    return ids;
  }

  /**
   * One process's view of the {@link SharedFeedStore}. Closing it does nothing: the data outlives
   * every process, and is dropped with the shared store. Thread-safe.
   */
  public final class Process extends ForwardingStore {
    private final String processId;
    private final ChangeFeed feed = new Feed();
    private final AtomicInteger trims = new AtomicInteger();

    private Process(String name) {
      super(data);
      this.processId = name + "-" + UUID.randomUUID();
    }

    /** How often {@link ChangeFeed#trim()} was called through this view. */
    public int trims() {
      return trims.get();
    }

    @Override
    public void insert(List<StoredMemory> memories, List<HistoryEntry> entries) {
      written(this, ChangeKind.INSERT, byPartition(memories), () -> {
        super.insert(memories, entries);
        return null;
      });
    }

    @Override
    public void replace(StoredMemory memory, HistoryEntry entry) {
      written(this, ChangeKind.REPLACE, byPartition(List.of(memory)), () -> {
        super.replace(memory, entry);
        return null;
      });
    }

    @Override
    public void commit(ChangeSet changes) {
      written(this, ChangeKind.COMMIT, byPartition(changes.memories()), () -> {
        super.commit(changes);
        return null;
      });
    }

    @Override
    public void replaceEmbeddings(List<StoredMemory> memories) {
      written(this, ChangeKind.EMBEDDINGS, byPartition(memories), () -> {
        super.replaceEmbeddings(memories);
        return null;
      });
    }

    @Override
    public int delete(PartitionKey partition, List<String> ids, List<HistoryEntry> entries) {
      return ids.isEmpty() ? super.delete(partition, ids, entries)
          : written(this, ChangeKind.DELETE, Map.of(partition, ids),
              () -> super.delete(partition, ids, entries));
    }

    @Override
    public Optional<ChangeFeed> changeFeed() {
      return Optional.of(feed);
    }

    @Override
    public String describe() {
      return "shared volatile store, process " + processId;
    }

    @Override
    public void close() {
      // the data outlives every process
    }

    /** The log, read by polling. */
    private final class Feed implements ChangeFeed {
      @Override
      public String processId() {
        return processId;
      }

      @Override
      public ChangeReader openReader() {
        return new Reader(recorded());
      }

      @Override
      public void trim() {
        trims.incrementAndGet();
      }

      @Override
      public String describe() {
        return "polling the shared test log";
      }
    }

    /** A position in the log; one thread reads it. */
    private final class Reader implements ChangeReader {
      private long next;

      private Reader(long next) {
        this.next = next;
      }

      @Override
      public ChangeBatch next(int limit, Duration maxWait) {
        synchronized (SharedFeedStore.this) {
          boolean trimmed = next < first;
          next = Math.max(next, first);
          int from = (int) (next - first);
          List<Change> changes = List.copyOf(log.subList(from, Math.min(log.size(), from + limit)));
          next += changes.size();
          return new ChangeBatch(changes, trimmed);
        }
      }

      @Override
      public boolean waits() {
        return false;
      }

      @Override
      public void close() {
        // holds nothing
      }
    }
  }
}

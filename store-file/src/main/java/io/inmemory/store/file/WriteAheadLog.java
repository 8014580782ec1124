package io.inmemory.store.file;

import static io.inmemory.store.file.StoreDirectory.LOG;

import io.inmemory.StorageException;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The write path of a store: logs each change to the current log generation (fsynced per the
 * {@link SyncMode}; concurrent writers share fsyncs, see {@link LogWriter}) before applying it
 * to the state, switches to the next generation for a compaction, and marks the log cleanly
 * closed. With {@link SyncMode#PERIODIC} its timer thread {@code inmemory-file-store-sync}
 * fsyncs the log. After a failed write or fsync it refuses every later write (the failure latch)
 * until the store is reopened. Thread-safe.
 *
 * <p><b>Lock order.</b> Locks are taken in this order, never the other way:
 * <ol>
 *   <li>the compaction lock (see {@code Compactor}), held across a whole compaction;
 *   <li>the access table's monitor: the table calls {@link #log} with it held;
 *   <li>the state lock: writers and the periodic fsync hold it shared, switching logs and closing
 *       hold it exclusively;
 *   <li>the partitions' locks, in {@link #partitionsOf the order of their keys};
 *   <li>the {@link LogWriter}'s own locks.
 * </ol>
 * So compaction reads the access table only after releasing the state lock, and closing closes
 * the table before taking it.
 */
final class WriteAheadLog {
  private static final Comparator<PartitionKey> PARTITION_ORDER =
      Comparator.comparing(PartitionKey::namespace).thenComparing(PartitionKey::owner);

  private final StoreDirectory dir;
  private final StoreState state;
  private final SyncMode syncMode;
  /** Writers hold it shared; switching logs and closing hold it exclusively. */
  private final ReentrantReadWriteLock stateLock = new ReentrantReadWriteLock();
  private final @Nullable ScheduledExecutorService syncer;

  /** Replaced only under the exclusive state lock. */
  private volatile LogWriter log;
  private volatile long generation;
  private volatile boolean closed;
  /** Why writes are refused after an I/O failure, or null. */
  private volatile @Nullable String failure;

  /**
   * Writes to {@code log}, of {@code generation}, from now on; starts the fsync timer if
   * {@code syncMode} is {@link SyncMode#PERIODIC}, every {@code syncInterval}.
   */
  WriteAheadLog(StoreDirectory dir, StoreState state, SyncMode syncMode, Duration syncInterval,
      LogWriter log, long generation) {
    this.dir = dir;
    this.state = state;
    this.syncMode = syncMode;
    this.log = log;
    this.generation = generation;
    if (syncMode == SyncMode.PERIODIC) {
      long millis = syncInterval.toMillis();
      this.syncer = Executors.newSingleThreadScheduledExecutor(
          Background.daemon("inmemory-file-store-sync"));
      syncer.scheduleWithFixedDelay(this::periodicSync, millis, millis, TimeUnit.MILLISECONDS);
    } else {
      this.syncer = null;
    }
  }

  /** The distinct partitions of {@code memories}, in the order locks are taken. */
  static List<PartitionKey> partitionsOf(List<StoredMemory> memories) {
    TreeSet<PartitionKey> keys = new TreeSet<>(PARTITION_ORDER);
    for (StoredMemory memory : memories) {
      keys.add(memory.partition());
    }
    return List.copyOf(keys);
  }

  /**
   * Validates and builds a change with the partitions locked, logs it (fsynced in
   * {@link SyncMode#ALWAYS}), then applies it. {@code validate} throws to reject the call, or
   * returns null when there is nothing to do.
   *
   * @param partitions the partitions the change touches, in {@link #partitionsOf lock order}
   * @return the change applied, or null when {@code validate} returned null
   */
  <C extends Change> @Nullable C write(List<PartitionKey> partitions,
      Supplier<@Nullable C> validate) {
    C change;
    stateLock.readLock().lock();
    try {
      ensureOpen();
      ensureWritable();
      List<StoreState.Partition> locked = new ArrayList<>(partitions.size());
      try {
        for (PartitionKey key : partitions) {
          StoreState.Partition partition = state.partition(key);
          partition.lock.lock();
          locked.add(partition);
        }
        change = validate.get();
        if (change == null) {
          return null;
        }
        long start = append(change);
        change.apply(state);
        change.recordEvents(state, StoreState.position(generation, start));
      } finally {
        for (int i = locked.size() - 1; i >= 0; i--) {
          locked.get(i).lock.unlock();
        }
      }
    } finally {
      stateLock.readLock().unlock();
    }
    return change;
  }

  /**
   * Logs an access change for the access table, which calls this with its monitor held and
   * applies the change once this returns; so access changes are logged in the order they are
   * applied. The lock order is therefore table monitor, then state lock: compaction reads the
   * table only after releasing the state lock.
   */
  void log(Change change) {
    stateLock.readLock().lock();
    try {
      ensureOpen();
      ensureWritable();
      append(change);
    } finally {
      stateLock.readLock().unlock();
    }
  }

  /**
   * Appends a change to the log, fsynced in {@link SyncMode#ALWAYS}; needs the state lock.
   * Returns the offset the change's record starts at.
   */
  private long append(Change change) {
    Encoder frame = change.encode();
    LogWriter current = log;
    try {
      long end = current.append(frame);
      if (syncMode == SyncMode.ALWAYS) {
        current.syncTo(end);
      }
      return end - frame.size();
    } catch (IOException e) {
      throw fail("Could not write to " + current.path(), e);
    }
  }

  private void periodicSync() {
    stateLock.readLock().lock();
    try {
      if (!closed && failure == null) {
        LogWriter current = log;
        try {
          current.sync();
        } catch (IOException e) {
          LOG.error("Periodic fsync of {} failed", current.path(), e);
          fail("Could not fsync " + current.path(), e);
        }
      }
    } finally {
      stateLock.readLock().unlock();
    }
  }

  /**
   * A log switch: the new generation, the size of the log it replaced, and the memories as they
   * were at the switch.
   */
  record Switched(long generation, long previousBytes,
      List<StoreState.PartitionCopy> memories) {}

  /**
   * Starts the next log generation with writers held out: fsyncs the current log (if the
   * snapshot of the next generation is never completed, recovery replays it before the new one),
   * creates the next and copies the memories; then closes the previous log.
   *
   * @throws StorageException when the fsync or the creation fails; writes go on to the current
   *     log (or, after a failed fsync, are refused)
   */
  Switched switchLog() {
    List<StoreState.PartitionCopy> copy;
    long next;
    LogWriter previous;
    stateLock.writeLock().lock();
    try {
      ensureOpen();
      ensureWritable();
      previous = log;
      try {
        // The previous log must be durable: if the snapshot is never completed, recovery
        // replays it before the new one.
        previous.sync();
      } catch (IOException e) {
        throw fail("Could not fsync " + previous.path(), e);
      }
      next = generation + 1;
      try {
        log = LogWriter.create(dir, next);
      } catch (IOException e) {
        throw dir.failure("Could not start log generation " + next, e);
      }
      generation = next;
      copy = state.copy();
    } finally {
      stateLock.writeLock().unlock();
    }
    closeQuietly(previous);
    return new Switched(next, previous.size(), copy);
  }

  /** The bytes of the current log, header included. */
  long logBytes() {
    return log.size();
  }

  /** The current log's generation. */
  long generation() {
    return generation;
  }

  /** Stops the fsync timer of {@link SyncMode#PERIODIC}, waiting for a running fsync. */
  void stopSyncing() {
    if (syncer != null) {
      Background.awaitTermination(syncer);
    }
  }

  /**
   * Refuses every later call, fsyncs the log and marks it cleanly closed (unless a failure left
   * its state uncertain), and closes it. Call once, after {@link #stopSyncing()} and after closing
   * the access table (which comes first in the lock order).
   */
  void close() {
    stateLock.writeLock().lock();
    try {
      closed = true;
      LogWriter current = log;
      if (failure == null) {
        try {
          current.sync();
          // Every byte before this marker is now fsynced: its horizon lets the next open tell
          // damage to the last records from a torn write.
          Encoder marker = new Encoder(Frames.HEADER_BYTES + 1);
          marker.beginFrame(Change.CLOSED);
          marker.endFrame();
          current.syncTo(current.append(marker));
        } catch (IOException e) {
          LOG.warn("Could not mark {} as cleanly closed", current.path(), e);
        }
      }
      closeQuietly(current);
    } finally {
      stateLock.writeLock().unlock();
    }
  }

  /**
   * Refuses every later call and closes the log without writing to it (not even the close
   * marker): for a store that failed to open, whose log may be of an older format.
   */
  void abandon() {
    stateLock.writeLock().lock();
    try {
      closed = true;
      closeQuietly(log);
    } finally {
      stateLock.writeLock().unlock();
    }
  }

  private static void closeQuietly(LogWriter writer) {
    try {
      writer.close();
    } catch (IOException e) {
      LOG.debug("Could not close {}", writer.path(), e);
    }
  }

  /** Throws {@link IllegalStateException} once the store is closed. */
  void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the file store " + dir.path() + " is closed");
    }
  }

  /** Throws {@link StorageException} once a write or fsync failed (the failure latch). */
  void ensureWritable() {
    String reason = failure;
    if (reason != null) {
      throw new StorageException("The file store " + dir.path() + " stopped accepting writes"
          + " after an I/O error (" + reason + "). Fix the cause (for example free disk space)"
          + " and reopen the store: recovery keeps every acknowledged write.");
    }
  }

  /** Refuses every later write: after a failed write or fsync the log's state is uncertain. */
  private StorageException fail(String what, IOException cause) {
    failure = what + ": " + cause;
    return dir.failure(what, cause);
  }
}

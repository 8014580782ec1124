package io.inmemory.store.file;

import static io.inmemory.store.file.StoreDirectory.LOG;

import io.inmemory.StorageException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Compaction: once the logs outgrow both the latest snapshot and the threshold, its thread
 * {@code inmemory-file-store-compaction} switches the {@link WriteAheadLog} to a new generation
 * and writes a snapshot of the state at that moment, then deletes the older files. One compaction
 * runs at a time; after one failed, the next is tried once the logs grew by the threshold again.
 * Thread-safe.
 */
final class Compactor {
  private final StoreDirectory dir;
  private final StoreState state;
  private final WriteAheadLog wal;
  private final long compactionLogSize;
  private final ReentrantLock compactionLock = new ReentrantLock();
  private final AtomicBoolean compactionQueued = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final ExecutorService compactor =
      Executors.newSingleThreadExecutor(Background.daemon("inmemory-file-store-compaction"));

  /** Bytes of the logs of earlier generations that the newest snapshot does not yet cover. */
  private volatile long olderLogBytes;
  private volatile long snapshotBytes;
  /** Log bytes below which no compaction is tried again after one failed. */
  private volatile long retryCompactionAt;

  /**
   * Compacts the logs of {@code wal} once they reach {@code compactionLogSize} bytes (or the
   * snapshot's size, if larger), counting {@code olderLogBytes} of older logs and a snapshot of
   * {@code snapshotBytes}, as recovery found them.
   */
  Compactor(StoreDirectory dir, StoreState state, WriteAheadLog wal, long compactionLogSize,
      long olderLogBytes, long snapshotBytes) {
    this.dir = dir;
    this.state = state;
    this.wal = wal;
    this.compactionLogSize = compactionLogSize;
    this.olderLogBytes = olderLogBytes;
    this.snapshotBytes = snapshotBytes;
  }

  /** The steps of a compaction at which a crash leaves a different directory. */
  enum Step {
    /** The log of the next generation exists, empty; its snapshot does not yet. */
    LOG_SWITCHED,
    /** The snapshot is whole in its temporary file, not yet renamed into place. */
    SNAPSHOT_WRITTEN,
    /** The snapshot is in place; the older files it replaces are not yet deleted. */
    SNAPSHOT_RENAMED
  }

  /** Told each {@link Step} as a compaction reaches it: a test hook (crash images, failures). */
  interface Steps {
    Steps NONE = step -> {};

    void reached(Step step);
  }

  /**
   * Compacts now; see {@code FileMemoryStore.compact()}.
   *
   * @throws StorageException when the snapshot cannot be written; the store stays usable and
   *     consistent (the logs still hold everything)
   */
  void compact() {
    compact(Steps.NONE);
  }

  /** Compacts now, telling {@code steps} each step as it is reached; see {@link #compact()}. */
  void compact(Steps steps) {
    compactionLock.lock();
    try {
      WriteAheadLog.Switched switched = wal.switchLog();
      long next = switched.generation();
      List<StoreState.PartitionCopy> copy = switched.memories();
      olderLogBytes += switched.previousBytes();
      steps.reached(Step.LOG_SWITCHED);
      StoreState.AccessCopy access = state.copyAccess();
      try {
        snapshotBytes = Snapshots.write(dir, next, copy, access,
            () -> steps.reached(Step.SNAPSHOT_WRITTEN));
      } catch (IOException e) {
        throw dir.failure("Could not write the snapshot " + dir.snapshot(next), e);
      }
      olderLogBytes = 0;
      steps.reached(Step.SNAPSHOT_RENAMED);
      try {
        dir.deleteGenerationsBelow(next);
      } catch (IOException e) {
        LOG.warn("Could not delete files replaced by {} (they are deleted on the next open)",
            dir.snapshot(next), e);
      }
    } finally {
      compactionLock.unlock();
    }
  }

  /** Whether the logs outgrew both the threshold and the snapshot (and no retry is pending). */
  private boolean compactionDue() {
    long logBytes = olderLogBytes + wal.logBytes();
    return logBytes >= Math.max(compactionLogSize, snapshotBytes) && logBytes >= retryCompactionAt;
  }

  /** Queues a compaction in the background if one is due and none is queued; call after writes. */
  void maybeCompact() {
    if (closing.get() || !compactionDue() || !compactionQueued.compareAndSet(false, true)) {
      return;
    }
    try {
      compactor.execute(() -> {
        try {
          // an explicit compact() may have run meanwhile
          if (compactionDue()) {
            compact();
          }
        } catch (RuntimeException e) {
          if (!closing.get()) {
            retryCompactionAt = olderLogBytes + wal.logBytes() + compactionLogSize;
            LOG.warn("Compaction of {} failed; retrying once the logs grow by {} bytes",
                dir.path(), compactionLogSize, e);
          }
        } finally {
          compactionQueued.set(false);
        }
      });
    } catch (RejectedExecutionException e) {
      compactionQueued.set(false);
    }
  }

  /**
   * Stops compacting in the background and waits for a running compaction.
   *
   * @return false if it was already closed
   */
  boolean close() {
    if (!closing.compareAndSet(false, true)) {
      return false;
    }
    Background.awaitTermination(compactor);
    return true;
  }
}

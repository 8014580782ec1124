package io.inmemory.store.file;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Appends frames to one log file, and fsyncs with group commit: {@link #syncTo(long)} returns
 * once an fsync that started after the caller's append has completed; while one caller fsyncs for
 * every append made so far, the others wait for it, and whoever is still uncovered then starts
 * the next. Concurrent writers thus share fsyncs without anyone returning before their own frame
 * is durable. Thread-safe.
 */
final class LogWriter implements Closeable {
  private final Path path;
  private final FileChannel channel;
  private final ReentrantLock appendLock = new ReentrantLock();
  private final ReentrantLock syncLock = new ReentrantLock();
  private final Condition syncDone = syncLock.newCondition();
  /** Whether an fsync is running; guarded by syncLock. */
  private boolean syncing;
  /** The failure of an earlier fsync; guarded by syncLock. */
  private @Nullable IOException syncFailure;
  /** End of the appended frames; written under appendLock. */
  private volatile long written;
  /** End of the fsynced bytes; written under syncLock, read without it. */
  private volatile long synced;

  private LogWriter(Path path, FileChannel channel, long end) {
    this.path = path;
    this.channel = channel;
    this.written = end;
    this.synced = end;
  }

  /** Creates the (empty) log of {@code generation} atomically and opens it. */
  static LogWriter create(StoreDirectory dir, long generation) throws IOException {
    Path path = dir.log(generation);
    dir.createAtomically(path, channel ->
        StoreDirectory.writeFully(channel, Frames.fileHeader(Frames.Kind.LOG, generation), 0));
    return open(path, Frames.FILE_HEADER_BYTES);
  }

  /**
   * Opens an existing log whose intact content ends at {@code end} (the file's size) for
   * appending, after fsyncing it, since a crashed process may have left its last writes in the
   * page cache only.
   */
  static LogWriter open(Path path, long end) throws IOException {
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    try {
      if (channel.size() != end) {
        throw new IOException(path + " is " + channel.size() + " bytes, expected " + end);
      }
      channel.force(true);
      return new LogWriter(path, channel, end);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  Path path() {
    return path;
  }

  /** Bytes in the file, header included. */
  long size() {
    return written;
  }

  /**
   * Appends one frame (encoded and closed, see {@link Encoder}), sealing it with the current
   * durability horizon.
   *
   * @return the end offset of the frame, to pass to {@link #syncTo(long)}
   * @throws IOException when the write fails; the file is then cut back to where it was, best
   *     effort
   */
  long append(Encoder frame) throws IOException {
    appendLock.lock();
    try {
      long start = written;
      frame.seal(0, synced);
      ByteBuffer bytes = frame.bytes();
      long end = start + bytes.remaining();
      try {
        StoreDirectory.writeFully(channel, bytes, start);
      } catch (IOException e) {
        try {
          channel.truncate(start);
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
      written = end;
      return end;
    } finally {
      appendLock.unlock();
    }
  }

  /**
   * Returns once every byte up to {@code end} is fsynced. The fsync runs outside the lock, so
   * writers whose records it covers return as soon as it ends, and writers that appended during
   * it elect one of them to fsync for all.
   *
   * @throws IOException when this or an earlier fsync failed: after a failed fsync the kernel may
   *     have dropped the data, so no later fsync can vouch for it
   */
  void syncTo(long end) throws IOException {
    if (synced >= end) {
      return;
    }
    syncLock.lock();
    try {
      while (synced < end) {
        if (syncFailure != null) {
          throw new IOException("an earlier fsync of " + path + " failed", syncFailure);
        }
        if (syncing) {
          syncDone.awaitUninterruptibly();
          continue;
        }
        syncing = true;
        long target = written;
        IOException failure = null;
        syncLock.unlock();
        try {
          channel.force(false);
        } catch (IOException e) {
          failure = e;
        } finally {
          syncLock.lock();
          syncing = false;
          if (failure == null) {
            synced = target;
          } else {
            syncFailure = failure;
          }
          syncDone.signalAll();
        }
      }
    } finally {
      syncLock.unlock();
    }
  }

  /** Fsyncs everything appended so far. */
  void sync() throws IOException {
    syncTo(written);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}

package io.inmemory.store.file;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Appends frames to one log file, and fsyncs with group commit: {@link #syncTo(long)} returns at
 * once when an fsync that started after the caller's append has already completed, and otherwise
 * lets one caller fsync for every append made so far while the others wait for it. Concurrent
 * writers thus share fsyncs without anyone returning before their own frame is durable.
 * Thread-safe.
 */
final class LogWriter implements Closeable {
  private final Path path;
  private final FileChannel channel;
  private final ReentrantLock appendLock = new ReentrantLock();
  private final ReentrantLock syncLock = new ReentrantLock();
  /** End of the appended frames; written under appendLock. */
  private volatile long written;
  /** End of the fsynced bytes; written under syncLock. */
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

  /** Returns once every byte up to {@code end} is fsynced. */
  void syncTo(long end) throws IOException {
    if (synced >= end) {
      return;
    }
    syncLock.lock();
    try {
      if (synced >= end) {
        return;
      }
      long target = written;
      channel.force(false);
      synced = target;
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

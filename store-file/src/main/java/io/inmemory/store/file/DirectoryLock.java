package io.inmemory.store.file;

import static io.inmemory.store.file.StoreDirectory.LOG;

import io.inmemory.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The lock on a store directory ({@value StoreDirectory#LOCK_FILE}), held while a store has it
 * open, so that a second store, in this or another process, fails to open instead of corrupting
 * it. The lock file records the holder's pid, which the refusal names. Thread-safe.
 */
final class DirectoryLock {
  private final StoreDirectory dir;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private DirectoryLock(StoreDirectory dir, FileChannel lockChannel, FileLock lock) {
    this.dir = dir;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Locks {@code dir}.
   *
   * @throws StorageException when another store holds the directory, or the lock file cannot be
   *     opened or locked
   */
  static DirectoryLock acquire(StoreDirectory dir) {
    Path lockFile = dir.path().resolve(StoreDirectory.LOCK_FILE);
    FileChannel lockChannel;
    try {
      lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE,
          StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw dir.failure("Cannot open the lock file", e);
    }
    FileLock acquired;
    try {
      acquired = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      closeLockChannel(dir, lockChannel);
      throw new StorageException("The file store " + dir.path() + " is already open in this JVM."
          + " Only one FileMemoryStore may use a directory at a time: close the other one first,"
          + " or share it.");
    } catch (IOException e) {
      closeLockChannel(dir, lockChannel);
      throw dir.failure("Cannot lock " + lockFile, e);
    }
    if (acquired == null) {
      String holder = readLockHolder(lockChannel);
      closeLockChannel(dir, lockChannel);
      throw new StorageException("The file store " + dir.path() + " is already open in another"
          + " process" + holder + ": " + lockFile + " is locked. Only one process may use a"
          + " store directory at a time: stop the other process, or give this one its own"
          + " directory with " + FileStoreSettings.DIR.name() + " (environment "
          + FileStoreSettings.DIR.envName() + ").");
    }
    try {
      byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
      lockChannel.truncate(0);
      StoreDirectory.writeFully(lockChannel, ByteBuffer.wrap(pid), 0);
    } catch (IOException e) {
      LOG.debug("Could not record this process in {}", lockFile, e);
    }
    return new DirectoryLock(dir, lockChannel, acquired);
  }

  private static String readLockHolder(FileChannel lockChannel) {
    try {
      ByteBuffer content = ByteBuffer.allocate(32);
      lockChannel.read(content, 0);
      String pid = new String(content.array(), 0, content.position(), StandardCharsets.US_ASCII)
          .trim();
      return pid.matches("\\d+") ? " (pid " + pid + ")" : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** Whether the lock is still held. */
  boolean isValid() {
    return lock.isValid();
  }

  /** Releases the lock and closes the lock file, logging (not throwing) what fails. */
  void release() {
    try {
      lock.release();
    } catch (IOException e) {
      LOG.debug("Could not release the lock of {}", dir.path(), e);
    }
    closeLockChannel(dir, lockChannel);
  }

  private static void closeLockChannel(StoreDirectory dir, FileChannel lockChannel) {
    try {
      lockChannel.close();
    } catch (IOException e) {
      LOG.debug("Could not close the lock file of {}", dir.path(), e);
    }
  }
}

package io.inmemory.store.h2;

import io.inmemory.StorageException;
import java.util.Map;
import java.util.Properties;
import org.h2.engine.ConnectionInfo;
import org.h2.engine.Constants;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.store.fs.FileUtils;
import org.jspecify.annotations.Nullable;

/**
 * Finishes H2's recovery of an embedded database after a crash, before H2 opens it, so that no
 * commit that returned is lost.
 *
 * <p><b>Why.</b> H2's MVStore (2.x; read in the 2.5.252 sources and bytecode) writes each commit as
 * a chunk. After a crash it looks for the newest chunk from the one the file header names,
 * following the position each chunk predicts for the next one, and at the end of the file. When a
 * chunk goes into free space in the middle of the file at another position than its predecessor
 * predicted, H2 rewrites the header, but with the previous chunk: {@code FileStore.storeBuffer}
 * sets {@code lastChunk} only after {@code RandomAccessStore.writeChunk} wrote the header from
 * it. Until a later header names a chunk from which the chain leads to the newest one, neither
 * the header, the predictions nor the end of the file lead to that chunk and those after it: a
 * process killed meanwhile reopens at an older version, and commits that had returned (and are in
 * the file) are dropped. Free space in the middle of the file exists once H2 reuses the space of
 * old chunks (after its retention time, 45 s by default, and at once after a restart).
 *
 * <p><b>What.</b> When the file header says the database was not closed cleanly, the database is
 * opened with H2's recovery mode, which scans the whole file for chunks and keeps the newest one
 * whose chunks are all intact. If that is newer than what H2 would open, the store is closed
 * cleanly, which writes a header naming it; H2 then opens the database with every commit. A scan
 * that would move the database back in time (its newest chunk older than the one H2 would open,
 * as chunks of commits dropped by an earlier open can be) is refused with a
 * {@link StorageException}. A database file in use by another process or another H2 database of
 * this JVM is left alone: its user runs it.
 *
 * <p>Stateless; callers serialize it with opening the database (see {@link H2MemoryStore}).
 */
final class CrashRepair {
  /** The header entry H2 writes on a clean close. */
  private static final String CLEAN = "clean";
  private static final String CHUNK = "chunk.";

  /** What a repair found: the version H2 alone would have opened, and the one it recovered. */
  record Outcome(long opened, long recovered) {}

  private CrashRepair() {}

  /**
   * Repairs the embedded database of {@code url} if it was not closed cleanly and H2 would open
   * it at an older version than it holds.
   *
   * @return what was repaired; null when nothing was: not an embedded file database, no file yet,
   *     closed cleanly, in use elsewhere, or nothing newer found
   * @throws StorageException when the repair is needed but cannot be done safely
   */
  static @Nullable Outcome repair(H2Url url, String user, String password) {
    String file = databaseFile(url, user, password);
    if (file == null || !FileUtils.exists(file)) {
      return null;
    }
    long opened;
    long openedTime;
    try {
      MVStore store = new MVStore.Builder().fileName(file).readOnly().open();
      try {
        if (store.getFileStore().getStoreHeader().containsKey(CLEAN)) {
          return null;
        }
        opened = store.getCurrentVersion();
        openedTime = newestChunkTime(store);
      } finally {
        store.closeImmediately();
      }
    } catch (MVStoreException e) {
      // in use elsewhere, or damaged: H2's own open says so in its terms
      return null;
    }
    return recover(url, file, opened, openedTime);
  }

  private static Outcome recover(H2Url url, String file, long opened, long openedTime) {
    MVStore store;
    try {
      store = new MVStore.Builder().fileName(file).recoveryMode().autoCommitDisabled().open();
    } catch (MVStoreException e) {
      if (e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
        return null;
      }
      throw failure(url, "H2's recovery scan failed: " + e.getMessage(), e);
    }
    long recovered = store.getCurrentVersion();
    if (recovered <= opened) {
      store.closeImmediately();
      return null;
    }
    long recoveredTime;
    try {
      recoveredTime = newestChunkTime(store);
    } catch (RuntimeException e) {
      store.closeImmediately();
      throw failure(url, "its chunks could not be read: " + e.getMessage(), e);
    }
    if (recoveredTime < openedTime) {
      store.closeImmediately();
      throw failure(url, "H2's recovery scan found version " + recovered
          + ", newer than version " + opened + " that H2 would open but written before it: it"
          + " holds chunks of commits an earlier open after a crash dropped. Neither is safe to"
          + " pick automatically", null);
    }
    try {
      store.close();
    } catch (MVStoreException e) {
      throw failure(url, "writing the recovered header failed: " + e.getMessage(), e);
    }
    return new Outcome(opened, recovered);
  }

  /**
   * The file of an embedded database as H2 resolves it (home directory, base directory, file
   * system prefix); null for in-memory and server URLs, and for URLs H2 would refuse anyway.
   */
  private static @Nullable String databaseFile(H2Url url, String user, String password) {
    if (!url.embedded()) {
      return null;
    }
    try {
      ConnectionInfo info = new ConnectionInfo(url.url(), new Properties(), user, password);
      return info.isPersistent() && !info.isRemote()
          ? info.getName() + Constants.SUFFIX_MV_FILE : null;
    } catch (RuntimeException e) {
      // H2's open reports what is wrong with the URL
      return null;
    }
  }

  /**
   * The time (milliseconds since the file was created) of the newest chunk the store's layout
   * lists, or -1 when it lists none. The layout of a version lists the chunks before its own.
   */
  private static long newestChunkTime(MVStore store) {
    long newestVersion = -1;
    long time = -1;
    for (Map.Entry<String, String> entry : store.getLayoutMap().entrySet()) {
      if (entry.getKey().startsWith(CHUNK)) {
        Map<String, String> chunk = DataUtils.parseMap(entry.getValue());
        long version = DataUtils.readHexLong(chunk, "version", -1);
        if (version > newestVersion) {
          newestVersion = version;
          time = DataUtils.readHexLong(chunk, "time", -1);
        }
      }
    }
    return time;
  }

  private static StorageException failure(H2Url url, String reason, Exception cause) {
    return new StorageException("The H2 database " + url.shown() + " was not closed cleanly and"
        + " its crash recovery cannot be completed: " + reason + ". Copy the database file aside"
        + " before anything else opens it: H2's own open may drop the most recent commits.",
        cause);
  }
}

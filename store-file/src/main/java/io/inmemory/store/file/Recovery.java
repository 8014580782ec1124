package io.inmemory.store.file;

import static io.inmemory.store.file.StoreDirectory.LOG;

import io.inmemory.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.TreeSet;

/**
 * Opening a store directory: replays the newest snapshot and the logs after it into the state. A
 * log that ends in an incomplete record (a write interrupted by a crash, never acknowledged) is
 * cut back to its last intact record, with a warning giving the byte offset. Damage anywhere else
 * (a record that fails its checksum although later records prove it had been fsynced, a damaged
 * snapshot, a missing snapshot or log) fails with a {@link StorageException} that names the file,
 * the byte offset and what to do, and changes nothing on disk. Only once everything read back
 * intact are temporary files and the generations the snapshot replaces deleted. Not thread-safe:
 * runs once, before the store is shared.
 */
final class Recovery {
  private final StoreDirectory dir;
  private final StoreState state;
  private int oldestVersion = Frames.FORMAT_VERSION;

  /**
   * What recovery found.
   *
   * @param log the newest log, open for appending after its intact content
   * @param generation the newest log's generation
   * @param olderLogBytes the bytes of the logs of earlier generations that the newest snapshot
   *     does not cover (those of an interrupted compaction)
   * @param snapshotBytes the size of the snapshot read, 0 if none
   * @param formatVersion the oldest format version of the files read: below
   *     {@link Frames#FORMAT_VERSION}, the store must be migrated before its log is written to
   */
  record Recovered(LogWriter log, long generation, long olderLogBytes, long snapshotBytes,
      int formatVersion) {}

  private Recovery(StoreDirectory dir, StoreState state) {
    this.dir = dir;
    this.state = state;
  }

  /**
   * Rebuilds {@code state} from the newest snapshot in {@code dir} and the logs after it, and
   * opens the newest log for appending; see the class documentation.
   *
   * @throws StorageException when a file is damaged or missing (nothing was changed on disk)
   * @throws IOException when a file cannot be read or the log cannot be cut back or opened
   */
  static Recovered recover(StoreDirectory dir, StoreState state) throws IOException {
    return new Recovery(dir, state).recover();
  }

  private Recovered recover() throws IOException {
    StoreDirectory.Listing listing = dir.list();
    TreeSet<Long> logs = listing.logs();
    TreeSet<Long> snapshots = listing.snapshots();
    if (logs.isEmpty() && snapshots.isEmpty()) {
      dir.deleteTemporaryFiles();
      return new Recovered(LogWriter.create(dir, 0), 0, 0, 0, Frames.FORMAT_VERSION);
    }
    if (logs.isEmpty() || (!snapshots.isEmpty() && snapshots.last() > logs.last())) {
      long newest = snapshots.last();
      throw new StorageException("The file store " + dir.path() + " cannot open: "
          + dir.snapshot(newest) + " exists but its log " + dir.log(newest) + ", which holds"
          + " every change made after it, is missing. Restore that file (or the whole directory)"
          + " from a backup. Nothing was changed on disk.");
    }
    long last = logs.last();
    long base = last;
    while (base > 0 && !snapshots.contains(base)) {
      // A log without its snapshot is readable only after the previous generation: a compaction
      // that was interrupted before its snapshot was complete.
      if (!logs.contains(base - 1)) {
        throw new StorageException("The file store " + dir.path() + " cannot open: "
            + dir.log(base) + " holds the changes made after the snapshot " + dir.snapshot(base)
            + ", but that snapshot is missing and no older log leads up to it. Opening without"
            + " it would lose every memory stored before it. Restore " + dir.snapshot(base)
            + " (or the whole directory) from a backup. Nothing was changed on disk.");
      }
      base--;
    }
    long snapshotBytes = 0;
    if (base > 0) {
      Snapshots.Loaded snapshot = Snapshots.read(dir, base, state);
      snapshotBytes = snapshot.bytes();
      oldestVersion = Math.min(oldestVersion, snapshot.version());
    }
    long olderLogBytes = 0;
    long end = 0;
    for (long g = base; g <= last; g++) {
      end = replay(g, g == last);
      if (g < last) {
        olderLogBytes += end;
      }
    }
    if (base < last) {
      LOG.info("{}: a compaction was interrupted; replayed generations {} to {}", dir.path(),
          base, last);
    }
    // Only now that everything read back intact: remove what is no longer needed.
    dir.deleteTemporaryFiles();
    dir.deleteGenerationsBelow(base);
    return new Recovered(LogWriter.open(dir.log(last), end), last, olderLogBytes,
        snapshotBytes, oldestVersion);
  }

  /** Replays one log into the state; returns where its intact content ends. */
  private long replay(long generation, boolean last) throws IOException {
    Path file = dir.log(generation);
    FrameReader.Damage damage;
    long size;
    try (FrameReader reader = FrameReader.open(file, Frames.Kind.LOG, generation)) {
      size = reader.size();
      oldestVersion = Math.min(oldestVersion, reader.version());
      damage = reader.readAll((type, in, offset) -> {
        try {
          Change change = Change.decode(type, in);
          if (change != null) {
            change.apply(state);
            change.recordEvents(state, StoreState.position(generation, offset));
          }
        } catch (RuntimeException e) {
          throw new StorageException("The log " + file + " is damaged at byte offset " + offset
              + ": the record passes its checksum but does not decode (" + e.getMessage()
              + "). Restore the store directory from a backup. Nothing was changed on disk.", e);
        }
      });
    }
    if (damage == null) {
      return size;
    }
    if (damage.acknowledged() || !last) {
      String evidence = damage.acknowledged()
          ? "the intact record at byte offset " + damage.proofOffset() + " was written after it"
              + " had been fsynced, so this is damage to stored data, not an interrupted write"
          : "a newer log generation follows this one, so it was complete when it was closed";
      String remedy = last
          ? " To keep only what precedes the damage instead, truncate the file to "
              + damage.offset() + " bytes (for example: truncate -s " + damage.offset() + " "
              + file + "), which discards that record and the " + (size - damage.offset())
              + " bytes after it."
          : "";
      throw new StorageException("The log " + file + " is damaged at byte offset "
          + damage.offset() + ": " + damage.reason() + "; " + evidence + ". The store will not"
          + " skip it. Restore the store directory from a backup." + remedy
          + " Nothing was changed on disk.");
    }
    LOG.warn("Recovered {}: it ended with an incomplete record at byte offset {} ({}), left by a"
        + " write interrupted before it was acknowledged. Truncated the log to {} bytes, dropping"
        + " {} bytes ({} complete but unacknowledged records after it).", file, damage.offset(),
        damage.reason(), damage.offset(), size - damage.offset(), damage.laterFrames());
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(damage.offset());
      channel.force(true);
    }
    return damage.offset();
  }
}

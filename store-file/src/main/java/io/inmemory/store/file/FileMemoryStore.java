package io.inmemory.store.file;

import io.inmemory.ConflictException;
import io.inmemory.HistoryEntry;
import io.inmemory.NotFoundException;
import io.inmemory.StorageException;
import io.inmemory.engine.spi.IndexSnapshots;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoreDirectories;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tenant.AccessStore;
import io.inmemory.engine.tenant.AccessTable;
import io.inmemory.engine.tenant.ApiKeyRecord;
import io.inmemory.engine.tenant.Project;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable file store, named {@code file}: an append-only, checksummed log of changes plus
 * periodic snapshots, in one directory, with everything also held in memory so that
 * {@link #load(PartitionKey)}, {@link #history(PartitionKey, String)} and the lookups of
 * {@link #access()} never touch the disk. The log and snapshots hold the memories, their history
 * and the server's projects and API keys.
 *
 * <p><b>Durability.</b> With {@link SyncMode#ALWAYS} (the default), when {@link #insert},
 * {@link #replace}, {@link #replaceEmbeddings}, {@link #delete} or a write of {@link #access()}
 * (a new project or key, a revocation, a usage report) returns, the change has been fsynced
 * ({@link FileChannel#force}) and survives a crash of the process ({@code kill -9}), of the
 * operating system and a power loss. Concurrent writers share one fsync (group commit), so
 * writers to different partitions do not queue for one fsync each. {@link SyncMode#PERIODIC} and
 * {@link SyncMode#NEVER} are weaker and opt-in; see their documentation. A call that throws stored
 * nothing, with one exception: when an fsync itself fails, the changes being synced may or may
 * not be on disk, and the store refuses every later write (the operating system may have dropped
 * the data) until it is reopened.
 *
 * <p><b>Recovery.</b> Opening replays the newest snapshot and the logs after it. A log that ends
 * in an incomplete record (a write interrupted by a crash, never acknowledged) is cut back to its
 * last intact record, and a warning gives the byte offset. Damage anywhere else — a record that
 * fails its checksum although later records prove it had been fsynced, a damaged snapshot, a
 * missing snapshot or log — fails the open with a {@link StorageException} that names the file,
 * the byte offset and what to do, and changes nothing on disk. No damaged record is ever skipped.
 *
 * <p><b>Exclusive access.</b> The directory is locked ({@code memories.lock}) while the store is
 * open: a second store on the same directory, in this or another process, fails to open with a
 * {@link StorageException} instead of corrupting it.
 *
 * <p><b>Compaction.</b> Once the logs outgrow both the latest snapshot and the compaction
 * threshold, a background thread starts a new log generation and writes a snapshot of the state
 * at that moment (to a temporary file, fsynced, renamed, directory fsynced), then deletes the
 * older files. Writers wait only for the switch to the new log, not for the snapshot.
 *
 * <p><b>Index snapshots.</b> {@link #indexSnapshots()} keeps the engine's HNSW graph snapshots in
 * the subdirectory {@code index}, one file per partition, written atomically and covered by the
 * directory lock; compaction leaves them alone (the engine checks each against the memories).
 *
 * <p>Thread-safe: writes to different partitions run concurrently; writes to one partition are
 * serialized. Calls after {@link #close()} throw {@link IllegalStateException}. Arguments must
 * not be null; lookups of what was never stored return empty lists.
 */
public final class FileMemoryStore implements MemoryStore {
  private static final Logger LOG = LoggerFactory.getLogger(FileMemoryStore.class);
  private static final Comparator<PartitionKey> PARTITION_ORDER =
      Comparator.comparing(PartitionKey::namespace).thenComparing(PartitionKey::userId);

  private final StoreDirectory dir;
  private final SyncMode syncMode;
  private final long compactionLogSize;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final StoreState state = new StoreState(new Journal());
  /** Writers hold it shared; switching logs and closing hold it exclusively. */
  private final ReentrantReadWriteLock stateLock = new ReentrantReadWriteLock();
  private final ReentrantLock compactionLock = new ReentrantLock();
  private final AtomicBoolean compactionQueued = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final ExecutorService compactor;
  private final ScheduledExecutorService syncer;
  private final IndexFiles indexFiles;

  /** Replaced only under the exclusive state lock. */
  private volatile LogWriter log;
  private volatile long generation;
  /** Bytes of the logs of earlier generations that the newest snapshot does not yet cover. */
  private volatile long olderLogBytes;
  private volatile long snapshotBytes;
  /** Log bytes below which no compaction is tried again after one failed. */
  private volatile long retryCompactionAt;
  private volatile boolean closed;
  /** Why writes are refused after an I/O failure, or null. */
  private volatile String failure;

  private FileMemoryStore(Builder builder) {
    this.dir = new StoreDirectory(builder.dir);
    this.syncMode = builder.syncMode;
    this.compactionLogSize = builder.compactionLogSize;
    StoreDirectories.requireWritable(builder.dir, "The file store's directory",
        FileStoreSettings.DIR, "a directory");
    Path lockFile = builder.dir.resolve(StoreDirectory.LOCK_FILE);
    try {
      this.lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE,
          StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw dir.failure("Cannot open the lock file", e);
    }
    this.lock = acquireLock(lockFile);
    try {
      recover();
      this.indexFiles = new IndexFiles(builder.dir, this::ensureOpen);
    } catch (IOException e) {
      releaseLock();
      throw dir.failure("Cannot open the store", e);
    } catch (RuntimeException e) {
      releaseLock();
      throw e;
    }
    this.compactor = Executors.newSingleThreadExecutor(daemon("inmemory-file-store-compaction"));
    if (syncMode == SyncMode.PERIODIC) {
      long millis = builder.syncInterval.toMillis();
      this.syncer = Executors.newSingleThreadScheduledExecutor(daemon("inmemory-file-store-sync"));
      syncer.scheduleWithFixedDelay(this::periodicSync, millis, millis, TimeUnit.MILLISECONDS);
    } else {
      this.syncer = null;
    }
    LOG.info("Opened {}: {} memories, generation {}", describe(), state.memoryCount(),
        generation);
  }

  /** A builder of a store in {@code dir} (created if missing). */
  public static Builder builder(Path dir) {
    return new Builder(dir);
  }

  /** Opens the store in {@code dir} with the defaults; see {@link Builder#open()}. */
  public static FileMemoryStore open(Path dir) {
    return builder(dir).open();
  }

  // ---------------------------------------------------------------- opening

  private FileLock acquireLock(Path lockFile) {
    FileLock acquired;
    try {
      acquired = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      closeLockChannel();
      throw new StorageException("The file store " + dir.path() + " is already open in this JVM."
          + " Only one FileMemoryStore may use a directory at a time: close the other one first,"
          + " or share it.");
    } catch (IOException e) {
      closeLockChannel();
      throw dir.failure("Cannot lock " + lockFile, e);
    }
    if (acquired == null) {
      String holder = readLockHolder();
      closeLockChannel();
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
    return acquired;
  }

  private String readLockHolder() {
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

  /** Rebuilds the state from the newest snapshot and the logs after it; see the class doc. */
  private void recover() throws IOException {
    StoreDirectory.Listing listing = dir.list();
    TreeSet<Long> logs = listing.logs();
    TreeSet<Long> snapshots = listing.snapshots();
    if (logs.isEmpty() && snapshots.isEmpty()) {
      dir.deleteTemporaryFiles();
      log = LogWriter.create(dir, 0);
      generation = 0;
      return;
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
    if (base > 0) {
      snapshotBytes = Snapshots.read(dir, base, state);
    }
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
    log = LogWriter.open(dir.log(last), end);
    generation = last;
  }

  /** Replays one log into the state; returns where its intact content ends. */
  private long replay(long generation, boolean last) throws IOException {
    Path file = dir.log(generation);
    FrameReader.Damage damage;
    long size;
    try (FrameReader reader = FrameReader.open(file, Frames.Kind.LOG, generation)) {
      size = reader.size();
      damage = reader.readAll((type, in, offset) -> {
        try {
          Change change = Change.decode(type, in);
          if (change != null) {
            change.apply(state);
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

  // ---------------------------------------------------------------- writes

  @Override
  public void insert(List<StoredMemory> memories, List<HistoryEntry> entries) {
    List<StoredMemory> batch = List.copyOf(memories);
    List<HistoryEntry> history = List.copyOf(entries);
    int[] owners = StoredMemory.owners(batch, history);
    write(partitionsOf(batch), () -> {
      Set<String> seen = new HashSet<>();
      for (StoredMemory memory : batch) {
        if (!seen.add(memory.namespace() + '\0' + memory.memory().userId() + '\0' + memory.id())
            || state.partition(memory.partition()).memories.containsKey(memory.id())) {
          throw new ConflictException("memory " + memory.id() + " already exists");
        }
      }
      return batch.isEmpty() ? null : new Change.Insert(batch, history, owners);
    });
  }

  @Override
  public void replace(StoredMemory memory, HistoryEntry entry) {
    Objects.requireNonNull(memory, "memory");
    Objects.requireNonNull(entry, "entry");
    write(List.of(memory.partition()), () -> {
      if (!state.partition(memory.partition()).memories.containsKey(memory.id())) {
        throw new NotFoundException("memory " + memory.id() + " does not exist");
      }
      return new Change.Replace(memory, entry);
    });
  }

  @Override
  public void replaceEmbeddings(List<StoredMemory> memories) {
    List<StoredMemory> batch = List.copyOf(memories);
    write(partitionsOf(batch), () -> {
      List<StoredMemory> existing = new ArrayList<>(batch.size());
      for (StoredMemory memory : batch) {
        if (state.partition(memory.partition()).memories.containsKey(memory.id())) {
          existing.add(memory);
        }
      }
      return existing.isEmpty() ? null : new Change.ReplaceEmbeddings(existing);
    });
  }

  @Override
  public int delete(PartitionKey partition, List<String> ids, List<HistoryEntry> entries) {
    Objects.requireNonNull(partition, "partition");
    List<String> requested = List.copyOf(ids);
    List<HistoryEntry> history = List.copyOf(entries);
    Change.Delete deleted = write(List.of(partition), () -> {
      Map<String, StoredMemory> memories = state.partition(partition).memories;
      Set<String> existing = new LinkedHashSet<>();
      for (String id : requested) {
        if (memories.containsKey(id)) {
          existing.add(id);
        }
      }
      if (existing.isEmpty()) {
        return null;
      }
      List<HistoryEntry> kept = history.stream()
          .filter(entry -> existing.contains(entry.memoryId())).toList();
      return new Change.Delete(partition, List.copyOf(existing), kept);
    });
    return deleted == null ? 0 : deleted.ids().size();
  }

  /**
   * Validates and builds a change with the partitions locked, logs it (fsynced in
   * {@link SyncMode#ALWAYS}), then applies it. {@code validate} throws to reject the call, or
   * returns null when there is nothing to do.
   */
  private <C extends Change> C write(List<PartitionKey> partitions, Supplier<C> validate) {
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
        append(change);
        change.apply(state);
      } finally {
        for (int i = locked.size() - 1; i >= 0; i--) {
          locked.get(i).lock.unlock();
        }
      }
    } finally {
      stateLock.readLock().unlock();
    }
    maybeCompact();
    return change;
  }

  /**
   * Logs an access change for the access table, which calls this with its monitor held and
   * applies the change once this returns; so access changes are logged in the order they are
   * applied. The lock order is therefore table monitor, then state lock: compaction reads the
   * table only after releasing the state lock.
   */
  private void log(Change change) {
    stateLock.readLock().lock();
    try {
      ensureOpen();
      ensureWritable();
      append(change);
    } finally {
      stateLock.readLock().unlock();
    }
    maybeCompact();
  }

  /** Appends a change to the log, fsynced in {@link SyncMode#ALWAYS}; needs the state lock. */
  private void append(Change change) {
    Encoder frame = change.encode();
    LogWriter current = log;
    try {
      long end = current.append(frame);
      if (syncMode == SyncMode.ALWAYS) {
        current.syncTo(end);
      }
    } catch (IOException e) {
      throw fail("Could not write to " + current.path(), e);
    }
  }

  /** The access table's journal: every change becomes one log record, see {@link #log}. */
  private final class Journal implements AccessTable.Journal {
    @Override
    public void putProject(Project project) {
      log(new Change.PutProject(project));
    }

    /** Usage reports, the frequent case, are logged in their compact form. */
    @Override
    public void putKeys(List<ApiKeyRecord> keys) {
      List<Change.PutUsage.Usage> usages = new ArrayList<>(keys.size());
      for (ApiKeyRecord key : keys) {
        // the table calls this with its monitor held, so it still holds the previous version
        Change.PutUsage.Usage usage = state.access.key(key.id())
            .map(before -> Change.PutUsage.of(before, key)).orElse(null);
        if (usage == null) {
          log(new Change.PutKeys(List.copyOf(keys)));
          return;
        }
        usages.add(usage);
      }
      log(new Change.PutUsage(usages));
    }
  }

  /** The distinct partitions of {@code memories}, in the order locks are taken. */
  private static List<PartitionKey> partitionsOf(List<StoredMemory> memories) {
    TreeSet<PartitionKey> keys = new TreeSet<>(PARTITION_ORDER);
    for (StoredMemory memory : memories) {
      keys.add(memory.partition());
    }
    return List.copyOf(keys);
  }

  // ---------------------------------------------------------------- reads

  @Override
  public List<StoredMemory> load(PartitionKey partition) {
    return read(partition, found -> found.memories.values());
  }

  @Override
  public List<HistoryEntry> history(PartitionKey partition, String memoryId) {
    Objects.requireNonNull(memoryId, "memoryId");
    return read(partition, found -> found.history.getOrDefault(memoryId, List.of()));
  }

  /** A copy of what {@code select} picks from the partition, taken under its lock. */
  private <T> List<T> read(PartitionKey partition,
      Function<StoreState.Partition, Collection<T>> select) {
    Objects.requireNonNull(partition, "partition");
    ensureOpen();
    StoreState.Partition found = state.find(partition);
    if (found == null) {
      return List.of();
    }
    found.lock.lock();
    try {
      return List.copyOf(select.apply(found));
    } finally {
      found.lock.unlock();
    }
  }

  /**
   * The projects and API keys, held in memory and logged like memory writes: each change is one
   * checksummed log record, fsynced before it returns with {@link SyncMode#ALWAYS}, and part of
   * every snapshot. Usage reports are logged compactly (the changed counts only).
   */
  @Override
  public AccessStore access() {
    return state.access;
  }

  /** Index snapshots in the subdirectory {@code index}; see the class documentation. */
  @Override
  public Optional<IndexSnapshots> indexSnapshots() {
    return Optional.of(indexFiles);
  }

  @Override
  public void ping() {
    ensureOpen();
    ensureWritable();
    if (!lock.isValid() || !Files.isDirectory(dir.path())) {
      throw new StorageException("The file store " + dir.path() + " lost its directory or lock");
    }
  }

  @Override
  public String describe() {
    return "file store at " + dir.path().toAbsolutePath() + " (sync " + syncMode.configName()
        + ")";
  }

  // ---------------------------------------------------------------- compaction

  /**
   * Compacts now: starts a new log generation and writes a snapshot of everything stored, then
   * deletes the files it replaces. Blocks until done; writers are held up only while the log is
   * switched. Compaction also runs by itself in the background when the logs grow large.
   *
   * <p>The memories are copied at the switch; the access records just after it (the table's
   * monitor cannot be taken while writers are held up, see {@link #log}), so they may include
   * changes also logged in the new log. Those are upserts of absolute values, so replaying them
   * over the snapshot yields the same state.
   *
   * @throws StorageException when the snapshot cannot be written; the store stays usable and
   *     consistent (the logs still hold everything)
   */
  public void compact() {
    compactionLock.lock();
    try {
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
        olderLogBytes += previous.size();
        copy = state.copy();
      } finally {
        stateLock.writeLock().unlock();
      }
      closeQuietly(previous);
      StoreState.AccessCopy access = state.copyAccess();
      try {
        snapshotBytes = Snapshots.write(dir, next, copy, access);
      } catch (IOException e) {
        throw dir.failure("Could not write the snapshot " + dir.snapshot(next), e);
      }
      olderLogBytes = 0;
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
    long logBytes = olderLogBytes + log.size();
    return logBytes >= Math.max(compactionLogSize, snapshotBytes) && logBytes >= retryCompactionAt;
  }

  private void maybeCompact() {
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
            retryCompactionAt = olderLogBytes + log.size() + compactionLogSize;
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

  // ---------------------------------------------------------------- lifecycle

  /**
   * Waits for a running compaction, fsyncs and marks the log cleanly closed, and releases the
   * directory. Idempotent.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    awaitTermination(compactor);
    if (syncer != null) {
      awaitTermination(syncer);
    }
    // Before the state lock: the table's writers take its monitor first (see log()).
    state.access.close();
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
      releaseLock();
    } finally {
      stateLock.writeLock().unlock();
    }
  }

  private static void awaitTermination(ExecutorService executor) {
    executor.shutdown();
    boolean interrupted = false;
    while (true) {
      try {
        if (executor.awaitTermination(1, TimeUnit.MINUTES)) {
          break;
        }
        LOG.info("Still waiting for the file store's background work to finish");
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void releaseLock() {
    try {
      lock.release();
    } catch (IOException e) {
      LOG.debug("Could not release the lock of {}", dir.path(), e);
    }
    closeLockChannel();
  }

  private void closeLockChannel() {
    try {
      lockChannel.close();
    } catch (IOException e) {
      LOG.debug("Could not close the lock file of {}", dir.path(), e);
    }
  }

  private static void closeQuietly(LogWriter writer) {
    try {
      writer.close();
    } catch (IOException e) {
      LOG.debug("Could not close {}", writer.path(), e);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the file store " + dir.path() + " is closed");
    }
  }

  private void ensureWritable() {
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

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * Configures and opens a {@link FileMemoryStore}. Not thread-safe.
   */
  public static final class Builder {
    private final Path dir;
    private SyncMode syncMode = SyncMode.ALWAYS;
    private Duration syncInterval = FileStoreSettings.DEFAULT_SYNC_INTERVAL;
    private long compactionLogSize = FileStoreSettings.DEFAULT_COMPACTION_LOG_SIZE;

    private Builder(Path dir) {
      this.dir = Objects.requireNonNull(dir, "dir");
    }

    /** When the log is fsynced; default {@link SyncMode#ALWAYS}. */
    public Builder sync(SyncMode mode) {
      this.syncMode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** The fsync interval of {@link SyncMode#PERIODIC}; default one second. */
    public Builder syncInterval(Duration interval) {
      this.syncInterval = FileStoreSettings.checkSyncInterval(interval);
      return this;
    }

    /**
     * How large the logs may grow before a compaction, unless the latest snapshot is larger
     * (then the logs may grow to its size, so rewriting stays proportional to the writes);
     * default 64 MiB.
     */
    public Builder compactionLogSize(long bytes) {
      this.compactionLogSize = FileStoreSettings.checkCompactionLogSize(bytes);
      return this;
    }

    /**
     * Opens the store, creating the directory if needed and recovering what it holds.
     *
     * @throws StorageException when the directory is in use by another store, cannot be read or
     *     written, or holds damaged or missing files (the message names the file, the byte
     *     offset and what to do)
     */
    public FileMemoryStore open() {
      return new FileMemoryStore(this);
    }
  }
}

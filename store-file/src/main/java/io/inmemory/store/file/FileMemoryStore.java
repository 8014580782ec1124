package io.inmemory.store.file;

import io.inmemory.ConflictException;
import io.inmemory.HistoryEntry;
import io.inmemory.NotFoundException;
import io.inmemory.StorageException;
import io.inmemory.engine.spi.ChangeSet;
import io.inmemory.engine.spi.IndexSnapshots;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.PartitionSummary;
import io.inmemory.engine.spi.StoreDirectories;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tenant.AccessStore;
import io.inmemory.engine.tenant.AccessTable;
import io.inmemory.engine.tenant.ApiKeyRecord;
import io.inmemory.engine.tenant.Project;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The durable file store, named {@code file}: an append-only, checksummed log of changes plus
 * periodic snapshots, in one directory, with everything also held in memory so that
 * {@link #load(PartitionKey)}, {@link #history(PartitionKey, String)} and the lookups of
 * {@link #access()} never touch the disk. The log and snapshots hold the memories, their history,
 * the server's projects and API keys, and its webhooks with their deliveries and pending events
 * (with events recorded, a memory write's events are flagged in the write's own log record, so
 * they are exactly as durable as the write).
 *
 * <p><b>Durability.</b> With {@link SyncMode#ALWAYS} (the default), when {@link #insert},
 * {@link #replace}, {@link #commit}, {@link #replaceEmbeddings}, {@link #delete} or a write of
 * {@link #access()} (a new project or key, a revocation, a usage report) returns, the change has
 * been fsynced ({@link FileChannel#force}) and survives a crash of the process ({@code kill -9}),
 * of the operating system and a power loss. Concurrent writers share one fsync (group commit), so
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
 * A directory of the older format 2 is read and rewritten in the current format before the store
 * accepts a write (its log is never appended to), crash-safe like a compaction.
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
 * serialized. Calls after {@link #close()} throw {@link IllegalStateException}; lookups of what
 * was never stored return empty lists.
 */
public final class FileMemoryStore implements MemoryStore {
  private final StoreDirectory dir;
  private final SyncMode syncMode;
  private final DirectoryLock lock;
  private final StoreState state = new StoreState(new Journal(),
      effect -> log(new Change.Webhooks(effect)));
  private final boolean recordEvents;
  private final IndexFiles indexFiles;
  private final WriteAheadLog wal;
  private final Compactor compactor;

  /** Opens the store {@code settings} describe; see {@link Builder#open()}. */
  FileMemoryStore(FileStoreSettings settings) {
    this(settings, Compactor.Steps.NONE);
  }

  /**
   * Opens the store {@code settings} describe, telling {@code migrationSteps} the steps of a
   * migration from an older format (a test hook).
   */
  FileMemoryStore(FileStoreSettings settings, Compactor.Steps migrationSteps) {
    this.dir = new StoreDirectory(settings.dir());
    this.syncMode = settings.sync();
    this.recordEvents = settings.recordEvents();
    StoreDirectories.requireWritable(settings.dir(), "The file store's directory",
        FileStoreSettings.DIR, "a directory");
    this.lock = DirectoryLock.acquire(dir);
    Recovery.Recovered recovered;
    try {
      recovered = Recovery.recover(dir, state);
      this.indexFiles = new IndexFiles(settings.dir(), this::ensureOpen);
    } catch (IOException e) {
      lock.release();
      throw dir.failure("Cannot open the store", e);
    } catch (RuntimeException e) {
      lock.release();
      throw e;
    }
    this.wal = new WriteAheadLog(dir, state, syncMode, settings.syncInterval(), recovered.log(),
        recovered.generation());
    this.compactor = new Compactor(dir, state, wal, settings.compactionLogSize(),
        recovered.olderLogBytes(), recovered.snapshotBytes());
    if (recovered.formatVersion() < Frames.FORMAT_VERSION) {
      migrate(recovered.formatVersion(), migrationSteps);
    }
    StoreDirectory.LOG.info("Opened {}: {} memories, generation {}", describe(),
        state.memoryCount(), wal.generation());
  }

  /**
   * Rewrites a store of an older format in the current one before anything is written to it: a
   * compaction writes the next generation's log and snapshot in the current format and only then
   * deletes the older files, so an older log is never appended to. A crash during it leaves the
   * whole older generation (replayed and migrated again on the next open) or the complete new
   * snapshot. When it fails, the store does not open and the older files stay as they were.
   */
  private void migrate(int fromVersion, Compactor.Steps steps) {
    long start = System.nanoTime();
    try {
      compactor.compact(steps);
    } catch (RuntimeException e) {
      compactor.close();
      wal.stopSyncing();
      wal.abandon();
      lock.release();
      throw e;
    }
    StoreDirectory.LOG.info("Migrated store format {} -> {} in {} ({} memories) in {} ms",
        fromVersion, Frames.FORMAT_VERSION, dir.path(), state.memoryCount(),
        (System.nanoTime() - start) / 1_000_000);
  }

  /** A builder of a store in {@code dir} (created if missing). */
  public static Builder builder(Path dir) {
    return new Builder(dir);
  }

  /** Opens the store in {@code dir} with the defaults; see {@link Builder#open()}. */
  public static FileMemoryStore open(Path dir) {
    return builder(dir).open();
  }

  // ---------------------------------------------------------------- writes

  @Override
  public void insert(List<StoredMemory> memories, List<HistoryEntry> entries) {
    insert(memories, entries, true);
  }

  @Override
  public void insert(List<StoredMemory> memories, List<HistoryEntry> entries, boolean events) {
    List<StoredMemory> batch = List.copyOf(memories);
    List<HistoryEntry> history = List.copyOf(entries);
    int[] owners = StoredMemory.owners(batch, history);
    write(WriteAheadLog.partitionsOf(batch), () -> {
      Set<String> seen = new HashSet<>();
      for (StoredMemory memory : batch) {
        if (!seen.add(memory.namespace() + '\0' + memory.partition().owner() + '\0' + memory.id())
            || state.partition(memory.partition()).memories.containsKey(memory.id())) {
          throw new ConflictException("memory " + memory.id() + " already exists");
        }
      }
      return batch.isEmpty() ? null
          : new Change.Insert(batch, history, owners, recordEvents && events);
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
      return new Change.Replace(memory, entry, recordEvents);
    });
  }

  @Override
  public void commit(ChangeSet changes) {
    Objects.requireNonNull(changes, "changes");
    write(List.of(changes.partition()), () -> {
      changes.requireApplicable(state.partition(changes.partition()).memories::containsKey);
      return changes.memories().isEmpty() ? null : new Change.Commit(recordEvents
          ? changes : new ChangeSet(changes.partition(), changes.inserted(), changes.replaced(),
              changes.entries(), false));
    });
  }

  @Override
  public void replaceEmbeddings(List<StoredMemory> memories) {
    List<StoredMemory> batch = List.copyOf(memories);
    write(WriteAheadLog.partitionsOf(batch), () -> {
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
    return delete(partition, ids, entries, true);
  }

  @Override
  public int delete(PartitionKey partition, List<String> ids, List<HistoryEntry> entries,
      boolean events) {
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
      return new Change.Delete(partition, List.copyOf(existing), kept, recordEvents && events);
    });
    return deleted == null ? 0 : deleted.ids().size();
  }

  /** Writes through the log (see {@link WriteAheadLog#write}), then compacts if due. */
  private <C extends Change> @Nullable C write(List<PartitionKey> partitions,
      Supplier<@Nullable C> validate) {
    C change = wal.write(partitions, validate);
    if (change != null) {
      compactor.maybeCompact();
    }
    return change;
  }

  /** Logs an access change (see {@link WriteAheadLog#log}), then compacts if due. */
  private void log(Change change) {
    wal.log(change);
    compactor.maybeCompact();
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
      // the table calls this with its monitor held, so it still holds the previous versions
      log(Change.putKeys(state, keys));
    }
  }

  // ---------------------------------------------------------------- reads

  @Override
  public List<StoredMemory> load(PartitionKey partition) {
    Objects.requireNonNull(partition, "partition");
    ensureOpen();
    return state.read(partition, found -> found.memories.values());
  }

  @Override
  public List<PartitionSummary> partitions(String namespace, @Nullable String after,
      int limit) {
    ensureOpen();
    return state.summaries(namespace, after, limit);
  }

  @Override
  public List<HistoryEntry> history(PartitionKey partition, String memoryId) {
    Objects.requireNonNull(memoryId, "memoryId");
    Objects.requireNonNull(partition, "partition");
    ensureOpen();
    return state.read(partition, found -> found.history.getOrDefault(memoryId, List.of()));
  }

  @Override
  public Map<String, List<HistoryEntry>> histories(PartitionKey partition) {
    Objects.requireNonNull(partition, "partition");
    ensureOpen();
    return state.histories(partition);
  }

  @Override
  public List<PartitionKey> historyPartitions(String namespace, @Nullable String after,
      int limit) {
    ensureOpen();
    return state.historyPartitions(namespace, after, limit);
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
    wal.ensureOpen();
    wal.ensureWritable();
    if (!lock.isValid() || !Files.isDirectory(dir.path())) {
      throw new StorageException("The file store " + dir.path() + " lost its directory or lock");
    }
  }

  @Override
  public String describe() {
    return "file store at " + dir.path().toAbsolutePath() + " (sync " + syncMode.configName()
        + ")";
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Compacts now: starts a new log generation and writes a snapshot of everything stored, then
   * deletes the files it replaces. Blocks until done; writers are held up only while the log is
   * switched. Compaction also runs by itself in the background when the logs grow large.
   *
   * <p>The memories are copied at the switch; the access records just after it (the table's
   * monitor cannot be taken while writers are held up: it comes first in the lock order), so
   * they may include changes also logged in the new log. Those are upserts of absolute values, so
   * replaying them over the snapshot yields the same state.
   *
   * @throws StorageException when the snapshot cannot be written; the store stays usable and
   *     consistent (the logs still hold everything)
   */
  public void compact() {
    compactor.compact();
  }

  /**
   * Waits for a running compaction, fsyncs and marks the log cleanly closed, and releases the
   * directory. Idempotent.
   */
  @Override
  public void close() {
    if (!compactor.close()) {
      return;
    }
    wal.stopSyncing();
    // Before the state lock: the table's writers take its monitor first (see WriteAheadLog).
    state.access.close();
    state.webhooks.close();
    wal.close();
    lock.release();
  }

  private void ensureOpen() {
    wal.ensureOpen();
  }

  /** Configures and opens a {@link FileMemoryStore}. Not thread-safe. */
  public static final class Builder {
    private final Path dir;
    private SyncMode syncMode = SyncMode.ALWAYS;
    private Duration syncInterval = FileStoreSettings.DEFAULT_SYNC_INTERVAL;
    private long compactionLogSize = FileStoreSettings.DEFAULT_COMPACTION_LOG_SIZE;
    private Compactor.Steps migrationSteps = Compactor.Steps.NONE;
    private boolean recordEvents;

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
     * Whether memory writes are recorded as pending webhook events, in the same log record as the
     * memory (see {@link io.inmemory.engine.spi.EventSettings#RECORD}); default false.
     */
    public Builder recordEvents(boolean record) {
      this.recordEvents = record;
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
      return new FileMemoryStore(new FileStoreSettings(dir, syncMode, syncInterval,
          compactionLogSize, recordEvents), migrationSteps);
    }

    /** Tells {@code steps} the steps of a migration from an older format: a test hook. */
    Builder migrationSteps(Compactor.Steps steps) {
      this.migrationSteps = Objects.requireNonNull(steps, "steps");
      return this;
    }
  }
}

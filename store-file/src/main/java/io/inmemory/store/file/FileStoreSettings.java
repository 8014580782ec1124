package io.inmemory.store.file;

import io.inmemory.ConfigKey;
import io.inmemory.InMemoryConfig;
import io.inmemory.engine.spi.EventSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The file store's configuration keys and defaults, and the settings they give. Each key can be
 * set as a system property, an environment variable ({@code INMEMORY_STORE_FILE_DIR}, …) or in
 * {@code inmemory.properties}. Immutable and thread-safe.
 *
 * @param dir the store's directory, created if missing
 * @param sync when the log is fsynced
 * @param syncInterval the fsync interval of {@link SyncMode#PERIODIC}, at least 1 ms
 * @param compactionLogSize how large the logs may grow before a compaction, positive
 * @param recordEvents whether memory writes are recorded as pending webhook events (see
 *     {@link EventSettings#RECORD})
 */
public record FileStoreSettings(Path dir, SyncMode sync, Duration syncInterval,
    long compactionLogSize, boolean recordEvents) {

  /** The default size logs may reach before a compaction (unless the snapshot is larger). */
  public static final long DEFAULT_COMPACTION_LOG_SIZE = 64L << 20;
  /** The default fsync interval of {@link SyncMode#PERIODIC}. */
  public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofSeconds(1);

  /** The directory holding the store; created if missing. */
  public static final ConfigKey<Path> DIR = ConfigKey.path("inmemory.store.file.dir",
      Path.of(System.getProperty("user.home"), ".inmemory"),
      "The directory of the file store (created if missing; a leading ~ is the home directory)."
          + " Default: ~/.inmemory.");

  /** When the log is fsynced; see {@link SyncMode}. */
  public static final ConfigKey<SyncMode> SYNC = ConfigKey.of("inmemory.store.file.sync",
      SyncMode.ALWAYS, SyncMode::parse,
      "When the file store fsyncs: always (default; every acknowledged write survives a power"
          + " loss), periodic (every sync interval; survives a JVM crash only) or never (on"
          + " compaction and close only; survives a JVM crash only).");

  /** The fsync interval of {@code periodic} sync, in milliseconds. */
  public static final ConfigKey<Integer> SYNC_INTERVAL_MS = ConfigKey.integer(
      "inmemory.store.file.sync-interval-ms",
      (int) DEFAULT_SYNC_INTERVAL.toMillis(), 1, 3_600_000,
      "With inmemory.store.file.sync=periodic, milliseconds between fsyncs (the writes a machine"
          + " crash can lose). Default: 1000.");

  /** How large the logs may grow before a compaction. */
  public static final ConfigKey<Long> COMPACTION_LOG_SIZE = ConfigKey.bytes(
      "inmemory.store.file.compaction-log-size", DEFAULT_COMPACTION_LOG_SIZE,
      4096, "Log size after which the file store writes a snapshot (or the snapshot's size, if"
          + " larger). Suffixes KB, MB, GB. Default: 64MB.");

  /**
   * Checks the components.
   *
   * @throws IllegalArgumentException when the sync interval is under 1 ms or the compaction log
   *     size is not positive
   */
  public FileStoreSettings {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(sync, "sync");
    checkSyncInterval(syncInterval);
    checkCompactionLogSize(compactionLogSize);
  }

  /** Settings that record no events. */
  public FileStoreSettings(Path dir, SyncMode sync, Duration syncInterval,
      long compactionLogSize) {
    this(dir, sync, syncInterval, compactionLogSize, false);
  }

  /** The settings {@code config} gives. */
  public static FileStoreSettings from(InMemoryConfig config) {
    return new FileStoreSettings(config.get(DIR), config.get(SYNC),
        Duration.ofMillis(config.get(SYNC_INTERVAL_MS)), config.get(COMPACTION_LOG_SIZE),
        config.get(EventSettings.RECORD));
  }

  /** The keys {@link #from} reads, in the order configuration errors list them. */
  public static List<ConfigKey<?>> keys() {
    return List.of(DIR, SYNC, SYNC_INTERVAL_MS, COMPACTION_LOG_SIZE, EventSettings.RECORD);
  }

  static Duration checkSyncInterval(Duration interval) {
    if (interval.toMillis() < 1) {
      throw new IllegalArgumentException("the sync interval must be at least 1 ms, was "
          + interval);
    }
    return interval;
  }

  static long checkCompactionLogSize(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("the compaction log size must be positive, was "
          + bytes);
    }
    return bytes;
  }
}

package io.inmemory.store.file;

import io.inmemory.ConfigKey;
import io.inmemory.InMemoryConfig;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.StoreProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Opens the {@link FileMemoryStore}, named {@value #NAME}, from configuration. Stateless and
 * thread-safe.
 *
 * <p>Arguments must not be null.
 */
public final class FileStoreProvider implements StoreProvider {
  /** The name that selects this store ({@code inmemory.store=file}). */
  public static final String NAME = "file";

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
      (int) FileMemoryStore.DEFAULT_SYNC_INTERVAL.toMillis(), 1, 3_600_000,
      "With inmemory.store.file.sync=periodic, milliseconds between fsyncs (the writes a machine"
          + " crash can lose). Default: 1000.");

  /** How large the logs may grow before a compaction. */
  public static final ConfigKey<Long> COMPACTION_LOG_SIZE = ConfigKey.bytes(
      "inmemory.store.file.compaction-log-size", FileMemoryStore.DEFAULT_COMPACTION_LOG_SIZE,
      4096, "Log size after which the file store writes a snapshot (or the snapshot's size, if"
          + " larger). Suffixes KB, MB, GB. Default: 64MB.");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public MemoryStore open(InMemoryConfig config) {
    return FileMemoryStore.builder(config.get(DIR))
        .sync(config.get(SYNC))
        .syncInterval(Duration.ofMillis(config.get(SYNC_INTERVAL_MS)))
        .compactionLogSize(config.get(COMPACTION_LOG_SIZE))
        .open();
  }

  @Override
  public List<ConfigKey<?>> configKeys() {
    return List.of(DIR, SYNC, SYNC_INTERVAL_MS, COMPACTION_LOG_SIZE);
  }
}

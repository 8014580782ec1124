package io.inmemory.store.file;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * When the file store fsyncs its log, which decides what an acknowledged write survives. Set by
 * {@code inmemory.store.file.sync}; only {@link #ALWAYS}, the default, survives a power loss.
 * Immutable, so thread-safe.
 */
public enum SyncMode {
  /**
   * Every write is fsynced before it returns; concurrent writers share one fsync (group commit).
   * An acknowledged write survives a crash of the JVM, of the operating system and a power loss.
   */
  ALWAYS,
  /**
   * Writes return once the operating system has them; a background thread fsyncs every sync
   * interval. An acknowledged write survives a crash of the JVM, but a crash of the operating
   * system or a power loss loses up to one interval of acknowledged writes.
   */
  PERIODIC,
  /**
   * The log is fsynced only on compaction and close. An acknowledged write survives a crash of the
   * JVM; a crash of the operating system or a power loss loses everything written since the last
   * compaction or close. For tests and data that can be rebuilt.
   */
  NEVER;

  /** The lower-case name used in configuration. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The mode of a configuration value such as {@code always}.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static SyncMode parse(String value) {
    String name = value.trim().toLowerCase(Locale.ROOT);
    for (SyncMode mode : values()) {
      if (mode.configName().equals(name)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("'" + value + "' is not one of "
        + Arrays.stream(values()).map(SyncMode::configName).collect(Collectors.joining(", ")));
  }
}

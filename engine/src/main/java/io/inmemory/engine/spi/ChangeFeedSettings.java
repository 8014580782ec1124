package io.inmemory.engine.spi;

import io.inmemory.ConfigKey;
import java.time.Duration;
import java.util.List;

/**
 * The configuration keys of the change feed that the stores with one read (each store provider
 * lists them among its {@link StoreProvider#configKeys()}). Every process sharing a store must set
 * them alike.
 */
public final class ChangeFeedSettings {
  /** How long changes are kept in the log before they are trimmed. */
  public static final ConfigKey<Duration> RETENTION = ConfigKey.duration(
      "inmemory.cluster.feed-retention", Duration.ofHours(1), Duration.ofSeconds(1),
      Duration.ofDays(30),
      "How long a shared store keeps its change log; a replica further behind reloads what it"
          + " holds");
  /**
   * How long a change announced but never settled (its writer died mid-write) is held back before
   * readers apply it anyway by re-reading the stored state.
   */
  public static final ConfigKey<Duration> PENDING_TIMEOUT = ConfigKey.duration(
      "inmemory.cluster.pending-timeout", Duration.ofSeconds(30), Duration.ofMillis(1),
      Duration.ofHours(1),
      "How long readers wait for a change whose writer never settled it (it died) before"
          + " re-reading the memories it named");

  /** Both keys. */
  public static final List<ConfigKey<?>> KEYS = List.of(RETENTION, PENDING_TIMEOUT);

  private ChangeFeedSettings() {}
}

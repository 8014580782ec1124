package io.inmemory.store.mongo;

import com.mongodb.connection.ClusterType;
import io.inmemory.ConfigKey;
import io.inmemory.StorageException;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * How the mongo store's change feed travels ({@value #KEY_NAME}): on a MongoDB change stream of
 * the {@value ChangeLog#COLLECTION} collection, which needs a replica set or a sharded cluster, or
 * by polling that collection as a gap-free log numbered by its {@code _id}, which works
 * everywhere. Every process sharing a database must use the same mode, so the first store to open
 * a database records the mode it chose there and later ones must agree.
 */
enum FeedMode {
  /** Change stream on a replica set or sharded cluster, otherwise the log. */
  AUTO("auto"),
  /** A change stream; refused on a standalone server. */
  CHANGE_STREAM("change-stream"),
  /** The polled log. */
  LOG("log");

  static final String KEY_NAME = "inmemory.store.mongo.change-feed";
  /** The configured mode. */
  static final ConfigKey<FeedMode> KEY = ConfigKey.of(KEY_NAME, AUTO, FeedMode::parse,
      "How the mongo store's replicas learn each other's writes: auto (default: a change stream on"
          + " a replica set or sharded cluster, else polling the change log), change-stream or"
          + " log. Every process sharing a database must resolve to the same mode.");

  private final String value;

  FeedMode(String value) {
    this.value = value;
  }

  /** The configuration value: {@code change-stream}. */
  String value() {
    return value;
  }

  static FeedMode parse(String text) {
    String wanted = text.trim().toLowerCase(Locale.ROOT);
    return Stream.of(values()).filter(mode -> mode.value.equals(wanted)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not auto,"
            + " change-stream or log"));
  }

  /**
   * The mode to use on a deployment of {@code type}: {@link #CHANGE_STREAM} or {@link #LOG}.
   *
   * @param location the database and hosts, for the message
   * @throws StorageException when a change stream is asked of a deployment that has none
   */
  FeedMode resolve(ClusterType type, String location) {
    boolean streams = type == ClusterType.REPLICA_SET || type == ClusterType.SHARDED;
    return switch (this) {
      case AUTO -> streams ? CHANGE_STREAM : LOG;
      case LOG -> LOG;
      case CHANGE_STREAM -> {
        if (!streams) {
          throw new StorageException("MongoDB " + location + " is a " + describe(type)
              + " deployment, which has no change streams, but " + KEY_NAME + " is "
              + CHANGE_STREAM.value + ": set it to auto or log, or connect to a replica set.");
        }
        yield CHANGE_STREAM;
      }
    };
  }

  private static String describe(ClusterType type) {
    return type.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  @Override
  public String toString() {
    return value;
  }
}

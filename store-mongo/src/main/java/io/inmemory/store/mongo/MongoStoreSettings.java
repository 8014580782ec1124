package io.inmemory.store.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.WriteConcern;
import io.inmemory.ConfigKey;
import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The mongo store's configuration keys and defaults, and the settings they give. Immutable and
 * thread-safe; {@link #toString()} never shows credentials.
 *
 * @param uri the connection string
 * @param database the database holding the collections
 * @param writeConcern the write concern of every write
 */
public record MongoStoreSettings(ConnectionString uri, String database, WriteConcern writeConcern) {

  /** The database used when neither the builder nor the URI names one. */
  public static final String DEFAULT_DATABASE = "inmemory";
  /** The default write concern: acknowledged by a majority, journaled. */
  public static final WriteConcern DEFAULT_WRITE_CONCERN = WriteConcern.MAJORITY.withJournal(true);

  /** The connection string; required. Also read from {@code INMEMORY_MONGODB_URI}. */
  public static final ConfigKey<ConnectionString> URI = ConfigKey.of("inmemory.store.mongo.uri",
      null, ConnectionStrings::parse,
      "The MongoDB connection string of the mongo store, such as"
          + " mongodb://db1,db2,db3/inmemory?replicaSet=rs0 (required; also read from the"
          + " environment variable INMEMORY_MONGODB_URI).",
      "INMEMORY_MONGODB_URI");

  /** The database; default: the URI's, else {@value #DEFAULT_DATABASE}. */
  public static final ConfigKey<String> DATABASE = ConfigKey.string(
      "inmemory.store.mongo.database", null,
      "The MongoDB database of the mongo store. Default: the database named in the URI, else "
          + DEFAULT_DATABASE + ".");

  /** The write concern; {@code majority} (journaled) unless weakened on purpose. */
  public static final ConfigKey<WriteConcern> WRITE_CONCERN = ConfigKey.of(
      "inmemory.store.mongo.write-concern", DEFAULT_WRITE_CONCERN,
      MongoStoreSettings::parseWriteConcern,
      "The mongo store's write concern: majority (default; acknowledged writes survive the loss"
          + " of any minority of replica set members) or, weaker, w1, w2, … (acknowledged by that"
          + " many members, journaled; w1 can lose writes on a failover).");

  public MongoStoreSettings {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(writeConcern, "writeConcern");
  }

  /**
   * The settings {@code config} gives.
   *
   * @throws ConfigurationException when no connection string is configured, or a value is
   *     invalid
   */
  public static MongoStoreSettings from(InMemoryConfig config) {
    ConnectionString uri = config.find(URI).orElseThrow(() -> new ConfigurationException(
        "The mongo store needs a connection string: set " + URI.name() + " (system property or"
            + " inmemory.properties) or the environment variable " + URI.aliases().get(0)
            + " (or " + URI.envName() + "), for example mongodb://localhost:27017/inmemory."));
    WriteConcern writeConcern = config.get(WRITE_CONCERN);
    String database = config.find(DATABASE).orElse(databaseOf(uri));
    return new MongoStoreSettings(uri, database, writeConcern);
  }

  /** The keys {@link #from} reads, in the order configuration errors list them. */
  public static List<ConfigKey<?>> keys() {
    return List.of(URI, DATABASE, WRITE_CONCERN);
  }

  /** The database {@code uri} names, else {@value #DEFAULT_DATABASE}. */
  static String databaseOf(ConnectionString uri) {
    return uri.getDatabase() != null ? uri.getDatabase() : DEFAULT_DATABASE;
  }

  static WriteConcern parseWriteConcern(String value) {
    String text = value.trim().toLowerCase(Locale.ROOT);
    if (text.equals("majority")) {
      return DEFAULT_WRITE_CONCERN;
    }
    if (text.matches("w[1-9][0-9]?")) {
      return new WriteConcern(Integer.parseInt(text.substring(1))).withJournal(true);
    }
    throw new IllegalArgumentException("'" + value + "' is not a write concern: use majority"
        + " (the default) or, weaker, w1, w2, … up to w99");
  }

  /** The connection string with its credentials masked, the database and the write concern. */
  @Override
  public String toString() {
    String text = uri.getConnectionString();
    return "MongoStoreSettings[uri=" + ConnectionStrings.mask(text, text) + ", database="
        + database + ", writeConcern=" + writeConcern + "]";
  }
}

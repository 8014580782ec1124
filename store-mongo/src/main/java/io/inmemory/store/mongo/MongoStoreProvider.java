package io.inmemory.store.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.WriteConcern;
import io.inmemory.ConfigKey;
import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.StoreProvider;
import java.util.List;
import java.util.Locale;

/**
 * Opens the {@link MongoMemoryStore}, named {@value #NAME}, from configuration. Stateless and
 * thread-safe.
 *
 * <p>Arguments must not be null.
 */
public final class MongoStoreProvider implements StoreProvider {
  /** The name that selects this store ({@code inmemory.store=mongo}). */
  public static final String NAME = "mongo";

  /** The connection string; required. Also read from {@code INMEMORY_MONGODB_URI}. */
  public static final ConfigKey<ConnectionString> URI = ConfigKey.of("inmemory.store.mongo.uri",
      null, ConnectionStrings::parse,
      "The MongoDB connection string of the mongo store, such as"
          + " mongodb://db1,db2,db3/inmemory?replicaSet=rs0 (required; also read from the"
          + " environment variable INMEMORY_MONGODB_URI).",
      "INMEMORY_MONGODB_URI");

  /** The database; default: the URI's, else {@value MongoMemoryStore#DEFAULT_DATABASE}. */
  public static final ConfigKey<String> DATABASE = ConfigKey.string(
      "inmemory.store.mongo.database", null,
      "The MongoDB database of the mongo store. Default: the database named in the URI, else "
          + MongoMemoryStore.DEFAULT_DATABASE + ".");

  /** The write concern; {@code majority} (journaled) unless weakened on purpose. */
  public static final ConfigKey<WriteConcern> WRITE_CONCERN = ConfigKey.of(
      "inmemory.store.mongo.write-concern", MongoMemoryStore.DEFAULT_WRITE_CONCERN,
      MongoStoreProvider::parseWriteConcern,
      "The mongo store's write concern: majority (default; acknowledged writes survive the loss"
          + " of any minority of replica set members) or, weaker, w1, w2, … (acknowledged by that"
          + " many members, journaled; w1 can lose writes on a failover).");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public MemoryStore open(InMemoryConfig config) {
    ConnectionString uri = config.find(URI).orElseThrow(() -> new ConfigurationException(
        "The mongo store needs a connection string: set " + URI.name() + " (system property or"
            + " inmemory.properties) or the environment variable " + URI.aliases().get(0)
            + " (or " + URI.envName() + "), for example mongodb://localhost:27017/inmemory."));
    MongoMemoryStore.Builder builder = MongoMemoryStore.builder()
        .uri(uri.getConnectionString())
        .writeConcern(config.get(WRITE_CONCERN));
    config.find(DATABASE).ifPresent(builder::database);
    return builder.open();
  }

  @Override
  public List<ConfigKey<?>> configKeys() {
    return List.of(URI, DATABASE, WRITE_CONCERN);
  }

  static WriteConcern parseWriteConcern(String value) {
    String text = value.trim().toLowerCase(Locale.ROOT);
    if (text.equals("majority")) {
      return MongoMemoryStore.DEFAULT_WRITE_CONCERN;
    }
    if (text.matches("w[1-9][0-9]?")) {
      return new WriteConcern(Integer.parseInt(text.substring(1))).withJournal(true);
    }
    throw new IllegalArgumentException("'" + value + "' is not a write concern: use majority"
        + " (the default) or, weaker, w1, w2, … up to w99");
  }
}

package io.inmemory.store.h2;

import io.inmemory.ConfigKey;
import io.inmemory.InMemoryConfig;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.StoreProvider;
import java.util.List;

/**
 * Opens the {@link H2MemoryStore}, named {@value #NAME}, from configuration. Stateless and
 * thread-safe.
 *
 * <p>Arguments must not be null.
 */
public final class H2StoreProvider implements StoreProvider {
  /** The name that selects this store ({@code inmemory.store=h2}). */
  public static final String NAME = "h2";
  /** The default URL: an embedded database in the user's home directory. */
  public static final String DEFAULT_URL = "jdbc:h2:file:~/.inmemory/h2/inmemory";
  /** The default user. */
  public static final String DEFAULT_USER = "sa";

  /** The JDBC URL of the database. */
  public static final ConfigKey<String> URL = ConfigKey.of("inmemory.store.h2.url",
      DEFAULT_URL, H2Url::check, "The H2 JDBC URL of the h2 store: jdbc:h2:file:<path>"
          + " (embedded, one process at a time) or jdbc:h2:tcp://<host>:<port>/<path> (an H2"
          + " server). WRITE_DELAY=0 and LOCK_TIMEOUT=10000 are added unless the URL sets them."
          + " Default: " + DEFAULT_URL + ".");

  /** The database user. */
  public static final ConfigKey<String> USER = ConfigKey.string("inmemory.store.h2.user",
      DEFAULT_USER, "The user of the h2 store's database. Default: " + DEFAULT_USER + ".");

  /** The user's password; never logged. */
  public static final ConfigKey<String> PASSWORD = ConfigKey.string("inmemory.store.h2.password",
      "", "The password of the h2 store's database user (never logged). Default: empty.");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public MemoryStore open(InMemoryConfig config) {
    return H2MemoryStore.builder()
        .url(config.get(URL))
        .user(config.get(USER))
        .password(config.get(PASSWORD))
        .open();
  }

  @Override
  public List<ConfigKey<?>> configKeys() {
    return List.of(URL, USER, PASSWORD);
  }
}

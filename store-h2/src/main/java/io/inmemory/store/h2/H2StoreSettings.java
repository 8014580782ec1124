package io.inmemory.store.h2;

import io.inmemory.ConfigKey;
import io.inmemory.InMemoryConfig;
import io.inmemory.engine.spi.EventSettings;
import java.util.List;
import java.util.Objects;

/**
 * The h2 store's configuration keys and defaults, and the settings they give. Each key can be set
 * as a system property, an environment variable ({@code INMEMORY_STORE_H2_URL}, …) or in
 * {@code inmemory.properties}. Immutable and thread-safe; {@link #toString()} never shows the
 * password (nor one set in the URL).
 *
 * @param url the JDBC URL, starting with {@code jdbc:h2:}; checked when a store opens it
 * @param user the database user
 * @param password the user's password, may be empty
 * @param recordEvents whether memory writes are recorded as pending webhook events (see
 *     {@link EventSettings#RECORD})
 */
public record H2StoreSettings(String url, String user, String password, boolean recordEvents) {

  /** The default URL: an embedded database in the user's home directory. */
  public static final String DEFAULT_URL = "jdbc:h2:file:~/.inmemory/h2/inmemory";
  /** The default user. */
  public static final String DEFAULT_USER = "sa";

  /** The JDBC URL of the database. */
  public static final ConfigKey<String> URL = ConfigKey.of(H2Url.SETTING,
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

  public H2StoreSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
  }

  /** Settings that record no events. */
  public H2StoreSettings(String url, String user, String password) {
    this(url, user, password, false);
  }

  /** The settings {@code config} gives. */
  public static H2StoreSettings from(InMemoryConfig config) {
    return new H2StoreSettings(config.get(URL), config.get(USER), config.get(PASSWORD),
        config.get(EventSettings.RECORD));
  }

  /** The keys {@link #from} reads, in the order configuration errors list them. */
  public static List<ConfigKey<?>> keys() {
    return List.of(URL, USER, PASSWORD, EventSettings.RECORD);
  }

  /** The URL with any password setting masked, the user, and never the password. */
  @Override
  public String toString() {
    return "H2StoreSettings[url=" + H2Url.redact(url) + ", user=" + user + ", password=***"
        + ", recordEvents=" + recordEvents + "]";
  }
}

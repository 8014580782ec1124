package io.inmemory.engine;

import io.inmemory.ConfigKey;
import io.inmemory.InMemoryConfig;
import io.inmemory.engine.spi.EventSettings;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.StoreProvider;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in volatile store, named {@value #NAME}. Used when no other store is on the classpath
 * or when {@code inmemory.store=memory}; logs a warning because nothing persists.
 */
public final class VolatileStoreProvider implements StoreProvider {
  /** The name that selects this store. */
  public static final String NAME = "memory";

  private static final Logger LOG = LoggerFactory.getLogger(VolatileStoreProvider.class);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public MemoryStore open(InMemoryConfig config) {
    LOG.warn("Using the volatile '{}' store: memories live only in this process and are lost on"
        + " close. Add io.inmemory:inmemory-store-file (or set inmemory.store) to keep them.", NAME);
    return new VolatileMemoryStore(config.get(EventSettings.RECORD));
  }

  @Override
  public List<ConfigKey<?>> configKeys() {
    return EventSettings.KEYS;
  }
}

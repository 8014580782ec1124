package io.inmemory.store.mongo;

import io.inmemory.ConfigKey;
import io.inmemory.InMemoryConfig;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.StoreProvider;
import java.util.List;

/**
 * Opens the {@link MongoMemoryStore}, named {@value #NAME}, from configuration (the keys of
 * {@link MongoStoreSettings}). Stateless and thread-safe.
 */
public final class MongoStoreProvider implements StoreProvider {
  /** The name that selects this store ({@code inmemory.store=mongo}). */
  public static final String NAME = "mongo";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public MemoryStore open(InMemoryConfig config) {
    MongoStoreSettings settings = MongoStoreSettings.from(config);
    return MongoMemoryStore.builder()
        .uri(settings.uri())
        .database(settings.database())
        .writeConcern(settings.writeConcern())
        .open();
  }

  @Override
  public List<ConfigKey<?>> configKeys() {
    return MongoStoreSettings.keys();
  }
}

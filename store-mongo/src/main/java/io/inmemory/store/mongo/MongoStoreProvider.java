package io.inmemory.store.mongo;

import io.inmemory.ConfigKey;
import io.inmemory.InMemoryConfig;
import io.inmemory.engine.spi.ChangeFeedSettings;
import io.inmemory.engine.spi.EventSettings;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.StoreProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens the {@link MongoMemoryStore}, named {@value #NAME}, from configuration (the keys of
 * {@link MongoStoreSettings}, {@code inmemory.store.mongo.change-feed} and those of
 * {@link ChangeFeedSettings}). Stateless and thread-safe.
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
        .changeFeed(config.get(FeedMode.KEY), config.get(ChangeFeedSettings.RETENTION),
            config.get(ChangeFeedSettings.PENDING_TIMEOUT))
        .recordEvents(config.get(EventSettings.RECORD))
        .open();
  }

  @Override
  public List<ConfigKey<?>> configKeys() {
    List<ConfigKey<?>> keys = new ArrayList<>(MongoStoreSettings.keys());
    keys.add(FeedMode.KEY);
    keys.addAll(ChangeFeedSettings.KEYS);
    keys.addAll(EventSettings.KEYS);
    return keys;
  }
}

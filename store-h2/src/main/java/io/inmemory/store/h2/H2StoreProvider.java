package io.inmemory.store.h2;

import io.inmemory.ConfigKey;
import io.inmemory.InMemoryConfig;
import io.inmemory.engine.spi.ChangeFeedSettings;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.StoreProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens the {@link H2MemoryStore}, named {@value #NAME}, from configuration (the keys of
 * {@link H2StoreSettings}, and the change feed's retention). Stateless and thread-safe.
 */
public final class H2StoreProvider implements StoreProvider {
  /** The name that selects this store ({@code inmemory.store=h2}). */
  public static final String NAME = "h2";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public MemoryStore open(InMemoryConfig config) {
    return new H2MemoryStore(H2StoreSettings.from(config),
        config.get(ChangeFeedSettings.RETENTION));
  }

  /**
   * The keys of {@link H2StoreSettings} and the change feed's ({@link ChangeFeedSettings#KEYS}:
   * the retention applies; the pending timeout has no effect here, as a change commits with its
   * write and is never pending).
   */
  @Override
  public List<ConfigKey<?>> configKeys() {
    List<ConfigKey<?>> keys = new ArrayList<>(H2StoreSettings.keys());
    keys.addAll(ChangeFeedSettings.KEYS);
    return List.copyOf(keys);
  }
}

package io.inmemory.engine.spi;

import io.inmemory.ConfigKey;
import io.inmemory.InMemoryConfig;
import java.util.List;

/**
 * Opens a {@link MemoryStore} from configuration; found by {@link java.util.ServiceLoader} through
 * {@code META-INF/services/io.inmemory.engine.spi.StoreProvider} and selected by
 * {@code inmemory.store}. Needs a public no-argument constructor; stateless and thread-safe.
 */
public interface StoreProvider {

  /** The name {@code inmemory.store} selects this store by, such as {@code file}. */
  String name();

  /**
   * Opens the store.
   *
   * @throws io.inmemory.ConfigurationException when the configuration is invalid
   * @throws io.inmemory.StorageException when the storage cannot be opened
   */
  MemoryStore open(InMemoryConfig config);

  /** The configuration keys this provider reads, for validation and documentation. */
  default List<ConfigKey<?>> configKeys() {
    return List.of();
  }
}

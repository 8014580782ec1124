package io.inmemory;

import io.inmemory.spi.MemoryClientProvider;
import io.inmemory.spi.ProviderSelection;

/**
 * Builds the {@link MemoryClient} the configuration asks for, so application code never names a
 * runtime. With {@code inmemory.mode} set, that runtime is used; unset, the only runtime on the
 * classpath is; none or several is a {@link ConfigurationException} naming the candidates and the
 * key to set. Thread-safe.
 */
public final class MemoryClients {
  private static final String WHERE_TO_FIND = "add io.inmemory:inmemory-engine (mode local) or"
      + " io.inmemory:inmemory-transport-http (mode managed) to the classpath";

  private MemoryClients() {}

  /** A client configured from system properties, environment and {@code inmemory.properties}. */
  public static MemoryClient create() {
    return create(InMemoryConfig.load());
  }

  /** A client for the given configuration. */
  public static MemoryClient create(InMemoryConfig config) {
    return provider(config).create(config);
  }

  /** An asynchronous client configured like {@link #create()}. */
  public static AsyncMemoryClient createAsync() {
    return createAsync(InMemoryConfig.load());
  }

  /** An asynchronous client for the given configuration. */
  public static AsyncMemoryClient createAsync(InMemoryConfig config) {
    return provider(config).createAsync(config);
  }

  private static MemoryClientProvider provider(InMemoryConfig config) {
    config.validate();
    return ProviderSelection.select(MemoryClientProvider.class, "InMemory runtime",
        MemoryClientProvider::name, config, InMemoryConfig.MODE, WHERE_TO_FIND);
  }
}

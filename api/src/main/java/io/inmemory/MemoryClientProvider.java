package io.inmemory;

/**
 * A runtime that {@link MemoryClients} can build: the embedded engine ({@code local}) or the
 * HTTP client ({@code managed}). Registered with
 * {@code META-INF/services/io.inmemory.MemoryClientProvider}; needs a public no-argument
 * constructor. Implementations are stateless and thread-safe.
 */
public interface MemoryClientProvider {

  /** The name {@code inmemory.mode} selects this runtime by, for example {@code local}. */
  String name();

  /**
   * Builds a client from the configuration.
   *
   * @throws ConfigurationException when the configuration is invalid for this runtime
   */
  MemoryClient create(InMemoryConfig config);

  /** Builds an asynchronous client from the configuration. */
  AsyncMemoryClient createAsync(InMemoryConfig config);
}

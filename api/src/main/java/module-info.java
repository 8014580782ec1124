/**
 * The InMemory API: {@link io.inmemory.MemoryClient}, its requests, results, configuration and
 * exceptions, and the {@link io.inmemory.MemoryClientProvider} SPI that every runtime implements.
 */
module io.inmemory {
  requires static transitive org.jspecify;

  exports io.inmemory;

  uses io.inmemory.MemoryClientProvider;
}

package io.inmemory.engine;

import io.inmemory.AsyncMemoryClient;
import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryClientProvider;

/** The {@code local} runtime: the embedded engine {@link Memory}. */
public final class LocalMemoryClientProvider implements MemoryClientProvider {
  /** The name {@code inmemory.mode} selects the embedded engine by. */
  public static final String NAME = "local";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public MemoryClient create(InMemoryConfig config) {
    return new Memory(config);
  }

  @Override
  public AsyncMemoryClient createAsync(InMemoryConfig config) {
    return new Memory(config).async();
  }
}

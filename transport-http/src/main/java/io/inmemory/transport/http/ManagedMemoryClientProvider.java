package io.inmemory.transport.http;

import io.inmemory.AsyncMemoryClient;
import io.inmemory.ConfigKey;
import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryClientProvider;
import java.util.List;

/**
 * The {@code managed} runtime: {@link Inmry} and {@link AsyncInmry}, configured from an
 * {@link InMemoryConfig} (the API key from {@link InMemoryConfig#API_KEY}, the rest from the keys
 * of {@link Inmry}). Stateless and thread-safe.
 */
public final class ManagedMemoryClientProvider implements MemoryClientProvider {
  /** The name {@code inmemory.mode} selects the HTTP client by. */
  public static final String NAME = "managed";

  @Override
  public String name() {
    return NAME;
  }

  /** The keys a managed client reads besides {@link InMemoryConfig#keys()}. */
  public List<ConfigKey<?>> configKeys() {
    return Inmry.CONFIG_KEYS;
  }

  @Override
  public MemoryClient create(InMemoryConfig config) {
    return Inmry.builder().config(config).build();
  }

  @Override
  public AsyncMemoryClient createAsync(InMemoryConfig config) {
    return Inmry.builder().config(config).buildAsync();
  }
}

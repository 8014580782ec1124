package io.inmemory.store.file;

import io.inmemory.ConfigKey;
import io.inmemory.InMemoryConfig;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.StoreProvider;
import java.util.List;

/**
 * Opens the {@link FileMemoryStore}, named {@value #NAME}, from configuration (the keys of
 * {@link FileStoreSettings}). Stateless and thread-safe.
 */
public final class FileStoreProvider implements StoreProvider {
  /** The name that selects this store ({@code inmemory.store=file}). */
  public static final String NAME = "file";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public MemoryStore open(InMemoryConfig config) {
    return new FileMemoryStore(FileStoreSettings.from(config));
  }

  @Override
  public List<ConfigKey<?>> configKeys() {
    return FileStoreSettings.keys();
  }
}

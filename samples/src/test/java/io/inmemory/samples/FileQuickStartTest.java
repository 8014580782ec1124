package io.inmemory.samples;

import io.inmemory.InMemoryConfig;
import java.nio.file.Path;

/**
 * The quick start's default storage: the file store, named by this module's
 * {@code inmemory.properties} (read here, since the configuration is not isolated) and pointed at
 * a temporary directory instead of {@code ~/.inmemory}.
 */
class FileQuickStartTest extends QuickStartContract {
  @Override
  protected InMemoryConfig.Builder storage(Path temp) {
    return InMemoryConfig.builder().set("inmemory.store.file.dir", temp.toString());
  }

  @Override
  protected String expectedStoreDetail() {
    return temp.toString();
  }
}

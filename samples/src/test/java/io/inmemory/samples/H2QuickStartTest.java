package io.inmemory.samples;

import io.inmemory.InMemoryConfig;
import java.nio.file.Path;

/** The quick start on H2, an embedded database file, chosen by configuration alone. */
class H2QuickStartTest extends QuickStartContract {
  @Override
  protected InMemoryConfig.Builder storage(Path temp) {
    return InMemoryConfig.builder().isolated().set("inmemory.mode", "local")
        .set("inmemory.store", "h2")
        .set("inmemory.store.h2.url", "jdbc:h2:file:" + temp.resolve("quickstart"));
  }

  @Override
  protected String expectedStoreDetail() {
    return temp.resolve("quickstart").toString();
  }
}

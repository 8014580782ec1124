package io.inmemory.store.h2;

import io.inmemory.InMemoryConfig;
import io.inmemory.engine.Memory;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local engine the client contract suites run against here: the H2 store and the real
 * default ONNX embedder, selected by configuration exactly as an application would get them.
 * Each engine gets its own embedded database.
 */
final class H2Engine {
  private static final AtomicInteger ENGINES = new AtomicInteger();

  private H2Engine() {}

  static Memory open(Path parent) {
    Path dir = parent.resolve("engine-" + ENGINES.incrementAndGet());
    return new Memory(InMemoryConfig.builder().isolated()
        .set(InMemoryConfig.STORE.name(), H2StoreProvider.NAME)
        .set(H2StoreSettings.URL.name(), "jdbc:h2:file:" + dir.resolve("inmemory"))
        .build());
  }
}

package io.inmemory.store.file;

import io.inmemory.InMemoryConfig;
import io.inmemory.engine.Memory;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local engine the client contract suites run against here: the file store and the real
 * default ONNX embedder, selected by configuration exactly as an application would get them.
 * Each engine gets its own directory, since a store directory admits one open store.
 */
final class FileEngine {
  private static final AtomicInteger ENGINES = new AtomicInteger();

  private FileEngine() {}

  static Memory open(Path parent) {
    Path dir = parent.resolve("engine-" + ENGINES.incrementAndGet());
    return new Memory(InMemoryConfig.builder().isolated()
        .set(InMemoryConfig.STORE.name(), FileStoreProvider.NAME)
        .set(FileStoreSettings.DIR.name(), dir.toString())
        .build());
  }
}

package io.inmemory.langchain4j;

import io.inmemory.MemoryClient;
import io.inmemory.engine.Memory;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The acceptance test on the local engine: one engine (one model load) for the class. */
class LocalLongTermMemoryTest extends LongTermMemoryContract {

  @TempDir
  static Path dir;

  private static Memory engine;

  @BeforeAll
  static void start() {
    engine = engine(dir);
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  @Override
  MemoryClient open() {
    return engine;
  }

  @Override
  void release(MemoryClient client) {
    // the engine serves the whole class
  }
}

package io.inmemory.langchain4j;

import io.inmemory.MemoryClient;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance test on the managed runtime: the HTTP client of a server on a loopback port over
 * an engine with ONNX embeddings. One server for the class; each test is a project of its own.
 */
class ManagedLongTermMemoryTest extends LongTermMemoryContract {

  @TempDir
  static Path dir;

  private static ManagedRuntime runtime;

  @BeforeAll
  static void start() {
    runtime = ManagedRuntime.start(engine(dir));
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  @Override
  MemoryClient open() {
    return runtime.newProjectClient();
  }

  @Override
  void release(MemoryClient client) {
    client.close();
  }
}

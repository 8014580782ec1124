package io.inmemory.langchain4j;

import io.inmemory.MemoryClient;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store on the managed runtime: a server in this JVM on a loopback port over the local engine,
 * and the HTTP client. Sequences and contents cross the wire as JSON. One server serves the class;
 * each test is a project of its own, with its own memories.
 */
class ManagedChatMemoryStoreTest extends ChatMemoryStoreContract {

  @TempDir
  static Path serverDir;

  private static ManagedRuntime runtime;

  @BeforeAll
  static void startServer() {
    runtime = ManagedRuntime.start(engine(serverDir));
  }

  @AfterAll
  static void stopServer() {
    runtime.close();
  }

  @Override
  MemoryClient open(Path dir) {
    return runtime.newProjectClient();
  }

  @Override
  void shut() {
    client.close();
  }
}

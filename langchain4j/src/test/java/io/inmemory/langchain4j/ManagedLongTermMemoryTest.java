package io.inmemory.langchain4j;

import io.inmemory.MemoryClient;
import io.inmemory.engine.Memory;
import io.inmemory.server.LoopbackServer;
import io.inmemory.transport.http.Inmry;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
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

  private static final AtomicInteger PROJECTS = new AtomicInteger();

  private static Memory engine;
  private static LoopbackServer server;

  @BeforeAll
  static void start() {
    engine = engine(dir);
    server = LoopbackServer.start(engine);
  }

  @AfterAll
  static void stop() {
    server.close();
    engine.close();
  }

  @Override
  MemoryClient open() {
    return Inmry.builder().baseUrl(server.baseUrl())
        .apiKey(server.newProjectKey("lc4j-ltm-" + PROJECTS.incrementAndGet())).build();
  }

  @Override
  void release(MemoryClient client) {
    client.close();
  }
}

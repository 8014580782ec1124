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
 * The store on the managed runtime: a server in this JVM on a loopback port over the local engine,
 * and the HTTP client. Sequences and contents cross the wire as JSON. One server serves the class
 * (starting one takes about a second); each test is a project of its own, with its own memories.
 */
class ManagedChatMemoryStoreTest extends ChatMemoryStoreContract {

  @TempDir
  static Path serverDir;

  private static final AtomicInteger PROJECTS = new AtomicInteger();

  private static Memory engine;
  private static LoopbackServer server;

  @BeforeAll
  static void startServer() {
    engine = engine(serverDir);
    server = LoopbackServer.start(engine);
  }

  @AfterAll
  static void stopServer() {
    server.close();
    engine.close();
  }

  @Override
  MemoryClient open(Path dir) {
    return Inmry.builder().baseUrl(server.baseUrl())
        .apiKey(server.newProjectKey("lc4j-" + PROJECTS.incrementAndGet())).build();
  }

  @Override
  void shut() {
    client.close();
  }
}

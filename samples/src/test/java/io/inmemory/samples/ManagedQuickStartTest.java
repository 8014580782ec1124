package io.inmemory.samples;

import io.inmemory.InMemoryConfig;
import io.inmemory.engine.Memory;
import io.inmemory.server.LoopbackServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;

/**
 * The same quick start on the managed runtime: only {@code inmemory.mode=managed}, the server's
 * URL and an API key differ from the local runs. The server runs in this JVM on a loopback port,
 * over the file store in the test's directory, and the quick start talks to it over HTTP.
 */
class ManagedQuickStartTest extends QuickStartContract {
  private Memory engine;
  private LoopbackServer server;

  @Override
  protected InMemoryConfig.Builder storage(Path temp) {
    if (server == null) {
      engine = new Memory(InMemoryConfig.builder().isolated().set("inmemory.mode", "local")
          .set("inmemory.store", "file")
          .set("inmemory.store.file.dir", temp.resolve("server").toString()).build());
      server = LoopbackServer.start(engine);
    }
    return server.managedConfig("quickstart");
  }

  @Override
  protected String expectedStoreDetail() {
    return "file store";
  }

  @AfterAll
  void stopServer() {
    server.close();
    engine.close();
  }
}

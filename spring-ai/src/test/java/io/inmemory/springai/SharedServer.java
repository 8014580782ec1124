package io.inmemory.springai;

import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryClients;
import io.inmemory.engine.Memory;
import io.inmemory.server.LoopbackServer;

/**
 * One loopback server for the test JVM over a volatile engine, with one project key, for the
 * managed runtime's tests: started on first use, stopped when the JVM exits. Tests keep apart by
 * their own user and agent ids.
 */
final class SharedServer {
  private static SharedServer shared;

  private final Memory engine;
  private final LoopbackServer server;
  private final String key;

  private SharedServer() {
    engine = LocalChatMemoryRepositoryTest.volatileEngine();
    server = LoopbackServer.start(engine);
    key = server.newProjectKey("spring-ai");
  }

  static synchronized SharedServer get() {
    if (shared == null) {
      SharedServer server = new SharedServer();
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
      shared = server;
    }
    return shared;
  }

  /** A managed client of this server, configured as a user would: mode, URL and key. */
  MemoryClient newClient() {
    return newClient(server.baseUrl());
  }

  /**
   * A managed client with this server's key sent to {@code baseUrl}, without the client's retries
   * (no server there: a transport failure at once).
   */
  MemoryClient newClient(String baseUrl) {
    return MemoryClients.create(InMemoryConfig.builder().isolated()
        .set("inmemory.mode", "managed")
        .set("inmemory.base-url", baseUrl)
        .set("inmemory.http.max-retries", "0")
        .set("inmemory.api-key", key).build());
  }

  private void close() {
    server.close();
    engine.close();
  }
}

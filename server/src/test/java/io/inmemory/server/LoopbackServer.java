package io.inmemory.server;

import io.inmemory.InMemoryConfig;
import io.inmemory.engine.Memory;

/**
 * An InMemory server in this JVM on a loopback port over the caller's engine: the managed runtime
 * of other modules' tests, shipped in the server's test-jar. Project keys are made through the
 * admin API, as an operator makes them. Thread-safe; {@link #close()} stops the server and leaves
 * the engine to its owner.
 */
public final class LoopbackServer implements AutoCloseable {
  private final InMemoryServer server;

  private LoopbackServer(Memory engine) {
    server = InMemoryServer.builder().config(InMemoryConfig.builder().isolated().build())
        .memory(engine).host("127.0.0.1").port(0).adminKey(TestServer.ADMIN).start();
  }

  /** Starts a server over {@code engine} on a free loopback port. */
  public static LoopbackServer start(Memory engine) {
    return new LoopbackServer(engine);
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.port();
  }

  /** A new API key of project {@code projectId} (created with its first key). */
  public String newProjectKey(String projectId) {
    return TestServer.newKey(server.port(), projectId);
  }

  /**
   * The configuration a user of the managed runtime writes (mode, URL, a new key of project
   * {@code projectId}), isolated from the environment; callers may add keys before building.
   */
  public InMemoryConfig.Builder managedConfig(String projectId) {
    return InMemoryConfig.builder().isolated()
        .set("inmemory.mode", "managed")
        .set("inmemory.base-url", baseUrl())
        .set("inmemory.api-key", newProjectKey(projectId));
  }

  @Override
  public void close() {
    server.close();
  }
}

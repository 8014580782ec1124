package io.inmemory.langchain4j;

import io.inmemory.MemoryClient;
import io.inmemory.engine.Memory;
import io.inmemory.server.LoopbackServer;
import io.inmemory.transport.http.Inmry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The managed runtime of a test class: a server on a loopback port over an engine, started once
 * (starting one takes about a second), and a new project with its own memories for each client.
 */
final class ManagedRuntime implements AutoCloseable {

  private static final AtomicInteger PROJECTS = new AtomicInteger();

  private final Memory engine;
  private final LoopbackServer server;

  private ManagedRuntime(Memory engine) {
    this.engine = engine;
    this.server = LoopbackServer.start(engine);
  }

  /** A server over {@code engine}, which {@link #close()} closes with it. */
  static ManagedRuntime start(Memory engine) {
    return new ManagedRuntime(engine);
  }

  /** The HTTP client of a new project. */
  MemoryClient newProjectClient() {
    return Inmry.builder().baseUrl(server.baseUrl())
        .apiKey(server.newProjectKey("lc4j-" + PROJECTS.incrementAndGet())).build();
  }

  @Override
  public void close() {
    server.close();
    engine.close();
  }
}

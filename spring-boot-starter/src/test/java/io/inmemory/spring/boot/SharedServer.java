package io.inmemory.spring.boot;

import io.inmemory.InMemoryConfig;
import io.inmemory.engine.Memory;
import io.inmemory.engine.tck.HashingEmbedder;
import io.inmemory.server.LoopbackServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * One loopback server for the test JVM over a volatile engine (hashing embedder: these tests
 * check wiring, not meaning), with one project key: started on first use, stopped when the JVM
 * exits. Tests keep apart by their own user ids.
 */
final class SharedServer {
  static final String PROJECT = "starter";
  private static SharedServer shared;

  final Memory engine;
  final LoopbackServer server;
  final String apiKey;

  private SharedServer() {
    engine = volatileEngine();
    server = LoopbackServer.start(engine);
    apiKey = server.newProjectKey(PROJECT);
  }

  /** An engine on the volatile store with the hashing embedder. */
  static Memory volatileEngine() {
    return Memory.builder().config(InMemoryConfig.builder().isolated()
        .set(InMemoryConfig.STORE.name(), "memory").build()).embedder(new HashingEmbedder()).build();
  }

  static synchronized SharedServer get() {
    if (shared == null) {
      SharedServer started = new SharedServer();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        started.server.close();
        started.engine.close();
      }));
      shared = started;
    }
    return shared;
  }

  /** {@code runner} with the managed runtime's properties, as a user writes them. */
  ApplicationContextRunner managed(ApplicationContextRunner runner) {
    return runner.withPropertyValues("inmemory.mode=managed",
        "inmemory.base-url=" + server.baseUrl(), "inmemory.api-key=" + apiKey);
  }

  /** The server's memories, as the project sees them. */
  Memory memories() {
    return engine.namespace(PROJECT);
  }

  /**
   * {@code runner} with a managed client of a port nothing listens on (this key, no retries): a
   * transport failure at once.
   */
  ApplicationContextRunner unreachable(ApplicationContextRunner runner) {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return runner.withPropertyValues("inmemory.mode=managed",
        "inmemory.base-url=http://127.0.0.1:" + closedPort, "inmemory.api-key=" + apiKey,
        "inmemory.http.max-retries=0");
  }
}

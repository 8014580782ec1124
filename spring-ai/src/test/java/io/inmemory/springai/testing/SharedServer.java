package io.inmemory.springai.testing;

import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryClients;
import io.inmemory.engine.Memory;
import io.inmemory.engine.tck.HashingEmbedder;
import io.inmemory.server.LoopbackServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * One loopback server for the test JVM over a volatile engine (hashing embedder: these tests
 * check wiring, not meaning), with one key of project {@link #PROJECT}: the managed runtime of the
 * Spring AI and starter tests, shipped in this module's test-jar. Started on first use, stopped
 * when the JVM exits; tests keep apart by their own user and agent ids. Thread-safe.
 */
public final class SharedServer {
  /** The project every client of this server works in. */
  public static final String PROJECT = "spring-ai";
  private static SharedServer shared;

  private final Memory engine;
  private final LoopbackServer server;
  private final String apiKey;

  private SharedServer() {
    engine = volatileEngine();
    server = LoopbackServer.start(engine);
    apiKey = server.newProjectKey(PROJECT);
  }

  /** The server of this JVM, started on first use. */
  public static synchronized SharedServer get() {
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

  /**
   * A new engine on the volatile store (named: the server's dependencies bring other stores) with
   * the hashing embedder; the caller closes it.
   */
  public static Memory volatileEngine() {
    return Memory.builder().config(InMemoryConfig.builder().isolated()
        .set(InMemoryConfig.STORE.name(), "memory").build()).embedder(new HashingEmbedder()).build();
  }

  /** A loopback URL nothing listens on: a managed client of it fails to connect at once. */
  public static String unreachableUrl() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String baseUrl() {
    return server.baseUrl();
  }

  /** The key of project {@link #PROJECT}. */
  public String apiKey() {
    return apiKey;
  }

  /** The server, for more keys of a project. */
  public LoopbackServer server() {
    return server;
  }

  /** The server's memories, as project {@link #PROJECT} sees them. */
  public Memory memories() {
    return engine.namespace(PROJECT);
  }

  /** A managed client of this server, configured as a user would: mode, URL and key. */
  public MemoryClient newClient() {
    return newClient(baseUrl());
  }

  /**
   * A managed client with this server's key sent to {@code baseUrl}, without the client's retries
   * (no server there: a transport failure at once).
   */
  public MemoryClient newClient(String baseUrl) {
    return MemoryClients.create(InMemoryConfig.builder().isolated()
        .set("inmemory.mode", "managed")
        .set("inmemory.base-url", baseUrl)
        .set("inmemory.http.max-retries", "0")
        .set("inmemory.api-key", apiKey).build());
  }
}

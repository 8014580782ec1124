package io.inmemory.server;

import io.inmemory.InMemoryConfig;
import io.inmemory.engine.Memory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An InMemory server in this JVM on a loopback port over the caller's engine: the managed runtime
 * of other modules' tests, shipped in the server's test-jar. Project keys are made through the
 * admin API, as an operator makes them. Thread-safe; {@link #close()} stops the server and leaves
 * the engine to its owner.
 */
public final class LoopbackServer implements AutoCloseable {
  private static final String ADMIN = "loopback-test-admin-key-0123456789abcdef";
  // a regular expression rather than a JSON library: a test-scope JSON library would change the
  // runtime class path of the modules that use this helper
  private static final Pattern KEY = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"");

  private final InMemoryServer server;

  private LoopbackServer(Memory engine) {
    server = InMemoryServer.builder().config(InMemoryConfig.builder().isolated().build())
        .memory(engine).host("127.0.0.1").port(0).adminKey(ADMIN).start();
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
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/v1/auth/generate-key"))
        .header("Authorization", "Bearer " + ADMIN)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"project_id\": \"" + projectId + "\"}"))
        .build();
    try {
      HttpResponse<String> response = HttpClient.newHttpClient()
          .send(request, HttpResponse.BodyHandlers.ofString());
      Matcher key = KEY.matcher(response.body());
      if (response.statusCode() != 201 || !key.find()) {
        throw new AssertionError("generate-key for project " + projectId + " answered "
            + response.statusCode() + ": " + response.body());
      }
      return key.group(1);
    } catch (IOException e) {
      throw new AssertionError("generate-key for project " + projectId + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
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

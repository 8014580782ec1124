package io.inmemory.springai;

import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryClients;
import io.inmemory.engine.Memory;
import io.inmemory.server.InMemoryServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An InMemory server in this JVM on a loopback port over a volatile engine, with one project API
 * key, for the managed runtime's tests: one for the test JVM, started on first use and stopped
 * when the JVM exits. Tests keep apart by their own user and agent ids.
 */
final class LoopbackServer {
  private static final String ADMIN = "spring-ai-test-admin-key-0123456789abcdef";
  // a regular expression rather than a JSON library: the answer has one string field to read
  private static final Pattern KEY = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"");

  private final Memory engine;
  private final InMemoryServer server;
  private final String key;

  private LoopbackServer() {
    engine = LocalChatMemoryRepositoryTest.volatileEngine();
    server = InMemoryServer.builder().config(InMemoryConfig.builder().isolated().build())
        .memory(engine).port(0).adminKey(ADMIN).start();
    key = newProjectKey();
  }

  private static LoopbackServer shared;

  static synchronized LoopbackServer shared() {
    if (shared == null) {
      LoopbackServer server = new LoopbackServer();
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
      shared = server;
    }
    return shared;
  }

  /** A managed client of this server, configured as a user would: mode, URL and key. */
  MemoryClient newClient() {
    return MemoryClients.create(InMemoryConfig.builder().isolated()
        .set("inmemory.mode", "managed")
        .set("inmemory.base-url", baseUrl())
        .set("inmemory.api-key", key).build());
  }

  /**
   * A managed client with this server's key sent to {@code baseUrl} (no server there: a transport
   * failure at once, without the client's retries).
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

  private String baseUrl() {
    return "http://127.0.0.1:" + server.port();
  }

  private String newProjectKey() {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/v1/auth/generate-key"))
        .header("Authorization", "Bearer " + ADMIN)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"project_id\": \"spring-ai\"}"))
        .build();
    try {
      HttpResponse<String> response = HttpClient.newHttpClient()
          .send(request, HttpResponse.BodyHandlers.ofString());
      Matcher matcher = KEY.matcher(response.body());
      if (response.statusCode() != 201 || !matcher.find()) {
        throw new AssertionError("generate-key answered " + response.statusCode() + ": "
            + response.body());
      }
      return matcher.group(1);
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}

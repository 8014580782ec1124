package io.inmemory.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryClient;
import io.inmemory.engine.Memory;
import io.inmemory.server.InMemoryServer;
import io.inmemory.transport.http.Inmry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  private static final String ADMIN = "lc4j-admin-key-0123456789abcdef0123";
  // a regular expression: the project key is the one field read from the answer
  private static final Pattern KEY = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"");

  private static Memory engine;
  private static InMemoryServer server;

  @BeforeAll
  static void startServer() {
    engine = engine(serverDir);
    server = InMemoryServer.builder().config(InMemoryConfig.builder().isolated().build())
        .memory(engine).host("127.0.0.1").port(0).adminKey(ADMIN).start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
    engine.close();
  }

  @Override
  MemoryClient open(Path dir) {
    String baseUrl = "http://127.0.0.1:" + server.port();
    return Inmry.builder().baseUrl(baseUrl).apiKey(projectKey(baseUrl)).build();
  }

  @Override
  void shut() {
    client.close();
  }

  private static String projectKey(String baseUrl) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/auth/generate-key"))
        .header("Authorization", "Bearer " + ADMIN)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"project_id\": \"lc4j-" + PROJECTS.incrementAndGet() + "\"}"))
        .build();
    try {
      HttpResponse<String> response = HttpClient.newHttpClient()
          .send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
      Matcher key = KEY.matcher(response.body());
      assertThat(key.find()).as(response.body()).isTrue();
      return key.group(1);
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}

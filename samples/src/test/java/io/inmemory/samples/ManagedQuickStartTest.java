package io.inmemory.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.InMemoryConfig;
import io.inmemory.engine.Memory;
import io.inmemory.server.InMemoryServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;

/**
 * The same quick start on the managed runtime: only {@code inmemory.mode=managed}, the server's
 * URL and an API key differ from the local runs. The server runs in this JVM on a loopback port,
 * over the file store in the test's directory, and the quick start talks to it over HTTP.
 */
class ManagedQuickStartTest extends QuickStartContract {
  private static final String ADMIN = "quickstart-admin-key-0123456789abcdef";
  // a regular expression rather than a JSON library: a test-scope JSON library would override
  // the runtime scope the quick start jar needs it in
  private static final Pattern KEY = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"");

  private Memory engine;
  private InMemoryServer server;
  private String key;

  @Override
  protected InMemoryConfig.Builder storage(Path temp) {
    if (server == null) {
      engine = new Memory(InMemoryConfig.builder().isolated().set("inmemory.mode", "local")
          .set("inmemory.store", "file")
          .set("inmemory.store.file.dir", temp.resolve("server").toString()).build());
      server = InMemoryServer.builder().config(InMemoryConfig.builder().isolated().build())
          .memory(engine).port(0).adminKey(ADMIN).start();
      key = newProjectKey();
    }
    return InMemoryConfig.builder().isolated()
        .set("inmemory.mode", "managed")
        .set("inmemory.base-url", baseUrl())
        .set("inmemory.api-key", key);
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

  private String baseUrl() {
    return "http://127.0.0.1:" + server.port();
  }

  private String newProjectKey() {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/v1/auth/generate-key"))
        .header("Authorization", "Bearer " + ADMIN)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"project_id\": \"quickstart\"}"))
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

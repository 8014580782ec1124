package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.InMemoryConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server opening its own engine from configuration, with the real ONNX embedder. */
class RealEngineTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> send(int port, String method, String path, String key,
      Object body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + path));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    request.header("Content-Type", "application/json");
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(Json.write(body)));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void searchesByMeaningWithTheDefaultEmbedder() throws Exception {
    InMemoryConfig config = InMemoryConfig.builder().isolated()
        .set(InMemoryConfig.STORE.name(), "memory")
        .set(InMemoryServer.MODE.name(), "prod")
        .set(InMemoryServer.ADMIN_KEY.name(), TestServer.ADMIN)
        .build();
    try (InMemoryServer server = InMemoryServer.builder().config(config).host("127.0.0.1")
        .port(0).start()) {
      int port = server.port();
      String key = Json.MAPPER.readTree(send(port, "POST", "/v1/auth/generate-key",
          TestServer.ADMIN, Map.of("project_id", "demo")).body()).get("key").asText();
      for (String text : new String[] {"I love pizza with extra cheese",
          "The train to Paris leaves at noon", "My sister lives in Berlin"}) {
        assertThat(send(port, "POST", "/v1/memories", key,
            Map.of("memory_content", text, "user_id", "alice")).statusCode()).isEqualTo(201);
      }
      JsonNode result = Json.MAPPER.readTree(send(port, "POST", "/v1/memories/search", key,
          Map.of("query", "what food do I like", "user_id", "alice", "limit", 1)).body());
      assertThat(result.at("/hits/0/memory/memory_content").asText())
          .isEqualTo("I love pizza with extra cheese");
      JsonNode health = Json.MAPPER.readTree(send(port, "GET", "/v1/health", null, null).body());
      assertThat(health.at("/components/embedder/detail").asText()).contains("onnx");
    }
  }

  @Test
  void devModeFileStoreKeepsTheCallersIsolatedConfiguration(@TempDir Path dir) throws Exception {
    // no store configured: dev mode picks the file store, and everything else the caller set
    InMemoryConfig config = InMemoryConfig.builder().isolated()
        .set("inmemory.store.file.dir", dir.toString())
        .set(InMemoryConfig.MAX_MEMORY_SIZE.name(), "64")
        .build();
    try (InMemoryServer server = InMemoryServer.builder().config(config).port(0)
        .adminKey(TestServer.ADMIN).start()) {
      int port = server.port();
      String key = Json.MAPPER.readTree(send(port, "POST", "/v1/auth/generate-key",
          TestServer.ADMIN, Map.of("project_id", "demo")).body()).get("key").asText();
      HttpResponse<String> tooLarge = send(port, "POST", "/v1/memories", key,
          Map.of("memory_content", "x".repeat(65), "user_id", "alice"));
      assertThat(tooLarge.statusCode()).isEqualTo(413);
      assertThat(tooLarge.body()).contains("content-too-large");
      assertThat(send(port, "POST", "/v1/memories", key,
          Map.of("memory_content", "I love pizza", "user_id", "alice")).statusCode())
          .isEqualTo(201);
    }
    try (var files = Files.list(dir)) {
      assertThat(files).isNotEmpty();
    }
  }
}

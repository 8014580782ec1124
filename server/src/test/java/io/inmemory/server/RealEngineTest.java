package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.InMemoryConfig;
import io.inmemory.server.TestServer.Answer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server opening its own engine from configuration, with the real ONNX embedder. */
class RealEngineTest {

  private static Answer send(int port, String method, String path, String key, Object body) {
    return TestServer.send(port, method, path, key, body, Map.of());
  }

  private static String newKey(int port) {
    return send(port, "POST", "/v1/auth/generate-key", TestServer.ADMIN,
        Map.of("project_id", "demo")).json().get("key").asText();
  }

  @Test
  void searchesByMeaningWithTheDefaultEmbedder() {
    InMemoryConfig config = InMemoryConfig.builder().isolated()
        .set(InMemoryConfig.STORE.name(), "memory")
        .set(ServerSettings.MODE.name(), "prod")
        .set(ServerSettings.ADMIN_KEY.name(), TestServer.ADMIN)
        .build();
    try (InMemoryServer server = InMemoryServer.builder().config(config).host("127.0.0.1")
        .port(0).start()) {
      int port = server.port();
      String key = newKey(port);
      for (String text : new String[] {"I love pizza with extra cheese",
          "The train to Paris leaves at noon", "My sister lives in Berlin"}) {
        assertThat(send(port, "POST", "/v1/memories", key,
            Map.of("memory_content", text, "user_id", "alice")).status()).isEqualTo(201);
      }
      Answer result = send(port, "POST", "/v1/memories/search", key,
          Map.of("query", "what food do I like", "user_id", "alice", "limit", 1));
      assertThat(result.json().at("/hits/0/memory/memory_content").asText())
          .isEqualTo("I love pizza with extra cheese");
      Answer health = send(port, "GET", "/v1/health", null, null);
      assertThat(health.json().at("/components/embedder/detail").asText()).contains("onnx");
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
      String key = newKey(port);
      Answer tooLarge = send(port, "POST", "/v1/memories", key,
          Map.of("memory_content", "x".repeat(65), "user_id", "alice"));
      assertThat(tooLarge.status()).isEqualTo(413);
      assertThat(tooLarge.problemType()).contains("content-too-large");
      assertThat(send(port, "POST", "/v1/memories", key,
          Map.of("memory_content", "I love pizza", "user_id", "alice")).status())
          .isEqualTo(201);
    }
    try (var files = Files.list(dir)) {
      assertThat(files).isNotEmpty();
    }
  }
}

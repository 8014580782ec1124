package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.InMemoryConfig;
import io.inmemory.server.LiveServer.Backend;
import io.inmemory.server.TestServer.Answer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A server on a durable store, stopped and started again: keys, their exact usage counts and
 * memories are still there.
 */
class RestartTest {
  @TempDir
  Path dir;

  private InMemoryServer start(Backend backend) {
    InMemoryConfig config = backend.configure(InMemoryConfig.builder().isolated(), dir).build();
    return InMemoryServer.builder().config(config).port(0).adminKey(TestServer.ADMIN).start();
  }

  private static Answer send(InMemoryServer server, String method, String path, String key,
      Object body) {
    return TestServer.send(server.port(), method, path, key, body, Map.of());
  }

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"FILE", "H2"})
  void keysUsageAndMemoriesSurviveARestart(Backend backend) {
    String key;
    String keyId;
    String memory;
    try (InMemoryServer server = start(backend)) {
      Answer generated = send(server, "POST", "/v1/auth/generate-key", TestServer.ADMIN,
          Map.of("project_id", "p1"));
      key = generated.json().get("key").asText();
      keyId = generated.json().get("key_id").asText();
      memory = "/v1/memories/" + send(server, "POST", "/v1/memories", key,
          Map.of("memory_content", "I love pizza", "user_id", "alice"))
          .json().at("/memory/id").asText() + "?user_id=alice";
      send(server, "GET", memory, key, null);
    }

    try (InMemoryServer server = start(backend)) {
      Answer stored = send(server, "GET", memory, key, null);
      Answer keys = send(server, "GET", "/v1/auth/keys?project_id=p1", TestServer.ADMIN, null);

      assertThat(stored.status()).isEqualTo(200);
      assertThat(stored.json().get("memory_content").asText()).isEqualTo("I love pizza");
      assertThat(keys.json().at("/keys/0/key_id").asText()).isEqualTo(keyId);
      // two requests before the restart (written on the graceful stop) and one after it
      assertThat(keys.json().at("/keys/0/usage_count").asLong()).isEqualTo(3);
    }
  }
}

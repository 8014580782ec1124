package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.server.TestServer.Answer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CORS for configured origins, preflight, and request ids. */
class CorsAndRequestIdTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = new TestServer(config -> config.set(ServerSettings.CORS_ORIGINS.name(),
        "https://app.example, https://admin.example"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void allowedOriginsGetCorsHeadersOthersDoNot() {
    Answer allowed = server.send("GET", "/v1/ping", null, null,
        Map.of("Origin", "https://app.example"));
    assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example");
    assertThat(allowed.header("Access-Control-Allow-Credentials")).isNull();
    Answer other = server.send("GET", "/v1/ping", null, null,
        Map.of("Origin", "https://evil.example"));
    assertThat(other.header("Access-Control-Allow-Origin")).isNull();
  }

  @Test
  void preflightIsAnsweredWithoutAKey() {
    Answer preflight = server.send("OPTIONS", "/v1/memories", null, null, Map.of(
        "Origin", "https://admin.example", "Access-Control-Request-Method", "POST",
        "Access-Control-Request-Headers", "authorization, content-type"));
    assertThat(preflight.status()).isEqualTo(204);
    assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("https://admin.example");
    assertThat(preflight.header("Access-Control-Allow-Methods")).contains("POST", "DELETE");
    assertThat(preflight.header("Access-Control-Allow-Headers")).contains("Authorization");
  }

  /** No allow headers, so the browser refuses the request it was asking about. */
  @Test
  void preflightFromAnotherOriginIsNotAllowed() {
    Map<String, String> preflight = Map.of("Origin", "https://evil.example",
        "Access-Control-Request-Method", "DELETE",
        "Access-Control-Request-Headers", "authorization");
    assertNoCorsAllowed(server.send("OPTIONS", "/v1/memories", null, null, preflight));
    try (TestServer none = new TestServer()) {
      assertNoCorsAllowed(none.send("OPTIONS", "/v1/memories", null, null, Map.of(
          "Origin", "https://app.example", "Access-Control-Request-Method", "POST")));
    }
  }

  private static void assertNoCorsAllowed(Answer answer) {
    assertThat(answer.header("Access-Control-Allow-Origin")).isNull();
    assertThat(answer.header("Access-Control-Allow-Methods")).isNull();
    assertThat(answer.header("Access-Control-Allow-Headers")).isNull();
    assertThat(answer.header("Access-Control-Allow-Credentials")).isNull();
  }

  @Test
  void wildcardAllowsAnyOrigin() {
    try (TestServer any = new TestServer(config ->
        config.set(ServerSettings.CORS_ORIGINS.name(), "*"))) {
      Answer answer = any.send("GET", "/v1/ping", null, null, Map.of("Origin", "https://x.y"));
      assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo("*");
    }
  }

  @Test
  void requestIdsAreEchoedOrGenerated() {
    Answer given = server.send("GET", "/v1/ping", null, null, Map.of("X-Request-Id", "abc-123"));
    assertThat(given.header("X-Request-Id")).isEqualTo("abc-123");
    Answer generated = server.get("/v1/ping", null);
    assertThat(generated.header("X-Request-Id")).matches("[0-9a-f-]{36}");
    Answer unsafe = server.send("GET", "/v1/ping", null, null,
        Map.of("X-Request-Id", "bad id with spaces"));
    assertThat(unsafe.header("X-Request-Id")).isNotEqualTo("bad id with spaces");
  }
}

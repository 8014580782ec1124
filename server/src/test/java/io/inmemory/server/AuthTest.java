package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.InMemoryConfig;
import io.inmemory.engine.tenant.ApiKeyRecord;
import io.inmemory.server.TestServer.Answer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Keys, projects, scopes, revocation, usage and tenancy over HTTP. */
class AuthTest {
  private final TestServer server = new TestServer();

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void adminCreatesProjectAndKeyStoredOnlyAsHash() {
    Answer created = server.post("/v1/auth/generate-key", TestServer.ADMIN,
        Map.of("project_name", "Acme", "name", "ci", "scopes", "read,write"));
    assertThat(created.status()).isEqualTo(201);
    String key = created.json().get("key").asText();
    assertThat(key).matches("im_[0-9A-Za-z]{43}");
    String projectId = created.json().get("project_id").asText();
    assertThat(projectId).startsWith("proj_");
    assertThat(created.json().get("scopes")).extracting(JsonNode::asText)
        .containsExactly("read", "write");
    assertThat(server.memory.access().project(projectId).orElseThrow().name()).isEqualTo("Acme");

    String hash = HexFormat.of().formatHex(KeyMaker.sha256(key));
    ApiKeyRecord stored = server.memory.access().keyByHash(hash).orElseThrow();
    assertThat(stored.id()).isEqualTo(created.json().get("key_id").asText());
    assertThat(stored.toString()).doesNotContain(key);
    assertThat(key).startsWith(stored.hint());
    assertThat(key.length() - stored.hint().length()).isGreaterThanOrEqualTo(39);

    Answer current = server.get("/v1/users/current", key);
    assertThat(current.json().get("project_id").asText()).isEqualTo(projectId);
    assertThat(current.json().get("key_id").asText()).isEqualTo(stored.id());
  }

  @Test
  void keysNeverReachAnotherProjectsData() {
    String a = server.newKey("proj-a");
    String b = server.newKey("proj-b");
    String id = server.add(a, "alice", "secret plans", Map.of());

    assertThat(server.get("/v1/memories/" + id + "?user_id=alice", b).status()).isEqualTo(404);
    assertThat(server.get("/v1/memories?user_id=alice", b).json().get("total").asLong()).isZero();
    assertThat(server.post("/v1/memories/search", b, Map.of("query", "secret plans",
        "user_id", "alice")).json().get("hits")).isEmpty();
    assertThat(server.send("PUT", "/v1/memories/" + id + "?user_id=alice", b,
        Map.of("memory_content", "hijacked")).status()).isEqualTo(404);
    assertThat(server.send("DELETE", "/v1/memories/" + id + "?user_id=alice", b, null)
        .json().get("deleted").asBoolean()).isFalse();
    assertThat(server.send("DELETE", "/v1/memories?user_id=alice", b, null)
        .json().get("deleted_count").asLong()).isZero();
    assertThat(server.get("/v1/memories/" + id + "/history?user_id=alice", b).status())
        .isEqualTo(404);
    assertThat(server.get("/v1/users/alice/stats", b).json().get("memory_count").asLong())
        .isZero();
    assertThat(server.post("/v1/auth/generate-key", b, Map.of("project_id", "proj-a")).status())
        .isEqualTo(403);
    assertThat(server.get("/v1/auth/keys?project_id=proj-a", b).status()).isEqualTo(403);

    assertThat(server.get("/v1/memories/" + id + "?user_id=alice", a).json()
        .get("memory_content").asText()).isEqualTo("secret plans");
  }

  /** Every kind of search finds nothing of another project; the owner's same search does. */
  @Test
  void noSearchReachesAnotherProject() {
    String a = server.newKey("proj-a");
    String b = server.newKey("proj-b");
    server.add(a, "alice", "secret plans for Bob", Map.of("tags", List.of("plans"),
        "people_mentioned", List.of("Bob")));
    Map<String, Map<String, Object>> searches = Map.of(
        "/v1/memories/search", Map.of("query", "secret plans", "user_id", "alice",
            "threshold", 0.0),
        "/v1/memories/tag-search", Map.of("tags", List.of("plans"), "user_id", "alice"),
        "/v1/memories/people-search", Map.of("people", List.of("Bob"), "user_id", "alice"),
        "/v1/memories/temporal-search", Map.of("temporal_query", "past 7 days",
            "user_id", "alice"));
    searches.forEach((path, body) -> {
      assertThat(server.post(path, a, body).json().get("hits")).as(path).hasSize(1);
      Answer other = server.post(path, b, body);
      assertThat(other.status()).as(path).isEqualTo(200);
      assertThat(other.json().get("hits")).as(path).isEmpty();
    });
  }

  /** Keys are project data too: another project's key can neither be listed nor revoked. */
  @Test
  void keysOfAnotherProjectAreNeitherListedNorRevoked() {
    String a = server.newKey("proj-a");
    String b = server.newKey("proj-b");
    String aId = server.get("/v1/users/current", a).json().get("key_id").asText();

    assertThat(server.get("/v1/auth/keys", b).json().get("keys"))
        .extracting(k -> k.get("key_id").asText()).doesNotContain(aId).hasSize(1);
    Answer revoke = server.send("DELETE", "/v1/auth/revoke-key?key_id=" + aId, b, null);
    assertThat(revoke.status()).isEqualTo(404);
    assertThat(revoke.problemType()).isEqualTo("urn:inmemory:problem:not-found");
    assertThat(server.get("/v1/users/current", a).status()).isEqualTo(200);
  }

  /** A key that is not one (shape, prefix, characters, length, scheme) is 401, never 400 or 500. */
  @Test
  void malformedKeysAreAuthenticationProblems() {
    String valid = server.newKey("proj-m");
    List<String> malformed = List.of("im_short", "not-a-key", valid.substring(3),
        valid + "x", valid.substring(0, valid.length() - 1) + "!", "im_" + "é".repeat(43),
        "im_" + "A".repeat(4000), valid + " " + valid);
    for (String key : malformed) {
      Answer answer = server.get("/v1/users/current", key);
      assertThat(answer.status()).as(key).isEqualTo(401);
      assertThat(answer.problemType()).as(key).isEqualTo("urn:inmemory:problem:authentication");
      assertThat(answer.response().body()).as(key).doesNotContain(key);
    }
    for (Map<String, String> headers : List.of(Map.of("Authorization", "Bearer"),
        Map.of("Authorization", valid), Map.of("Authorization", "Token " + valid),
        Map.of("X-API-Key", " "))) {
      Answer answer = server.send("GET", "/v1/users/current", null, null, headers);
      assertThat(answer.status()).as(headers.toString()).isEqualTo(401);
      assertThat(answer.problemType()).isEqualTo("urn:inmemory:problem:authentication");
    }
    assertThat(server.get("/v1/users/current", valid).status()).isEqualTo(200);
  }

  @Test
  void revocationIsEffectiveOnTheNextRequest() {
    String keys = server.newKey("proj-r");
    Answer created = server.post("/v1/auth/generate-key", keys, Map.of("name", "victim"));
    String victim = created.json().get("key").asText();
    assertThat(server.get("/v1/memories?user_id=u", victim).status()).isEqualTo(200);

    Answer revoked = server.send("DELETE", "/v1/auth/revoke-key?key_id="
        + created.json().get("key_id").asText(), keys, null);
    assertThat(revoked.status()).isEqualTo(200);
    assertThat(revoked.json().get("revoked_at").isTextual()).isTrue();
    Answer refused = server.get("/v1/memories?user_id=u", victim);
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.problemType()).isEqualTo("urn:inmemory:problem:authentication");
  }

  @Test
  void anotherProcessSeesARevocationWithinTheKeyCacheTtl() throws Exception {
    String key = server.newKey("proj-ttl");
    String keyId = server.get("/v1/users/current", key).json().get("key_id").asText();
    try (InMemoryServer other = InMemoryServer.builder()
        .config(InMemoryConfig.builder().isolated()
            .set(ServerSettings.KEY_CACHE_TTL_SECONDS.name(), "1").build())
        .memory(server.memory).port(0).adminKey(TestServer.ADMIN).start()) {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest current = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + other.port()
          + "/v1/users/current")).header("X-API-Key", key).build();
      assertThat(http.send(current, HttpResponse.BodyHandlers.discarding()).statusCode())
          .isEqualTo(200);
      assertThat(server.send("DELETE", "/v1/auth/revoke-key?key_id=" + keyId, key, null)
          .status()).isEqualTo(200);
      long deadline = System.nanoTime() + 10_000_000_000L;
      int status = 200;
      while (status == 200 && System.nanoTime() < deadline) {
        Thread.sleep(100);
        status = http.send(current, HttpResponse.BodyHandlers.discarding()).statusCode();
      }
      assertThat(status).isEqualTo(401);
    }
  }

  @Test
  void aKeyMayRevokeItselfButNotOthersWithoutTheKeysScope() {
    String manager = server.newKey("proj-s");
    String reader = server.newKey("proj-s", "read");
    String other = server.newKey("proj-s", "read");
    String otherId = server.get("/v1/users/current", other).json().get("key_id").asText();
    String readerId = server.get("/v1/users/current", reader).json().get("key_id").asText();

    assertThat(server.send("DELETE", "/v1/auth/revoke-key?key_id=" + otherId, reader, null)
        .status()).isEqualTo(403);
    assertThat(server.send("DELETE", "/v1/auth/revoke-key?key_id=" + readerId, reader, null)
        .status()).isEqualTo(200);
    assertThat(server.get("/v1/users/current", reader).status()).isEqualTo(401);
    assertThat(server.send("DELETE", "/v1/auth/revoke-key?key_id=no-such-key", manager, null)
        .status()).isEqualTo(404);

    JsonNode listed = server.get("/v1/auth/keys", manager).json().get("keys");
    assertThat(listed).hasSize(3);
    assertThat(listed.toString()).doesNotContain(reader).doesNotContain(manager);
  }

  @Test
  void scopesAreEnforcedAndCannotBeEscalated() {
    String reader = server.newKey("proj-x", "read");
    String keys = server.newKey("proj-x", "keys", "read");
    Answer write = server.post("/v1/memories", reader, Map.of("memory_content", "x",
        "user_id", "u"));
    assertThat(write.status()).isEqualTo(403);
    assertThat(write.problemType()).isEqualTo("urn:inmemory:problem:permission-denied");
    assertThat(server.post("/v1/auth/generate-key", reader, Map.of()).status()).isEqualTo(403);
    assertThat(server.post("/v1/auth/generate-key", keys, Map.of("scopes", List.of("write")))
        .status()).isEqualTo(403);
    assertThat(server.post("/v1/auth/generate-key", keys, Map.of("scopes", List.of("admin")))
        .status()).isEqualTo(403);
    assertThat(server.post("/v1/auth/generate-key", keys, Map.of("scopes", List.of("read")))
        .status()).isEqualTo(201);
    Answer bad = server.post("/v1/auth/generate-key", keys, Map.of("scopes", List.of("root")));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().at("/violations/0/field").asText()).isEqualTo("scopes");
  }

  @Test
  void theBootstrapAdminKeyReachesNoMemories() {
    Answer answer = server.get("/v1/memories?user_id=u", TestServer.ADMIN);
    assertThat(answer.status()).isEqualTo(403);
    assertThat(server.post("/v1/auth/generate-key", TestServer.ADMIN, Map.of()).status())
        .isEqualTo(400);
  }

  @Test
  void expiredAndUnknownKeysAreRejected() {
    String keys = server.newKey("proj-e");
    Instant soon = Instant.now().plusMillis(300);
    String expiring = server.post("/v1/auth/generate-key", keys,
        Map.of("expires_at", soon.toString())).json().get("key").asText();
    assertThat(server.post("/v1/auth/generate-key", keys,
        Map.of("expires_at", "2000-01-01T00:00:00Z")).status()).isEqualTo(400);
    while (Instant.now().isBefore(soon.plusMillis(50))) {
      Thread.onSpinWait();
    }
    Answer expired = server.get("/v1/users/current", expiring);
    assertThat(expired.status()).isEqualTo(401);
    assertThat(expired.problemType()).isEqualTo("urn:inmemory:problem:authentication");
    assertThat(expired.json().get("detail").asText()).contains("expired");
    assertThat(server.get("/v1/users/current", "im_" + "x".repeat(43)).status()).isEqualTo(401);
    assertThat(server.get("/v1/users/current", null).status()).isEqualTo(401);
    Answer xApiKey = server.send("GET", "/v1/users/current", null, null,
        Map.of("X-API-Key", keys));
    assertThat(xApiKey.status()).isEqualTo(200);
  }

  @Test
  void usageIsWrittenOnATimerWhileRunning() throws Exception {
    String key = server.newKey("proj-t");
    String keyId = server.get("/v1/users/current", key).json().get("key_id").asText();
    try (InMemoryServer second = InMemoryServer.builder()
        .config(InMemoryConfig.builder().isolated().build()).memory(server.memory).port(0)
        .adminKey(TestServer.ADMIN).usageFlushInterval(Duration.ofMillis(50)).start()) {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + second.port()
              + "/v1/users/current")).header("X-API-Key", key).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (server.memory.access().key(keyId).orElseThrow().usageCount() < 1
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      // the second server's use is written by its timer; the first server's is still pending
      assertThat(server.memory.access().key(keyId).orElseThrow().usageCount()).isEqualTo(1);
    }
  }

  @Test
  void usageCountsAreExactAfterShutdown() {
    String key = server.newKey("proj-u");
    String keyId = server.get("/v1/users/current", key).json().get("key_id").asText();
    for (int i = 0; i < 6; i++) {
      server.get("/v1/memories?user_id=u", key);
    }
    server.server.close();
    ApiKeyRecord record = server.memory.access().key(keyId).orElseThrow();
    assertThat(record.usageCount()).isEqualTo(7);
    assertThat(record.lastUsedAt()).isNotNull();
  }
}

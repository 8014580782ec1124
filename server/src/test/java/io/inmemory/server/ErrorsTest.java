package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.StorageException;
import io.inmemory.Validation;
import io.inmemory.engine.spi.Embedder;
import io.inmemory.engine.tck.HashingEmbedder;
import io.inmemory.server.TestServer.Answer;
import io.inmemory.wire.ProblemType;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every error kind answers application/problem+json with its stable type. */
class ErrorsTest {
  private static TestServer server;
  private static String key;

  @BeforeAll
  static void start() {
    server = new TestServer(config -> config.set(ServerSettings.MAX_REQUEST_SIZE.name(), "4KB"));
    key = server.newKey("proj-err");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static void assertProblem(Answer answer, int status, String kind) {
    assertThat(answer.status()).as(answer.describe()).isEqualTo(status);
    assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    assertThat(answer.problemType()).isEqualTo("urn:inmemory:problem:" + kind);
    assertThat(answer.json().get("status").asInt()).isEqualTo(status);
    assertThat(answer.json().get("detail").asText()).isNotBlank();
    assertThat(answer.json().get("request_id").asText()).isEqualTo(answer.header("X-Request-Id"));
  }

  @Test
  void validationListsEveryProblemInJavaFieldNames() {
    Answer answer = server.post("/v1/memories", key, Map.of("memory_content", " ",
        "user_id", "bad user!", "tags", 5, "colour", "red"));
    assertProblem(answer, 400, "validation");
    assertThat(answer.json().get("violations")).extracting(v -> v.get("field").asText())
        .containsExactlyInAnyOrder("tags", "content", "userId", "colour");
  }

  @Test
  void searchValidationListsEveryProblem() {
    Answer answer = server.post("/v1/memories/search", key, Map.of("user_id", "u",
        "limit", 0, "threshold", 0.5, "tag_match", "some", "time_zone", "Mars/Base"));
    assertProblem(answer, 400, "validation");
    assertThat(answer.json().get("violations")).extracting(v -> v.get("field").asText())
        .contains("limit", "threshold", "tagMatch", "zone");
  }

  /** Each wrong JSON type is a violation naming its field and the type it must have. */
  @Test
  void wrongJsonTypesAreFieldErrors() {
    Answer search = server.post("/v1/memories/search", key, Map.of("user_id", "u",
        "limit", "ten", "threshold", "high", "tags", 5, "metadata", "x",
        "created_after", "yesterday"));
    assertProblem(search, 400, "validation");
    assertThat(problems(search)).contains(
        entry("limit", "must be a whole number"), entry("threshold", "must be a number"))
        .containsKeys("tags", "metadata", "createdAfter");

    Answer add = server.post("/v1/memories", key, Map.of("memory_content", List.of("a"),
        "user_id", 7, "people_mentioned", Map.of("a", 1), "metadata", List.of(1)));
    assertProblem(add, 400, "validation");
    assertThat(problems(add)).contains(entry("content", "must be a string"),
        entry("userId", "must be a string")).containsKeys("people", "metadata");

    Answer tagSearch = server.post("/v1/memories/tag-search", key, Map.of("user_id", "u",
        "tags", List.of("t"), "match_all", "yes", "limit", 2.5));
    assertProblem(tagSearch, 400, "validation");
    assertThat(problems(tagSearch)).containsKeys("matchAll", "limit");

    Answer batch = server.post("/v1/memories/batch", key, Map.of("memories", "all of them"));
    assertProblem(batch, 400, "validation");
    assertThat(problems(batch)).containsKey("requests");

    Answer generate = server.post("/v1/auth/generate-key", key, Map.of("scopes", 5,
        "expires_at", "tomorrow"));
    assertProblem(generate, 400, "validation");
    assertThat(problems(generate)).containsKeys("scopes", "expiresAt");
  }

  /**
   * JSON can write a lone surrogate as an escape ({@code "\\ud800"}), though RFC 7493 forbids it
   * and no store keeps it exactly: each text holding one is a violation naming its field, the
   * answer is well-formed, and nothing is stored.
   */
  @Test
  void textWithALoneSurrogateIsAViolationOfItsField() {
    Answer add = server.post("/v1/memories", key, """
        {"memory_content": "abc \\ud800 def", "user_id": "lone", "tags": ["t\\udc00"],
         "people_mentioned": ["B\\ud800b"], "topic_category": "x\\udfff",
         "metadata": {"k\\ud800": 1, "k\\udc00": 2, "n": {"deep": ["ok", "v\\ud83d"]}}}""");
    assertProblem(add, 400, "validation");
    assertThat(add.json().get("violations")).extracting(v -> v.get("field").asText())
        .containsExactlyInAnyOrder("content", "tags", "people", "topic", "metadata", "metadata",
            "metadata.n.deep[1]");
    assertThat(Validation.isWellFormedText(add.response().body())).isTrue();

    Answer search = server.post("/v1/memories/search", key, """
        {"user_id": "lone", "query": "\\udc00", "temporal_query": "last \\ud800week"}""");
    assertProblem(search, 400, "validation");
    assertThat(problems(search)).containsOnlyKeys("query", "temporal");

    Answer generate = server.post("/v1/auth/generate-key", TestServer.ADMIN, """
        {"project_name": "p\\ud800", "name": "n\\udc00"}""");
    assertProblem(generate, 400, "validation");
    assertThat(problems(generate)).containsOnlyKeys("projectName", "name");

    assertThat(server.get("/v1/memories?user_id=lone", key).json().get("total").asInt()).isZero();
  }

  /** The violations of a problem, field to problem (the last one of a field wins). */
  private static Map<String, String> problems(Answer answer) {
    Map<String, String> problems = new HashMap<>();
    answer.json().get("violations").forEach(violation ->
        problems.put(violation.get("field").asText(), violation.get("problem").asText()));
    return problems;
  }

  @Test
  void badQueryParametersAreValidationErrors() {
    Answer answer = server.get("/v1/memories?user_id=u&limit=lots&offset=x", key);
    assertProblem(answer, 400, "validation");
    assertThat(answer.json().get("violations")).extracting(v -> v.get("field").asText())
        .containsExactly("limit", "offset");
    assertProblem(server.get("/v1/memories", key), 400, "validation");
  }

  @Test
  void malformedJsonAndWrongMediaType() {
    assertProblem(server.post("/v1/memories", key, "{\"memory_content\": "), 400,
        "malformed-json");
    assertProblem(server.post("/v1/memories", key, "[1, 2]"), 400, "malformed-json");
    String valid = "{\"memory_content\": \"x\", \"user_id\": \"u\"}";
    assertProblem(server.post("/v1/memories", key, valid + " trailing"), 400, "malformed-json");
    assertProblem(server.post("/v1/memories", key, valid + valid), 400, "malformed-json");
    assertProblem(server.post("/v1/memories", key,
        "{\"memory_content\": \"x\", \"user_id\": \"u\", \"user_id\": \"v\"}"), 400,
        "malformed-json");
    assertThat(server.get("/v1/memories?user_id=u", key).json().get("total").asLong()).isZero();
    Answer text = server.send("POST", "/v1/memories", key, "hello",
        Map.of("Content-Type", "text/plain"));
    assertProblem(text, 415, "unsupported-media-type");
  }

  @Test
  void contentOverTheMaximumIs413WithSizes() {
    Answer answer = server.post("/v1/memories", key, Map.of("memory_content",
        "é".repeat(1500), "user_id", "u"));
    assertProblem(answer, 413, "content-too-large");
    assertThat(answer.json().get("size").asLong()).isEqualTo(3000);
    assertThat(answer.json().get("max_size").asLong()).isEqualTo(TestServer.MAX_MEMORY_SIZE);
    assertThat(answer.json().at("/violations/0/field").asText()).isEqualTo("content");
  }

  @Test
  void bodiesOverTheRequestCapAre413() {
    Answer answer = server.post("/v1/memories/search", key, Map.of("user_id", "u",
        "query", "x".repeat(5000)));
    assertProblem(answer, 413, "request-too-large");
  }

  /** A body without a Content-Length is cut off at the cap too: answered 413, not kept. */
  @Test
  void chunkedBodiesOverTheRequestCapAre413() throws Exception {
    byte[] json = Json.write(Map.of("user_id", "u", "query", "x".repeat(50_000)));
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + server.server.port() + "/v1/memories/search"))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(json)))
        .build();
    HttpResponse<String> response = HttpClient.newHttpClient().send(request,
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(Json.MAPPER.readTree(response.body()).get("type").asText())
        .isEqualTo("urn:inmemory:problem:request-too-large");
  }

  @Test
  void unknownRoutesAndMethods() {
    assertProblem(server.get("/v1/nothing", key), 404, "no-route");
    Answer wrongMethod = server.send("PATCH", "/v1/memories", key, null);
    assertProblem(wrongMethod, 405, "method-not-allowed");
    assertThat(wrongMethod.header("Allow")).contains("GET", "POST", "DELETE");
  }

  @Test
  void theServerDoesNotAdvertiseItsVersion() {
    assertThat(server.get("/v1/ping", null).header("Server")).isNull();
  }

  @Test
  void requestsJettyRejectsAreProblemsToo() {
    Answer answer = server.send("GET", "/v1/ping", null, null,
        Map.of("X-Padding", "x".repeat(20_000)));
    assertThat(answer.status()).isEqualTo(431);
    assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    assertThat(answer.problemType()).isEqualTo("urn:inmemory:problem:protocol");
    assertThat(answer.json().get("status").asInt()).isEqualTo(431);
  }

  @Test
  void theProblemTableIsPublishedInTheOpenApiDocument() {
    JsonNode types = server.get("/openapi.json", null).json().get("x-problem-types");
    assertThat(types).hasSize(ProblemType.values().length);
    assertThat(types).anySatisfy(type -> {
      assertThat(type.get("type").asText()).isEqualTo("urn:inmemory:problem:rate-limited");
      assertThat(type.get("exception").asText()).isEqualTo("io.inmemory.RateLimitedException");
    });
  }

  @Test
  void authenticationProblems() {
    assertProblem(server.get("/v1/memories?user_id=u", null), 401, "authentication");
    assertProblem(server.send("GET", "/v1/memories?user_id=u", null, null,
        Map.of("Authorization", "Basic abc")), 401, "authentication");
  }

  @Test
  void everyProblemTypeMapsToAnApiExceptionAndIsUnique() {
    assertThat(List.of(ProblemType.values())).extracting(ProblemType::type).doesNotHaveDuplicates();
    assertThat(ProblemType.of(new StorageException("down")))
        .isEqualTo(ProblemType.STORAGE_UNAVAILABLE);
    for (ProblemType type : ProblemType.values()) {
      assertThat(type.exception().getPackageName()).isEqualTo("io.inmemory");
    }
  }

  @Test
  void internalErrorsHideDetailsAndStoreFailuresAre503() {
    Embedder failing = new HashingEmbedder() {
      @Override
      public List<float[]> embedDocuments(List<String> texts) {
        if (texts.get(0).startsWith("boom")) {
          throw new IllegalStateException("secret internal detail");
        }
        if (texts.get(0).startsWith("disk")) {
          throw new StorageException("/var/secret/path is full");
        }
        return super.embedDocuments(texts);
      }
    };
    try (TestServer broken = new TestServer(config -> { }, TestServer.volatileStore(), failing)) {
      String brokenKey = broken.newKey("p");
      Answer internal = broken.post("/v1/memories", brokenKey, Map.of("memory_content", "boom",
          "user_id", "u"));
      assertProblem(internal, 500, "internal");
      assertThat(internal.response().body()).doesNotContain("secret").doesNotContain("at io.");
      Answer storage = broken.post("/v1/memories", brokenKey, Map.of("memory_content", "disk",
          "user_id", "u"));
      assertProblem(storage, 503, "storage-unavailable");
      assertThat(storage.response().body()).doesNotContain("/var/secret");
    }
  }

  @Test
  void rateLimitAnswers429WithRetryAfter() {
    try (TestServer limited = new TestServer(config ->
        config.set(ServerSettings.RATE_LIMIT_PER_MINUTE.name(), "3"))) {
      String limitedKey = limited.newKey("p");
      for (int i = 0; i < 3; i++) {
        assertThat(limited.get("/v1/users/current", limitedKey).status()).isEqualTo(200);
      }
      Answer refused = limited.get("/v1/users/current", limitedKey);
      assertProblem(refused, 429, "rate-limited");
      long retryAfter = Long.parseLong(refused.header("Retry-After"));
      assertThat(retryAfter).isBetween(1L, 60L);
      JsonNode json = refused.json();
      assertThat(json.get("retry_after_seconds").asLong()).isEqualTo(retryAfter);
      String otherKey = limited.newKey("p");
      assertThat(limited.get("/v1/users/current", otherKey).status()).isEqualTo(200);
    }
  }
}

package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.ExtractionException;
import io.inmemory.Limits;
import io.inmemory.engine.tck.HashingEmbedder;
import io.inmemory.server.TestServer.Answer;
import io.inmemory.wire.ProblemType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13's routes as the server reads them, before the engine is asked: scopes without a user,
 * conversations, filters and their limits, and the problem of a failed extraction.
 */
class ScopedRoutesTest {
  private static TestServer server;
  private static String key;

  @BeforeAll
  static void start() {
    server = new TestServer(config -> config.set(Limits.MAX_FILTER_DEPTH, 3)
        .set(Limits.MAX_FILTER_VALUES, 4).set(Limits.MAX_MESSAGES, 2));
    key = server.newKey("proj-scoped");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static List<String> fields(Answer answer) {
    List<String> fields = new ArrayList<>();
    answer.json().path("violations").forEach(v -> fields.add(v.get("field").asText()));
    return fields;
  }

  private static String problem(Answer answer, String field) {
    for (JsonNode v : answer.json().path("violations")) {
      if (v.get("field").asText().equals(field)) {
        return v.get("problem").asText();
      }
    }
    throw new AssertionError(field + " not among " + answer.json());
  }

  @Test
  void aQueryParameterTheRouteDoesNotTakeOrGivenEmptyOrTwiceIsRefusedNotIgnored() {
    for (String session : List.of("s1", "s2")) {
      assertThat(server.post("/v1/memories", key, Map.of("user_id", "q", "session_id", session,
          "memory_content", "kept in " + session)).status()).isEqualTo(201);
    }
    Answer misspelt = server.send("DELETE", "/v1/memories?user_id=q&sesion_id=s1", key, null);
    assertThat(misspelt.status()).isEqualTo(400);
    assertThat(fields(misspelt)).containsExactly("sesion_id");
    assertThat(problem(misspelt, "sesion_id")).contains("user_id, agent_id, session_id");
    Answer empty = server.send("DELETE", "/v1/memories?user_id=q&session_id=", key, null);
    assertThat(empty.status()).isEqualTo(400);
    assertThat(fields(empty)).containsExactly("session_id");
    Answer twice = server.get("/v1/memories?user_id=q&session_id=s1&session_id=s2", key);
    assertThat(twice.status()).isEqualTo(400);
    assertThat(problem(twice, "session_id")).contains("given 2 times");
    Answer unknownOnAgentStats = server.get("/v1/agents/ag/stats?user_id=q", key);
    assertThat(unknownOnAgentStats.status()).isEqualTo(400);
    assertThat(fields(unknownOnAgentStats)).containsExactly("user_id");
    // nothing was deleted by the refused calls
    assertThat(server.get("/v1/users/q/stats", key).json().get("memory_count").asInt())
        .isEqualTo(2);
  }

  @Test
  void anAddGivesContentOrMessagesNeverBothNorNeither() {
    Answer both = server.post("/v1/memories", key, Map.of("user_id", "u",
        "memory_content", "x", "messages", List.of(Map.of("role", "user", "content", "x"))));
    assertThat(both.status()).isEqualTo(400);
    assertThat(fields(both)).containsExactly("content", "messages");
    assertThat(problem(both, "messages")).contains("not both");
    Answer neither = server.post("/v1/memories", key, Map.of("user_id", "u"));
    assertThat(neither.status()).isEqualTo(400);
    assertThat(fields(neither)).containsExactly("content", "messages");
    // a plain add still answers its result, now with its event
    Answer added = server.post("/v1/memories", key, Map.of("user_id", "u",
        "memory_content", "plain"));
    assertThat(added.status()).isEqualTo(201);
    assertThat(added.json().get("event").asText()).isEqualTo("add");
  }

  @Test
  void aConversationIsValidatedMessageByMessageAndCounted() {
    Answer invalid = server.post("/v1/memories", key, Map.of("agent_id", "bot",
        "messages", List.of(Map.of("role", "robot", "content", "x"), Map.of("role", "user")),
        "roles", List.of("user")));
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(fields(invalid)).containsExactlyInAnyOrder("messages[0].role",
        "messages[1].content");
    Answer tooMany = server.post("/v1/memories", key, Map.of("user_id", "u", "messages",
        List.of(Map.of("role", "user", "content", "a"), Map.of("role", "user", "content", "b"),
            Map.of("role", "user", "content", "c"))));
    assertThat(tooMany.status()).isEqualTo(413);
    assertThat(tooMany.problemType()).isEqualTo(ProblemType.CONTENT_TOO_LARGE.type());
    assertThat(problem(tooMany, "messages")).contains("inmemory.max-messages");
  }

  @Test
  void malformedFiltersAreNamedByTheirJsonPath() {
    Answer answer = server.post("/v1/memories/search", key, Map.of("agent_id", "planner",
        "query", "x", "filters", Map.of("AND", List.of(Map.of("tags", Map.of("contains", "a")),
            Map.of("metadata", Map.of("price", Map.of("greater", 3)))))));
    assertThat(answer.status()).isEqualTo(400);
    // agent_id without user_id is a scope the reader accepts: the filter is the only problem
    assertThat(fields(answer)).containsExactly("filters.AND[1].metadata.price");
    assertThat(problem(answer, "filters.AND[1].metadata.price"))
        .isEqualTo("unknown operator 'greater'; supported: eq, ne, gt, gte, lt, lte, in, nin,"
            + " contains");
    Answer userId = server.post("/v1/memories/list", key, Map.of("user_id", "u",
        "filters", Map.of("OR", List.of(Map.of("user_id", "v")))));
    assertThat(userId.status()).isEqualTo(400);
    assertThat(problem(userId, "filters.OR[0].user_id")).contains("request's scope");
    for (String route : List.of("/v1/memories/tag-search", "/v1/memories/people-search",
        "/v1/memories/temporal-search")) {
      Answer shortcut = server.post(route, key, Map.of("agent_id", "planner", "tags", "a",
          "people", "Bob", "temporal_query", "today", "filters", Map.of("colour", "red")));
      assertThat(fields(shortcut)).as(route).contains("filters.colour");
    }
  }

  @Test
  void filtersOverTheirLimitsAre413WithTheKey() {
    Answer deep = server.post("/v1/memories/list", key, Map.of("user_id", "u", "filters",
        Map.of("NOT", Map.of("NOT", Map.of("NOT", Map.of("NOT", Map.of("topic", "x")))))));
    assertThat(deep.status()).isEqualTo(413);
    assertThat(deep.problemType()).isEqualTo(ProblemType.CONTENT_TOO_LARGE.type());
    assertThat(deep.json().get("violations").get(0).get("problem").asText())
        .contains("inmemory.max-filter-depth");
    assertThat(deep.json().get("max_size").asInt()).isEqualTo(3);
    Answer values = server.post("/v1/memories/search", key, Map.of("user_id", "u", "filters",
        Map.of("tags", Map.of("in", List.of("a", "b", "c", "d", "e")))));
    assertThat(values.status()).isEqualTo(413);
    // worded as the engine's own check words it, so that local and managed clients fail alike
    assertThat(problem(values, "filter")).isEqualTo("tags in has 5 values, over the maximum of 4"
        + " (set inmemory.max-filter-values to change it)");
  }

  @Test
  void queryScopesAreValidatedByTheirApiFields() {
    Answer agentStats = server.get("/v1/agents/bad!agent/stats", key);
    assertThat(agentStats.status()).isEqualTo(400);
    assertThat(fields(agentStats)).containsExactly("agentId");
    Answer list = server.get("/v1/memories?user_id=u&include_superseded=maybe", key);
    assertThat(list.status()).isEqualTo(400);
    assertThat(fields(list)).containsExactly("includeSuperseded");
    Answer noOwner = server.send("DELETE", "/v1/memories?session_id=s1", key, null);
    assertThat(noOwner.status()).isEqualTo(400);
    // as the engine reports a request of no owner: its scope, and the userId older clients name
    assertThat(fields(noOwner)).containsExactly("scope", "userId");
    // a user's scope alone keeps answering as before
    assertThat(server.get("/v1/users/u/stats", key).status()).isEqualTo(200);
    assertThat(server.get("/v1/memories?user_id=u", key).status()).isEqualTo(200);
  }

  @Test
  void aFailedExtractionIs502WithItsReason() {
    HashingEmbedder failing = new HashingEmbedder() {
      @Override
      public List<float[]> embedDocuments(List<String> texts) {
        throw new ExtractionException(ExtractionException.Reason.TIMEOUT, "POST"
            + " http://10.1.2.3:11434/v1/chat/completions: no answer; the answer began: my card"
            + " is 4111111111111111", 504, Duration.ofSeconds(30), null);
      }
    };
    try (TestServer failingServer = new TestServer(config -> { }, TestServer.volatileStore(),
        failing)) {
      Answer answer = failingServer.post("/v1/memories", failingServer.newKey("p"),
          Map.of("user_id", "u", "memory_content", "x"));
      assertThat(answer.status()).isEqualTo(502);
      assertThat(answer.problemType()).isEqualTo(ProblemType.EXTRACTION_FAILED.type());
      assertThat(answer.json().get("reason").asText()).isEqualTo("timeout");
      assertThat(answer.json().get("upstream_status").asInt()).isEqualTo(504);
      assertThat(answer.json().get("retry_after_seconds").asInt()).isEqualTo(30);
      assertThat(answer.header("Retry-After")).isNull();
      // what the message quoted (the endpoint, the model's words) stays out of the answer
      assertThat(answer.json().get("detail").asText()).isEqualTo("Extraction failed: the model"
          + " did not answer within the configured deadline (HTTP 504); retry after 30 s")
          .doesNotContain("10.1.2.3").doesNotContain("4111");
    }
  }

  @Test
  void conversationAddsHaveTurnsOfTheirOwn() throws Exception {
    Admission admission = new Admission(64L << 20, 1 << 20, 1, 1, 0, Duration.ZERO, 1);
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Object> running = CompletableFuture.supplyAsync(() ->
        admission.extraction(call -> {
          entered.countDown();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return "first";
        }, null));
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> admission.extraction(call -> "second", null))
        .isInstanceOfSatisfying(ProblemException.class, e -> {
          assertThat(e.type()).isEqualTo(ProblemType.OVERLOADED);
          assertThat(e.getMessage()).contains("1 conversation adds are running");
        });
    // costly work keeps its own turns while the model holds a conversation
    assertThat(admission.costly(call -> "search").handle(null)).isEqualTo("search");
    release.countDown();
    assertThat(running.get(30, TimeUnit.SECONDS)).isEqualTo("first");
    assertThat(admission.extraction(call -> "third", null)).isEqualTo("third");
  }
}

package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.engine.tck.HashingEmbedder;
import io.inmemory.server.TestServer.Answer;
import io.inmemory.wire.ProblemType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code Idempotency-Key} on the adding routes, over real HTTP. */
class IdempotencyTest {
  private static final Map<String, Object> PIZZA = Map.of("memory_content", "I love pizza",
      "user_id", "alice");

  private final GatedEmbedder embedder = new GatedEmbedder();
  private final TestServer server = new TestServer(config -> { }, TestServer.volatileStore(),
      embedder);
  private final String key = server.newKey("p1");

  @AfterEach
  void close() {
    server.close();
  }

  private Answer add(String apiKey, String idempotencyKey, Object body) {
    return server.send("POST", "/v1/memories", apiKey, body,
        Map.of(Idempotency.HEADER, idempotencyKey));
  }

  private long count(String apiKey, String userId) {
    return server.get("/v1/memories?user_id=" + userId, apiKey).json().get("total").asLong();
  }

  @Test
  void aRetriedAddIsStoredOnceAndAnsweredAsTheFirstTime() {
    Answer first = add(key, "add-1", PIZZA);
    Answer retry = add(key, "add-1", PIZZA);

    assertThat(first.status()).isEqualTo(201);
    assertThat(first.header(Idempotency.REPLAYED_HEADER)).isNull();
    assertThat(retry.status()).isEqualTo(201);
    assertThat(retry.header(Idempotency.REPLAYED_HEADER)).isEqualTo("true");
    assertThat(retry.response().body()).isEqualTo(first.response().body());
    assertThat(retry.header(ApiHandler.REQUEST_ID_HEADER))
        .isNotEqualTo(first.header(ApiHandler.REQUEST_ID_HEADER));
    assertThat(count(key, "alice")).isEqualTo(1);
  }

  @Test
  void withoutAKeyEveryAddStores() {
    server.post("/v1/memories", key, PIZZA);
    server.post("/v1/memories", key, PIZZA);

    assertThat(count(key, "alice")).isEqualTo(2);
  }

  @Test
  void aBatchIsReplayedToo() {
    Map<String, Object> batch = Map.of("memories", List.of(PIZZA,
        Map.of("memory_content", "Meeting Bob on Friday", "user_id", "alice")));
    Answer first = server.send("POST", "/v1/memories/batch", key, batch,
        Map.of(Idempotency.HEADER, "batch-1"));
    Answer retry = server.send("POST", "/v1/memories/batch/", key, batch,
        Map.of(Idempotency.HEADER, "batch-1"));

    assertThat(first.status()).isEqualTo(201);
    assertThat(retry.status()).isEqualTo(201);
    assertThat(retry.header(Idempotency.REPLAYED_HEADER)).isEqualTo("true");
    assertThat(retry.json()).isEqualTo(first.json());
    assertThat(count(key, "alice")).isEqualTo(2);
  }

  @Test
  void theSameKeyWithAnotherRequestIsAConflictOfItsOwnType() {
    add(key, "add-1", PIZZA);

    Answer otherBody = add(key, "add-1", Map.of("memory_content", "I hate pizza",
        "user_id", "alice"));
    Answer otherRoute = server.send("POST", "/v1/memories/batch", key,
        Map.of("memories", List.of(PIZZA)), Map.of(Idempotency.HEADER, "add-1"));

    for (Answer answer : List.of(otherBody, otherRoute)) {
      assertThat(answer.status()).isEqualTo(409);
      assertThat(answer.problemType()).isEqualTo(ProblemType.IDEMPOTENCY_KEY_REUSED.type());
    }
    assertThat(count(key, "alice")).isEqualTo(1);
  }

  @Test
  void keysBelongToAProject() {
    String other = server.newKey("p2");
    add(key, "add-1", PIZZA);

    Answer inOtherProject = add(other, "add-1", PIZZA);

    assertThat(inOtherProject.status()).isEqualTo(201);
    assertThat(inOtherProject.header(Idempotency.REPLAYED_HEADER)).isNull();
    assertThat(count(other, "alice")).isEqualTo(1);
  }

  @Test
  void aFailedRequestIsNotKept() {
    Answer invalid = add(key, "add-1", Map.of("memory_content", "", "user_id", "alice"));

    Answer valid = add(key, "add-1", PIZZA);

    assertThat(invalid.status()).isEqualTo(400);
    assertThat(valid.status()).isEqualTo(201);
    assertThat(valid.header(Idempotency.REPLAYED_HEADER)).isNull();
    assertThat(count(key, "alice")).isEqualTo(1);
  }

  @Test
  void aKeyMustBeShortPrintableAscii() {
    for (String bad : List.of("k".repeat(256), "tab\there")) {
      Answer answer = add(key, bad, PIZZA);

      assertThat(answer.status()).isEqualTo(400);
      assertThat(answer.json().at("/violations/0/field").asText()).isEqualTo(Idempotency.HEADER);
    }
    assertThat(add(key, "k".repeat(255), PIZZA).status()).isEqualTo(201);
    assertThat(count(key, "alice")).isEqualTo(1);
  }

  @Test
  void concurrentDuplicatesStoreOnceAndAllGetTheFirstAnswer() throws Exception {
    embedder.gate = new CountDownLatch(1);
    int duplicates = 6;
    ExecutorService pool = Executors.newFixedThreadPool(duplicates);
    try {
      List<Future<Answer>> answers = new ArrayList<>();
      for (int i = 0; i < duplicates; i++) {
        answers.add(pool.submit(() -> add(key, "same", PIZZA)));
      }
      // holds the first add inside the engine until its duplicates have arrived
      assertThat(embedder.entered.await(30, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(300);
      embedder.gate.countDown();
      List<String> bodies = new ArrayList<>();
      for (Future<Answer> answer : answers) {
        Answer done = answer.get(30, TimeUnit.SECONDS);
        assertThat(done.status()).isEqualTo(201);
        bodies.add(done.response().body());
      }
      assertThat(bodies).containsOnly(bodies.get(0));
    } finally {
      pool.shutdownNow();
    }
    assertThat(embedder.documentCalls()).isEqualTo(1);
    assertThat(count(key, "alice")).isEqualTo(1);
  }

  @Test
  void theOpenApiDocumentDescribesTheHeaderOnTheAddingRoutesOnly() {
    JsonNode paths = server.get("/openapi.json", null).json().get("paths");

    for (String path : List.of("/v1/memories", "/v1/memories/batch")) {
      JsonNode add = paths.get(path).get("post");
      assertThat(add.get("parameters").findValuesAsText("name")).contains(Idempotency.HEADER);
      assertThat(add.at("/responses/409/description").asText())
          .isEqualTo(ProblemType.IDEMPOTENCY_KEY_REUSED.title());
    }
    assertThat(paths.at("/~1v1~1memories~1search/post/parameters").findValuesAsText("name"))
        .doesNotContain(Idempotency.HEADER);
  }

  /** Can hold document embedding until released, to keep a request in flight. */
  private static final class GatedEmbedder extends HashingEmbedder {
    final CountDownLatch entered = new CountDownLatch(1);
    volatile CountDownLatch gate = new CountDownLatch(0);

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
      entered.countDown();
      try {
        gate.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return super.embedDocuments(texts);
    }
  }
}

package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.InMemoryConfig;
import io.inmemory.engine.tck.HashingEmbedder;
import io.inmemory.server.TestServer.Answer;
import io.inmemory.wire.ProblemType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Admission control over real HTTP, with an embedder that holds every call until released so that
 * a test keeps costly work in flight: a request beyond the queue, or whose turn does not come in
 * time, or whose body's memory is not free, is answered 503 {@code overloaded} with
 * {@code Retry-After}, while requests without a body keep being answered.
 */
class AdmissionTest {

  /** Embeds like {@link HashingEmbedder}, but each call waits until {@link #release()}. */
  private static final class GatedEmbedder extends HashingEmbedder {
    private final CountDownLatch released = new CountDownLatch(1);
    private final Semaphore entered = new Semaphore(0);

    @Override
    public float[] embedQuery(String text) {
      hold();
      return super.embedQuery(text);
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
      hold();
      return super.embedDocuments(texts);
    }

    private void hold() {
      entered.release();
      try {
        released.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** Waits until a call is being held. */
    void awaitCall() throws InterruptedException {
      assertThat(entered.tryAcquire(30, TimeUnit.SECONDS)).as("a held embedding").isTrue();
    }

    void release() {
      released.countDown();
    }
  }

  private static TestServer server(GatedEmbedder embedder, Consumer<InMemoryConfig.Builder> set) {
    return new TestServer(set, TestServer.volatileStore(), embedder);
  }

  /** Sends a request in the background; returns once its embedding is held. */
  private static CompletableFuture<Answer> held(TestServer server, GatedEmbedder embedder,
      String key, String path, Map<String, Object> body) throws InterruptedException {
    CompletableFuture<Answer> running = CompletableFuture.supplyAsync(
        () -> server.post(path, key, body));
    embedder.awaitCall();
    return running;
  }

  private static Map<String, Object> search(String query) {
    return Map.of("user_id", "alice", "query", query);
  }

  private static void assertOverloaded(Answer answer, String retryAfter, String why) {
    assertThat(answer.status()).as(answer.response().body()).isEqualTo(503);
    assertThat(answer.problemType()).isEqualTo(ProblemType.OVERLOADED.type());
    assertThat(answer.header("Retry-After")).isEqualTo(retryAfter);
    assertThat(answer.json().get("detail").asText()).contains(why);
  }

  @Test
  void costlyRequestsBeyondTheQueueAreRefusedAtOnceWhileOthersAreAnswered() throws Exception {
    GatedEmbedder embedder = new GatedEmbedder();
    try (TestServer server = server(embedder, config -> config
        .set("inmemory.max-costly-requests", "1").set("inmemory.max-queued-requests", "1")
        .set("inmemory.queue-timeout-ms", "30000"))) {
      String key = server.newKey("p");
      CompletableFuture<Answer> running = held(server, embedder, key, "/v1/memories/search",
          search("first"));
      CompletableFuture<Answer> second = CompletableFuture.supplyAsync(
          () -> server.post("/v1/memories/search", key, search("second")));
      CompletableFuture<Answer> third = CompletableFuture.supplyAsync(
          () -> server.post("/v1/memories/search", key, search("third")));

      // One waits for the turn, the other finds the queue full: answered while the first runs.
      Answer refused = (Answer) CompletableFuture.anyOf(second, third).get(30, TimeUnit.SECONDS);
      assertOverloaded(refused, "1", "1 requests are waiting");
      assertThat(running).isNotDone();
      assertThat(server.get("/v1/ping", null).status()).isEqualTo(200);
      assertThat(server.get("/v1/memories?user_id=alice", key).status()).isEqualTo(200);

      embedder.release();
      assertThat(running.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
      assertThat(List.of(second.get(30, TimeUnit.SECONDS), third.get(30, TimeUnit.SECONDS)))
          .extracting(Answer::status).containsExactlyInAnyOrder(200, 503);
      assertThat(server.post("/v1/memories/search", key, search("after")).status())
          .isEqualTo(200);
    }
  }

  @Test
  void aRequestWhoseTurnDoesNotComeInTimeIsRefused() throws Exception {
    GatedEmbedder embedder = new GatedEmbedder();
    try (TestServer server = server(embedder, config -> config
        .set("inmemory.max-costly-requests", "1").set("inmemory.queue-timeout-ms", "200"))) {
      String key = server.newKey("p");
      CompletableFuture<Answer> running = held(server, embedder, key, "/v1/memories",
          Map.of("user_id", "alice", "memory_content", "held"));

      assertOverloaded(server.post("/v1/memories/search", key, search("late")), "1",
          "no turn came within 200 ms");

      embedder.release();
      assertThat(running.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
    }
  }

  @Test
  void bodiesReserveTheirMemoryBeforeTheyAreRead() throws Exception {
    GatedEmbedder embedder = new GatedEmbedder();
    // 1 MiB of request memory: bodies of at most 16 KiB, one of 12 KB at a time.
    try (TestServer server = server(embedder, config -> config
        .set("inmemory.max-request-memory", "1MB").set("inmemory.queue-timeout-ms", "200"))) {
      String key = server.newKey("p");
      Map<String, Object> twelveKb = Map.of("user_id", "alice", "memory_content", "padded",
          "metadata", Map.of("pad", "x".repeat(12_000)));
      assertThat(server.post("/v1/memories", key, Map.of("user_id", "alice",
          "memory_content", "big", "metadata", Map.of("pad", "x".repeat(20_000)))))
          .satisfies(answer -> {
            assertThat(answer.status()).isEqualTo(413);
            assertThat(answer.problemType()).isEqualTo(ProblemType.REQUEST_TOO_LARGE.type());
            assertThat(answer.json().get("detail").asText()).contains("16384 bytes");
          });
      CompletableFuture<Answer> running = held(server, embedder, key, "/v1/memories", twelveKb);

      Answer refused = server.post("/v1/memories", key, twelveKb);
      assertOverloaded(refused, "1", "request bodies");
      assertThat(refused.header("Connection")).isEqualTo("close");
      // A small body fits beside it, and so does a request without one.
      assertThat(server.post("/v1/memories/search", key, Map.of("user_id", "alice")).status())
          .isEqualTo(200);
      assertThat(server.get("/v1/ping", null).status()).isEqualTo(200);

      embedder.release();
      assertThat(running.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
      assertThat(server.post("/v1/memories", key, twelveKb).status()).isEqualTo(201);
    }
  }
}

package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.engine.tck.HashingEmbedder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Closing the server lets requests in flight finish. */
class GracefulShutdownTest {

  /** Holds every document embedding until released. */
  private static final class GatedEmbedder extends HashingEmbedder {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
      entered.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return super.embedDocuments(texts);
    }
  }

  @Test
  void requestsInFlightCompleteDuringShutdown() throws Exception {
    GatedEmbedder embedder = new GatedEmbedder();
    TestServer server = new TestServer(config -> { }, TestServer.volatileStore(), embedder);
    String key = server.newKey("p");
    HttpRequest add = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.server.port() + "/v1/memories"))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(Map.of(
            "memory_content", "in flight", "user_id", "u"))))
        .build();
    CompletableFuture<HttpResponse<String>> response = HttpClient.newHttpClient()
        .sendAsync(add, HttpResponse.BodyHandlers.ofString());
    assertThat(embedder.entered.await(10, TimeUnit.SECONDS)).isTrue();

    Thread closer = new Thread(server.server::close);
    closer.start();
    closer.join(300);
    assertThat(closer.isAlive()).as("close waits for the request in flight").isTrue();
    embedder.release.countDown();

    assertThat(response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
    closer.join(10_000);
    assertThat(closer.isAlive()).isFalse();
    assertThat(server.memory.getAll("u", 10, 0).total()).isZero();
    assertThat(server.memory.namespace("p").getAll("u", 10, 0).total()).isEqualTo(1);
    server.memory.close();
  }
}

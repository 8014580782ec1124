package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.inmemory.InMemoryConfig;
import io.inmemory.engine.Memory;
import io.inmemory.engine.tck.HashingEmbedder;
import io.inmemory.server.LiveServer.Backend;
import io.inmemory.server.WebhookReceiver.Received;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Webhook events survive restarts on durable stores: deliveries queued while the receiver was
 * down, and events recorded while no dispatcher ran (webhooks off), all arrive after the server
 * comes back, once each and in order.
 */
class WebhookRestartTest {
  @TempDir
  Path dir;

  private final WebhookReceiver receiver = new WebhookReceiver();

  /** A server on the store in {@code dir}, recording events; its engine closes with it. */
  private record Running(Memory memory, InMemoryServer server) implements AutoCloseable {
    TestServer.Answer send(String method, String path, String key, Object body) {
      return TestServer.send(server.port(), method, path, key, body, Map.of());
    }

    @Override
    public void close() {
      server.close();
      memory.close();
    }
  }

  private Running start(Backend backend, boolean webhooks) {
    InMemoryConfig config = backend.configure(InMemoryConfig.builder().isolated(), dir)
        .set("inmemory.events.record", "true")
        .set(WebhookSettings.ENABLED.name(), Boolean.toString(webhooks))
        .set(WebhookSettings.ALLOWED_NETWORKS.name(), "127.0.0.1/32")
        .set(WebhookSettings.BACKOFF_BASE_MS.name(), "20")
        .set(WebhookSettings.BACKOFF_MAX_SECONDS.name(), "1")
        .set(WebhookSettings.MAX_ATTEMPTS.name(), "100")
        .set(WebhookSettings.POLL_MS.name(), "20").build();
    Memory memory = Memory.builder().config(config).embedder(new HashingEmbedder()).build();
    return new Running(memory, InMemoryServer.builder().config(config).memory(memory).port(0)
        .adminKey(TestServer.ADMIN).start());
  }

  @ParameterizedTest
  @EnumSource(value = Backend.class, names = {"FILE", "H2"})
  void queuedDeliveriesAndUnsentEventsSurviveRestarts(Backend backend) throws Exception {
    receiver.fallback(WebhookReceiver.Answer.of(503));
    List<String> added = new ArrayList<>();
    String key;
    try (Running running = start(backend, true)) {
      key = TestServer.newKey(running.server().port(), "acme", "write", "webhooks");
      assertThat(running.send("POST", "/v1/webhooks", key, Map.of("url", receiver.url("/in"),
          "events", List.of("memory.added"))).status()).isEqualTo(201);
      for (int i = 0; i < 5; i++) {
        added.add(add(running, key, "fact " + i));
      }
      // the first is tried (and refused) over and over; the others wait behind it
      receiver.await(2);
    }
    try (Running running = start(backend, false)) {
      // more than one fan-out batch (WebhookDispatcher.FAN_OUT_BATCH) waits for the restart
      for (int i = 5; i < 5 + WebhookDispatcher.FAN_OUT_BATCH + 3; i++) {
        added.add(add(running, key, "fact " + i));
      }
    }
    int refused = receiver.received().size();
    receiver.fallback(WebhookReceiver.Answer.of(200));
    try (Running running = start(backend, true)) {
      List<Received> requests = receiver.await(all -> all.size() >= refused + added.size(),
          Duration.ofSeconds(10));
      List<Received> delivered = requests.subList(refused, requests.size());
      assertThat(delivered).extracting(WebhookRestartTest::memoryId)
          .containsExactlyElementsOf(added);
      assertThat(delivered).extracting(r -> r.header("webhook-id")).doesNotHaveDuplicates();
      // the first event kept its id over the attempts before and after the restarts
      assertThat(requests.get(0).header("webhook-id"))
          .isEqualTo(delivered.get(0).header("webhook-id"));
    } finally {
      receiver.close();
    }
  }

  private static String add(Running running, String key, String content) {
    TestServer.Answer answer = running.send("POST", "/v1/memories", key,
        Map.of("memory_content", content, "user_id", "alice"));
    assertThat(answer.status()).as(answer.describe()).isEqualTo(201);
    return answer.json().at("/memory/id").asText();
  }

  private static String memoryId(Received request) {
    try {
      return Json.MAPPER.readTree(request.body()).at("/data/memory_id").asText();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}

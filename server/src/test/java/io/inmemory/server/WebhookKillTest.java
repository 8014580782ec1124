package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.inmemory.engine.spi.EmbedderProvider;
import io.inmemory.server.TestServer.Answer;
import io.inmemory.server.WebhookReceiver.Received;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The webhook outbox survives a kill -9: the runnable server in a JVM of its own, on a durable
 * store, acknowledges adds while the receiver answers 503 (so every delivery is still owed), and
 * is killed with SIGKILL the moment the last add is answered; started again on the same data, it
 * delivers each acknowledged add's event exactly once (file store, H2, and MongoDB — the
 * stand-in in this JVM, reached over TCP), with the event id it had before, once the
 * dead server's hook lease (2 s here, {@code INMEMORY_WEBHOOK_LEASE_SECONDS}) has lapsed.
 */
class WebhookKillTest {
  private static final int ADDS = 6;

  @TempDir
  Path dir;

  /** The MongoDB stand-in, in this JVM: it outlives the killed server, as a real one would. */
  private @Nullable MongoServer mongo;

  @AfterEach
  void stopMongo() {
    if (mongo != null) {
      mongo.shutdownNow();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"file", "h2", "mongo"})
  void everyAcknowledgedAddIsDeliveredAfterAKill(String store) throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      receiver.fallback(WebhookReceiver.Answer.of(503));
      ChildServer first = new ChildServer(dir, List.of(), List.of(services()), environment(store));
      List<String> ids = new ArrayList<>();
      String key;
      String hookId;
      try {
        int port = first.awaitPort();
        key = TestServer.newKey(port, "p1", "read", "write", "webhooks");
        Answer hook = TestServer.send(port, "POST", "/v1/webhooks", key, Map.of("url",
            receiver.url("/in"), "events", List.of("memory.added")), Map.of());
        assertThat(hook.status()).as(hook.describe()).isEqualTo(201);
        hookId = hook.json().get("id").asText();
        for (int i = 0; i < ADDS; i++) {
          Answer added = TestServer.send(port, "POST", "/v1/memories", key, Map.of("user_id",
              "alice", "memory_content", "fact number " + i), Map.of());
          assertThat(added.status()).as(added.describe()).isEqualTo(201);
          ids.add(added.json().path("memory").path("id").asText());
        }
      } finally {
        assertThat(first.kill()).as("the first server was still running when killed").isTrue();
      }
      int beforeRestart = receiver.received().size();
      Map<String, String> eventIds = eventIds(receiver.received());
      receiver.fallback(WebhookReceiver.Answer.of(200));

      ChildServer second = new ChildServer(dir, List.of(), List.of(services()),
          environment(store));
      try {
        int port = second.awaitPort();
        List<Received> after;
        try {
          after = receiver.await(all -> memoryIds(all.subList(beforeRestart, all.size()))
              .keySet().containsAll(ids), Duration.ofSeconds(30));
        } catch (AssertionError e) {
          throw new AssertionError("after the restart, the delivery log: " + TestServer.send(port,
              "GET", "/v1/webhooks/" + hookId + "/deliveries", key, null, Map.of()).response()
              .body() + "; server errors: " + second.err(), e);
        }
        Map<String, Long> deliveries = memoryIds(after.subList(beforeRestart, after.size()));
        assertThat(deliveries).as("each acknowledged add delivered once after the kill")
            .containsOnlyKeys(ids).allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
        eventIds(after.subList(beforeRestart, after.size())).forEach((memory, eventId) ->
            assertThat(eventIds.getOrDefault(memory, eventId))
                .as("the event id of %s across the kill", memory).isEqualTo(eventId));
      } finally {
        second.close();
      }
    }
  }

  private static Map<String, Long> memoryIds(List<Received> requests) {
    return requests.stream().collect(Collectors.groupingBy(WebhookKillTest::memoryId,
        LinkedHashMap::new, Collectors.counting()));
  }

  private static Map<String, String> eventIds(List<Received> requests) {
    return requests.stream().collect(Collectors.toMap(WebhookKillTest::memoryId,
        request -> request.header("webhook-id"), (first, later) -> first));
  }

  private static String memoryId(Received request) {
    try {
      JsonNode body = Json.MAPPER.readTree(request.body());
      return body.at("/data/memory_id").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A class path entry registering the deterministic embedder, for the children only. */
  private Path services() throws IOException {
    Path services = dir.resolve("services");
    Path registration = services.resolve("META-INF/services/" + EmbedderProvider.class.getName());
    Files.createDirectories(registration.getParent());
    Files.writeString(registration, HashingEmbedderProvider.class.getName() + "\n");
    return services;
  }

  private Map<String, String> environment(String store) {
    Map<String, String> env = new LinkedHashMap<>(Map.of("INMEMORY_SERVER_MODE", "prod",
        "INMEMORY_ADMIN_KEY", TestServer.ADMIN, "INMEMORY_HOST", "127.0.0.1",
        "INMEMORY_PORT", "0", "INMEMORY_STORAGE_TYPE", store,
        "INMEMORY_EMBEDDER", HashingEmbedderProvider.NAME,
        "INMEMORY_WEBHOOK_ALLOWED_NETWORKS", "127.0.0.0/8",
        "INMEMORY_WEBHOOK_POLL_MS", "20", "INMEMORY_WEBHOOK_BACKOFF_BASE_MS", "20",
        "INMEMORY_WEBHOOK_MAX_ATTEMPTS", "100"));
    env.put("INMEMORY_WEBHOOK_BACKOFF_MAX_SECONDS", "1");
    // a dead server's hook lease may be kept in the store (H2): the next one sends once it lapses
    env.put("INMEMORY_WEBHOOK_LEASE_SECONDS", "2");
    switch (store) {
      case "file" -> env.put("INMEMORY_STORE_FILE_DIR", dir.resolve("file").toString());
      case "h2" -> env.put("INMEMORY_STORE_H2_URL", "jdbc:h2:file:"
          + dir.resolve("h2").resolve("inmemory").toAbsolutePath());
      case "mongo" -> {
        if (mongo == null) {
          mongo = new MongoServer(new MemoryBackend());
          mongo.bind("127.0.0.1", 0);
        }
        env.put("INMEMORY_STORE_MONGO_URI", "mongodb://127.0.0.1:"
            + mongo.getLocalAddress().getPort() + "/?serverSelectionTimeoutMS=5000");
      }
      default -> throw new IllegalArgumentException(store);
    }
    return env;
  }
}

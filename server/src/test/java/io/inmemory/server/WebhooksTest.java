package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.InMemoryConfig;
import io.inmemory.engine.VolatileStoreProvider;
import io.inmemory.engine.tck.HashingEmbedder;
import io.inmemory.llm.openai.testing.ScriptedModel;
import io.inmemory.llm.openai.testing.ScriptedOpenAi;
import io.inmemory.server.TestServer.Answer;
import io.inmemory.server.WebhookReceiver.Received;
import io.inmemory.tck.ModelScript.ScriptedDecision;
import io.inmemory.tck.ModelScript.ScriptedFact;
import io.inmemory.tck.ModelScript.Shown;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks end to end: a server over a recording store, a real receiver on a loopback port (the
 * loopback network allowed), a scripted model for the conversation that supersedes. Backoff and
 * polling are in milliseconds, so retries take no time worth waiting for.
 */
class WebhooksTest {
  private static final Map<String, String> FAST = Map.of(
      WebhookSettings.ALLOWED_NETWORKS.name(), "127.0.0.0/8",
      WebhookSettings.BACKOFF_BASE_MS.name(), "20",
      WebhookSettings.BACKOFF_MAX_SECONDS.name(), "1",
      WebhookSettings.MAX_ATTEMPTS.name(), "3",
      WebhookSettings.POLL_MS.name(), "20",
      WebhookSettings.TIMEOUT_SECONDS.name(), "5");
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static ScriptedOpenAi openAi;
  private static ScriptedModel model;

  private TestServer server;
  private WebhookReceiver receiver;
  private String key;

  @BeforeAll
  static void startModel() {
    openAi = ScriptedOpenAi.start();
    model = new ScriptedModel(openAi);
  }

  @AfterAll
  static void stopModel() {
    openAi.close();
  }

  @BeforeEach
  void start() {
    server = serverWith(FAST);
    receiver = new WebhookReceiver();
    key = server.newKey("acme", "read", "write", "webhooks");
  }

  @AfterEach
  void stop() {
    server.close();
    receiver.close();
    model.reset();
  }

  /** A server over a volatile store that records events, with {@code settings}. */
  private static TestServer serverWith(Map<String, String> settings) {
    Map<String, String> all = new LinkedHashMap<>(settings);
    all.putAll(model.settings());
    all.put("inmemory.events.record", "true");
    InMemoryConfig.Builder store = InMemoryConfig.builder().isolated();
    all.forEach(store::set);
    return new TestServer(config -> all.forEach(config::set),
        new VolatileStoreProvider().open(store.build()), new HashingEmbedder());
  }

  private JsonNode createHook(String path, List<String> events) {
    return createHook(key, path, events);
  }

  private JsonNode createHook(String withKey, String path, List<String> events) {
    Answer created = server.post("/v1/webhooks", withKey, Map.of("url", receiver.url(path),
        "events", events, "description", "test hook"));
    assertThat(created.status()).as(created.describe()).isEqualTo(201);
    return created.json();
  }

  private static final List<String> MEMORY_EVENTS = List.of("memory.added", "memory.updated",
      "memory.superseded", "memory.deleted");

  @Test
  void eachChangeArrivesInOrderSignedWithTheSecretShownOnce() throws Exception {
    JsonNode hook = createHook("/all", MEMORY_EVENTS);
    String secret = hook.get("secret").asText();
    createHook("/deletes", List.of("memory.deleted"));

    String first = server.add(key, "alice", "lives in Paris", Map.of());
    assertThat(server.send("PUT", "/v1/memories/" + first + "?user_id=alice", key,
        Map.of("memory_content", "lives in Paris, France")).status()).isEqualTo(200);
    model.nextFacts(List.of(ScriptedFact.of("lives in Berlin")));
    model.nextDecisions(shown -> List.of(ScriptedDecision.supersede(0,
        ref(shown, "lives in Paris, France"))));
    Answer told = server.post("/v1/memories", key, Map.of("user_id", "alice", "messages",
        List.of(Map.of("role", "user", "content", "I moved to Berlin"))));
    assertThat(told.status()).as(told.describe()).isEqualTo(201);
    String second = told.json().at("/events/0/memory/id").asText();
    assertThat(server.send("DELETE", "/v1/memories/" + second + "?user_id=alice", key, null)
        .status()).isEqualTo(200);

    List<Received> all = receiver.await(received -> paths(received, "/all") == 5
        && paths(received, "/deletes") == 1, WAIT);
    List<Received> toAll = all.stream().filter(r -> r.path().equals("/all")).toList();
    assertThat(toAll).extracting(r -> field(r, "/type") + " " + field(r, "/data/memory_id"))
        .containsExactly("memory.added " + first, "memory.updated " + first,
            "memory.added " + second, "memory.superseded " + first,
            "memory.deleted " + second);
    JsonNode superseded = Json.MAPPER.readTree(toAll.get(3).body());
    assertThat(superseded.at("/data/related_id").asText()).isEqualTo(second);
    assertThat(superseded.at("/data/project_id").asText()).isEqualTo("acme");
    assertThat(superseded.at("/data/previous_content").asText())
        .isEqualTo("lives in Paris, France");
    for (Received request : toAll) {
      assertThat(verifies(secret, request)).as("signature of " + request.text()).isTrue();
      assertThat(request.header("webhook-id")).startsWith("evt_");
    }
    assertThat(toAll).extracting(r -> r.header("webhook-id")).doesNotHaveDuplicates();
    Received delete = all.stream().filter(r -> r.path().equals("/deletes")).findFirst()
        .orElseThrow();
    assertThat(field(delete, "/type")).isEqualTo("memory.deleted");
    // the same event, told to two hooks, has one id: the receivers' deduplication key
    assertThat(delete.header("webhook-id")).isEqualTo(toAll.get(4).header("webhook-id"));

    Answer listed = server.get("/v1/webhooks", key);
    assertThat(listed.json().get("items")).hasSize(2);
    assertThat(listed.json().at("/items/0/secret").isMissingNode()).isTrue();
    assertThat(listed.json().at("/items/0/secret_hint").asText())
        .isEqualTo("whsec_…" + secret.substring(secret.length() - 4));
    String delivered = "/v1/webhooks/" + hook.get("id").asText()
        + "/deliveries?state=delivered&limit=2";
    // the receiver has answered the last delivery; the dispatcher records it just after
    eventually(() -> server.get(delivered, key).json().at("/items/0/type").asText()
        .equals("memory.deleted"));
    Answer log = server.get(delivered, key);
    assertThat(log.json().get("items")).hasSize(2);
    assertThat(log.json().get("has_more").asBoolean()).isTrue();
    assertThat(log.json().at("/items/0/type").asText()).isEqualTo("memory.deleted");
  }

  @Test
  void aFailedDeliveryIsRetriedWithTheSameIdUntilItSucceeds() throws Exception {
    receiver.script(WebhookReceiver.Answer.of(500), WebhookReceiver.Answer.of(500));
    JsonNode hook = createHook("/in", List.of("memory.added"));
    server.add(key, "alice", "likes tea", Map.of());

    List<Received> requests = receiver.await(3);
    assertThat(requests).extracting(r -> r.header("webhook-id")).containsOnly(
        requests.get(0).header("webhook-id"));
    // the second retry waits at least half of twice the base, the jitter's floor
    assertThat(requests.get(2).atNanos() - requests.get(1).atNanos())
        .isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());
    String id = hook.get("id").asText();
    eventually(() -> server.get("/v1/webhooks/" + id + "/deliveries", key).json()
        .at("/items/0/state").asText().equals("delivered"));
    JsonNode delivery = server.get("/v1/webhooks/" + id + "/deliveries", key).json()
        .at("/items/0");
    assertThat(delivery.get("attempts").asInt()).isEqualTo(3);
    assertThat(delivery.get("last_status").asInt()).isEqualTo(200);
    assertThat(server.get("/v1/webhooks/" + id, key).json().get("consecutive_failures").asInt())
        .isZero();
    String metrics = server.get("/metrics", TestServer.ADMIN).response().body();
    assertThat(metrics).contains(
        "inmemory_webhook_deliveries_total{outcome=\"http_error\",status_class=\"5xx\"} 2.0",
        "inmemory_webhook_deliveries_total{outcome=\"success\",status_class=\"2xx\"} 1.0");
  }

  @Test
  void goneDisablesAtOnceAndEnableSendsWhatWasQueuedInOrder() throws Exception {
    receiver.script(WebhookReceiver.Answer.of(410));
    String id = createHook("/in", List.of("memory.added")).get("id").asText();
    String first = server.add(key, "alice", "likes tea", Map.of());
    receiver.await(1);
    eventually(() -> !server.get("/v1/webhooks/" + id, key).json().get("enabled").asBoolean());
    JsonNode disabled = server.get("/v1/webhooks/" + id, key).json();
    assertThat(disabled.get("disabled_reason").asText()).contains("410");
    assertThat(disabled.get("disabled_at").isNull()).isFalse();
    // counted just after the hook is disabled in the store
    eventually(() -> server.get("/metrics", TestServer.ADMIN).response().body()
        .contains("inmemory_webhook_disabled_total{reason=\"gone\"} 1.0"));

    String second = server.add(key, "alice", "likes coffee", Map.of());
    Thread.sleep(200);
    assertThat(receiver.received()).hasSize(1);

    assertThat(server.post("/v1/webhooks/" + id + "/enable", key, null).json()
        .get("enabled").asBoolean()).isTrue();
    List<Received> requests = receiver.await(3);
    assertThat(requests.subList(1, 3)).extracting(r -> field(r, "/data/memory_id"))
        .containsExactly(first, second);
  }

  @Test
  void exhaustedAttemptsDisableWithTheLastError() throws Exception {
    receiver.fallback(WebhookReceiver.Answer.of(500).withBody("database down"));
    String id = createHook("/in", List.of("memory.added")).get("id").asText();
    server.add(key, "alice", "likes tea", Map.of());
    receiver.await(3);
    eventually(() -> !server.get("/v1/webhooks/" + id, key).json().get("enabled").asBoolean());
    JsonNode hook = server.get("/v1/webhooks/" + id, key).json();
    assertThat(hook.get("disabled_reason").asText())
        .isEqualTo("3 attempts failed in a row; the last: HTTP 500: database down");
    assertThat(hook.get("consecutive_failures").asInt()).isEqualTo(3);
    JsonNode pending = server.get("/v1/webhooks/" + id + "/deliveries?state=pending", key)
        .json().at("/items/0");
    assertThat(pending.get("attempts").asInt()).isEqualTo(3);
    assertThat(pending.get("last_error").asText()).isEqualTo("HTTP 500: database down");
    Thread.sleep(200);
    assertThat(receiver.received()).hasSize(3);
  }

  @Test
  void aRotatedSecretSignsBesideTheNewOneAndTestEventsArrive() throws Exception {
    JsonNode hook = createHook("/in", List.of("memory.deleted"));
    String id = hook.get("id").asText();
    Answer rotated = server.post("/v1/webhooks/" + id + "/rotate-secret", key, null);
    assertThat(rotated.status()).isEqualTo(200);
    String secret = rotated.json().get("secret").asText();
    assertThat(secret).isNotEqualTo(hook.get("secret").asText());

    assertThat(server.post("/v1/webhooks/" + id + "/test", key, null).status()).isEqualTo(202);
    Received test = receiver.await(1).get(0);
    assertThat(field(test, "/type")).isEqualTo("webhook.test");
    assertThat(test.header("webhook-signature").split(" ")).hasSize(2);
    assertThat(verifies(secret, test)).isTrue();
    assertThat(verifies(hook.get("secret").asText(), test)).isTrue();
  }

  @Test
  void anImportAnnouncesItsRunFinishedAndNoneOfTheHistoryItRestored() throws Exception {
    server.add(key, "alice", "lives in Paris", Map.of());
    String gone = server.add(key, "alice", "has a red bike", Map.of());
    assertThat(server.send("DELETE", "/v1/memories/" + gone + "?user_id=alice", key, null)
        .status()).isEqualTo(200);
    Answer exported = server.get("/v1/export?user_id=alice", key);
    assertThat(exported.status()).as(exported.describe()).isEqualTo(200);
    String beta = server.newKey("beta", "read", "write", "webhooks");
    createHook(beta, "/imports", List.of("import.finished"));
    createHook(beta, "/memories", MEMORY_EVENTS);

    Answer imported = server.send("POST", "/v1/import?import_run=run-1&final=true", beta,
        exported.response().body(), Map.of("Content-Type", "application/x-ndjson"));
    assertThat(imported.status()).as(imported.describe()).isEqualTo(200);
    String live = server.add(beta, "bob", "written after the import", Map.of());

    // deliveries to a hook keep the order of their events: a restored add or delete announced
    // would reach /memories before the live add does
    List<Received> received = receiver.await(all -> paths(all, "/imports") == 1
        && paths(all, "/memories") >= 1, WAIT);
    Received finished = received.stream().filter(r -> r.path().equals("/imports")).findFirst()
        .orElseThrow();
    assertThat(field(finished, "/type")).isEqualTo("import.finished");
    assertThat(field(finished, "/data/import_run")).isEqualTo("run-1");
    assertThat(field(finished, "/data/counts/restored")).isEqualTo("2");
    assertThat(finished.header("webhook-id")).startsWith("evt_import_");
    assertThat(received.stream().filter(r -> r.path().equals("/memories")).findFirst()
        .map(r -> field(r, "/type") + " " + field(r, "/data/memory_id")))
        .contains("memory.added " + live);
  }

  @Test
  void onlyWebhookKeysOfTheProjectManageItsHooks() {
    String readWrite = server.newKey("acme", "read", "write", "keys");
    assertThat(server.post("/v1/webhooks", readWrite, Map.of("url", receiver.url("/"),
        "events", List.of("memory.added"))).status()).isEqualTo(403);
    String id = createHook("/in", List.of("memory.added")).get("id").asText();

    String other = server.newKey("other", "webhooks");
    assertThat(server.get("/v1/webhooks/" + id, other).status()).isEqualTo(404);
    assertThat(server.get("/v1/webhooks?project_id=acme", other).status()).isEqualTo(403);
    assertThat(server.get("/v1/webhooks/" + id + "?project_id=acme", TestServer.ADMIN).status())
        .isEqualTo(200);
    assertThat(server.get("/v1/webhooks", TestServer.ADMIN).status()).isEqualTo(400);
    assertThat(server.send("DELETE", "/v1/webhooks/" + id, other, null).status()).isEqualTo(404);
    assertThat(server.send("DELETE", "/v1/webhooks/" + id, key, null).status()).isEqualTo(200);
    assertThat(server.get("/v1/webhooks/" + id, key).status()).isEqualTo(404);

    Answer unknownEvent = server.post("/v1/webhooks", key, Map.of("url", receiver.url("/"),
        "events", List.of("memory.exploded")));
    assertThat(unknownEvent.status()).isEqualTo(400);
    assertThat(unknownEvent.describe()).contains("memory.exploded");
  }

  @Test
  void privateAndLoopbackTargetsAreRefusedWithTheReasonUnlessAllowed() {
    try (TestServer strict = serverWith(Map.of())) {
      String strictKey = strict.newKey("acme", "webhooks");
      Map<String, String> refused = Map.of(
          receiver.url("/in"), "loopback",
          "https://localhost/in", "loopback",
          "https://10.0.0.1/", "private",
          "https://169.254.169.254/latest/meta-data", "link-local",
          "https://[::ffff:10.0.0.1]/", "private",
          "https://[fd00::1]/", "unique local");
      refused.forEach((url, reason) -> {
        Answer answer = strict.post("/v1/webhooks", strictKey, Map.of("url", url, "events",
            List.of("memory.added")));
        assertThat(answer.status()).as(url).isEqualTo(400);
        assertThat(answer.describe()).as(url).contains(reason)
            .contains("INMEMORY_WEBHOOK_ALLOWED_NETWORKS");
      });
      assertThat(strict.get("/v1/webhooks", strictKey).json().get("items")).isEmpty();
    }
  }

  private static long paths(List<Received> received, String path) {
    return received.stream().filter(r -> r.path().equals(path)).count();
  }

  private static String field(Received request, String pointer) {
    try {
      return Json.MAPPER.readTree(request.body()).at(pointer).asText();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String ref(List<Shown> shown, String content) {
    return shown.stream().filter(memory -> memory.content().equals(content)).map(Shown::ref)
        .findFirst().orElseThrow(() -> new AssertionError(content + " not shown: " + shown));
  }

  /** Whether a signature of the request verifies with {@code secret}: the receiver's check. */
  static boolean verifies(String secret, Received request) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())),
        "HmacSHA256"));
    mac.update((request.header("webhook-id") + "." + request.header("webhook-timestamp") + ".")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    String expected = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(request.body()));
    return List.of(request.header("webhook-signature").split(" ")).contains(expected);
  }

  /** Waits up to 10 s for {@code condition}. */
  static void eventually(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached within " + WAIT);
      }
      Thread.sleep(20);
    }
  }
}

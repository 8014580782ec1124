package io.inmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.inmemory.InMemoryConfig;
import io.inmemory.cli.Cli.Run;
import io.inmemory.server.InMemoryServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inmemory webhooks}: a hook made, listed, changed, tested, rotated, disabled and deleted
 * through a real server, deliveries posted to a real receiver on loopback (the loopback network
 * allowed for the test) and read back from the delivery log; a local store is refused.
 */
class WebhooksCommandTest {
  private static final String ADMIN = "a".repeat(40);
  private final Cli cli = Cli.hashing();

  @TempDir
  Path dir;

  @Test
  void aServersWebhooksAreManagedAndTheirDeliveriesRead() throws Exception {
    Queue<String> received = new ConcurrentLinkedQueue<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", exchange -> {
      received.add(exchange.getRequestHeaders().getFirst("webhook-id") + " "
          + new String(exchange.getRequestBody().readAllBytes()));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    receiver.start();
    try (InMemoryServer server = InMemoryServer.builder().config(InMemoryConfig.builder()
        .isolated().set(InMemoryConfig.STORE.name(), "memory")
        .set(InMemoryConfig.EMBEDDER.name(), Cli.HASHING)
        .set("inmemory.webhook.allowed-networks", "127.0.0.0/8")
        .set("inmemory.webhook.poll-ms", "20").build())
        .port(0).host("127.0.0.1").adminKey(ADMIN).start()) {
      String url = "http://127.0.0.1:" + server.port();
      String key = remote(url, ADMIN, "keys", "create", "--project", "acme", "--scope",
          "read,write,webhooks", "--json").json().get("key").asText();
      String target = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";

      Run created = remote(url, key, "webhooks", "create", target, "--event",
          "memory.added,memory.deleted", "--description", "audit", "--json");
      assertThat(created.status()).as("%s", created).isZero();
      String id = created.json().get("id").asText();
      String secret = created.json().get("secret").asText();
      assertThat(secret).startsWith("whsec_");
      Run human = remote(url, key, "webhooks", "list");
      assertThat(human.out()).contains(id, target, "enabled").doesNotContain(secret);

      assertThat(remote(url, key, "add", "Dana runs the night shift", "--user", "dana").status())
          .isZero();
      assertThat(remote(url, key, "webhooks", "test", id).status()).isZero();
      await(() -> received.size() >= 2);
      assertThat(received).anySatisfy(body -> assertThat(body).contains("memory.added",
          "Dana runs the night shift"));
      await(() -> remote(url, key, "webhooks", "deliveries", id, "--state", "delivered",
          "--json").json().get("items").size() == 2);
      Run log = remote(url, key, "webhooks", "deliveries", id, "--limit", "1", "--json");
      assertThat(log.json().get("items")).hasSize(1);
      assertThat(log.json().get("has_more").asBoolean()).isTrue();
      Run older = remote(url, key, "webhooks", "deliveries", id, "--before",
          log.json().at("/items/0/sequence").asText(), "--json");
      assertThat(older.json().at("/items/0/type").asText()).isEqualTo("memory.added");

      Run updated = remote(url, key, "webhooks", "update", id, "--no-content", "--event",
          "memory.deleted", "--json");
      assertThat(updated.status()).as("%s", updated).isZero();
      assertThat(updated.json().get("include_content").asBoolean()).isFalse();
      assertThat(updated.json().get("events")).extracting(JsonNode::asText)
          .containsExactly("memory.deleted");
      assertThat(updated.json().has("secret")).isFalse();
      Run rotated = remote(url, key, "webhooks", "rotate-secret", id, "--json");
      assertThat(rotated.json().get("secret").asText()).startsWith("whsec_").isNotEqualTo(secret);
      Run disabled = remote(url, key, "webhooks", "disable", id);
      assertThat(disabled.out()).contains("DISABLED");
      assertThat(remote(url, key, "webhooks", "get", id, "--json").json().get("enabled")
          .asBoolean()).isFalse();
      assertThat(remote(url, key, "webhooks", "enable", id, "--json").json().get("enabled")
          .asBoolean()).isTrue();

      Run refused = remote(url, key, "webhooks", "create", "http://10.0.0.1/in", "--event",
          "memory.added");
      assertThat(refused.status()).as("%s", refused).isEqualTo(ExitCodes.INVALID);
      assertThat(refused.errLines()).hasSize(1);
      assertThat(remote(url, key, "webhooks", "update", id).status()).isEqualTo(ExitCodes.USAGE);
      String reader = remote(url, ADMIN, "keys", "create", "--project", "acme", "--scope",
          "read", "--json").json().get("key").asText();
      assertThat(remote(url, reader, "webhooks", "list").status()).isEqualTo(ExitCodes.DENIED);

      assertThat(remote(url, key, "webhooks", "delete", id).status()).isZero();
      assertThat(remote(url, key, "webhooks", "get", id).status())
          .isEqualTo(ExitCodes.NOT_FOUND);
    } finally {
      receiver.stop(0);
    }
    Run local = cli.run("webhooks", "list", "--dir", dir.toString());
    assertThat(local.status()).isEqualTo(ExitCodes.USAGE);
    assertThat(local.err()).contains("--server URL");
  }

  private Run remote(String url, String key, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--server", url, "--api-key", key, "-Dinmemory.http.max-retries=0"));
    return cli.run(all.toArray(String[]::new));
  }

  private static void await(BooleanSupplier condition)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (!condition.getAsBoolean()) {
      assertThat(Instant.now()).as("still waiting after 10 s").isBefore(deadline);
      Thread.sleep(20);
    }
  }
}

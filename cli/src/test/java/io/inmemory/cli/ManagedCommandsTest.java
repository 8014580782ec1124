package io.inmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.InMemoryConfig;
import io.inmemory.Scope;
import io.inmemory.cli.Cli.Run;
import io.inmemory.engine.Memory;
import io.inmemory.server.LoopbackServer;
import io.inmemory.store.file.FileStoreSettings;
import io.inmemory.transport.http.Inmry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands against a real InMemory server on a loopback port ({@code --server URL
 * --api-key KEY}): the same documents and statuses as on the local engine, and the server's
 * refusals mapped onto the documented statuses.
 */
class ManagedCommandsTest {
  @TempDir
  static Path dir;

  private static Memory engine;
  private static LoopbackServer server;
  private static String key;

  private final Cli cli = Cli.hashing();

  @BeforeAll
  static void start() {
    engine = Memory.builder().config(InMemoryConfig.builder().isolated()
        .set(InMemoryConfig.STORE.name(), "file")
        .set(InMemoryConfig.EMBEDDER.name(), Cli.HASHING)
        .set(FileStoreSettings.DIR.name(), dir.resolve("server").toString()).build()).build();
    server = LoopbackServer.start(engine);
    key = server.newProjectKey("cli");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (engine != null) {
      engine.close();
    }
  }

  private Run run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--server", server.baseUrl(), "--api-key", key));
    return cli.run(all.toArray(String[]::new));
  }

  @Test
  void addSearchGetAndDeleteThroughTheServer() {
    Run added = run("add", "Carol keeps bees on her roof", "--user", "carol", "--tag", "hobby",
        "--meta", "hives=2", "--json");
    assertThat(added.status()).as("%s", added).isZero();
    String id = added.json().at("/memory/id").asText();
    Run other = run("add", "Carol's car is red", "--user", "carol", "--json");
    assertThat(other.status()).as("%s", other).isZero();

    Run found = run("search", "bees", "--user", "carol", "--tag", "hobby", "--json");
    assertThat(found.status()).as("%s", found).isZero();
    assertThat(found.json().get("hits")).extracting(hit -> hit.at("/memory/id").asText())
        .containsExactly(id);
    Run filtered = run("search", "--user", "carol", "--filter",
        "{\"metadata\": {\"hives\": {\"gte\": 2}}}", "--json");
    assertThat(filtered.json().get("hits")).extracting(hit -> hit.at("/memory/id").asText())
        .containsExactly(id);

    Run got = run("get", id, "--user", "carol", "--json");
    assertThat(got.status()).as("%s", got).isZero();
    JsonNode memory = got.json();
    assertThat(memory.get("memory_content").asText()).isEqualTo("Carol keeps bees on her roof");
    assertThat(memory.at("/metadata/hives").asInt()).isEqualTo(2);
    // the server's own store holds it: the command went through HTTP, not a local engine
    assertThat(engine.namespace("cli").get(id, Scope.user("carol"))).isPresent();

    assertThat(run("list", "--user", "carol", "--json").json().get("total").asLong())
        .isEqualTo(2);
    assertThat(run("stats", "--user", "carol", "--json").json().get("memory_count").asLong())
        .isEqualTo(2);
    assertThat(run("delete", id, "--user", "carol").status()).isZero();
    assertThat(run("history", id, "--user", "carol", "--json").json().get("entries"))
        .extracting(entry -> entry.get("event").asText()).containsExactly("add", "delete");
    Run gone = run("get", id, "--user", "carol");
    assertThat(gone.status()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(gone.errLines()).hasSize(1);
  }

  @Test
  void theServersRefusalsKeepTheirStatuses() {
    Run badPhrase = run("search", "--user", "carol", "--when", "the day the moon froze");
    assertThat(badPhrase.status()).as("%s", badPhrase).isEqualTo(ExitCodes.INVALID);
    assertThat(badPhrase.errLines()).hasSize(1);

    Run wrongKey = cli.run("list", "--user", "carol", "--server", server.baseUrl(),
        "--api-key", "im_not-a-key-of-this-server");
    assertThat(wrongKey.status()).as("%s", wrongKey).isEqualTo(ExitCodes.DENIED);
    assertThat(wrongKey.errLines()).hasSize(1);
    assertThat(wrongKey.err()).startsWith("inmemory: ").doesNotContain("\tat ");

    Run unreachable = cli.run("list", "--user", "carol", "--server", "http://127.0.0.1:1",
        "--api-key", key, "-D" + Inmry.MAX_RETRIES.name() + "=0");
    assertThat(unreachable.status()).as("%s", unreachable).isEqualTo(ExitCodes.FAILURE);
    assertThat(unreachable.errLines()).hasSize(1);
  }

  @Test
  void exportAndImportGoThroughTheServersRoutes() throws Exception {
    String kept = run("add", "Erin restores old clocks", "--user", "erin", "--tag", "craft",
        "--json").json().at("/memory/id").asText();
    String gone = run("add", "Erin lived in Bath", "--user", "erin", "--json").json()
        .at("/memory/id").asText();
    assertThat(run("delete", gone, "--user", "erin").status()).isZero();

    Path file = dir.resolve("erin.jsonl");
    Run exported = run("export", "-o", file.toString(), "--user", "erin", "--no-progress",
        "--json");
    assertThat(exported.status()).as("%s", exported).isZero();
    assertThat(exported.json().get("memories").asInt()).isEqualTo(1);
    assertThat(exported.json().get("deleted").asInt()).isEqualTo(1);

    String local = dir.resolve("erin-local").toString();
    Run imported = cli.run("import", file.toString(), "--dir", local, "--no-progress", "--json");
    assertThat(imported.status()).as("%s", imported).isZero();
    assertThat(imported.json().get("imported").asInt()).isEqualTo(2);
    Run history = cli.run("history", gone, "--user", "erin", "--dir", local, "--json");
    assertThat(history.json().get("entries")).extracting(entry -> entry.get("event").asText())
        .containsExactly("add", "delete");
    assertThat(cli.run("get", kept, "--user", "erin", "--dir", local, "--json").json()
        .at("/tags/0").asText()).isEqualTo("craft");

    Run back = run("import", file.toString(), "--no-progress", "--json");
    assertThat(back.status()).as("%s", back).isZero();
    assertThat(back.json().get("skipped_already_stored").asInt()).isEqualTo(2);
  }
}

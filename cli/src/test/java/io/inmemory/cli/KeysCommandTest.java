package io.inmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.InMemoryConfig;
import io.inmemory.cli.Cli.Run;
import io.inmemory.server.InMemoryServer;
import io.inmemory.store.file.FileStoreSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inmemory keys}: keys made offline on a store authenticate on a server started later on
 * that store (and a key revoked offline does not), and the same commands manage a running
 * server's keys over its key routes.
 */
class KeysCommandTest {
  private final Cli cli = Cli.hashing();

  @TempDir
  Path dir;

  @Test
  void keysMadeOnALocalStoreWorkOnAServerStartedOnItAndTheServersKeysAreManagedRemotely() {
    String store = dir.resolve("data").toString();
    Run made = cli.run("keys", "create", "--project", "team", "--project-name", "The team",
        "--name", "ops", "--scope", "read,write,keys", "--dir", store, "--json");
    assertThat(made.status()).as("%s", made).isZero();
    String secret = made.json().get("key").asText();
    assertThat(secret).startsWith("im_");
    assertThat(made.json().get("scopes")).extracting(JsonNode::asText)
        .containsExactly("read", "write", "keys");
    Run doomed = cli.run("keys", "create", "--project", "team", "--dir", store, "--json");
    String doomedSecret = doomed.json().get("key").asText();
    Run revoked = cli.run("keys", "revoke", doomed.json().get("key_id").asText(), "--dir", store,
        "--json");
    assertThat(revoked.status()).as("%s", revoked).isZero();
    assertThat(revoked.json().get("revoked_at").isNull()).isFalse();
    Run listed = cli.run("keys", "list", "--project", "team", "--dir", store, "--json");
    assertThat(listed.json().get("keys")).hasSize(2);
    Run human = cli.run("keys", "list", "--project", "team", "--dir", store);
    assertThat(human.out()).contains(made.json().get("key_id").asText()).doesNotContain(secret);
    assertThat(cli.run("keys", "list", "--dir", store).status()).isEqualTo(ExitCodes.INVALID);
    assertThat(cli.run("keys", "create", "--project", "team", "--scope", "root", "--dir", store)
        .status()).isEqualTo(ExitCodes.INVALID);
    assertThat(cli.run("keys", "revoke", "key_nope", "--dir", store).status())
        .isEqualTo(ExitCodes.NOT_FOUND);

    try (InMemoryServer server = InMemoryServer.builder().config(InMemoryConfig.builder()
        .isolated().set(InMemoryConfig.STORE.name(), "file")
        .set(InMemoryConfig.EMBEDDER.name(), Cli.HASHING)
        .set(FileStoreSettings.DIR.name(), store).build())
        .port(0).host("127.0.0.1").adminKey("a".repeat(40)).start()) {
      String url = "http://127.0.0.1:" + server.port();
      Run added = remote(url, secret, "add", "Dana runs the night shift", "--user", "dana");
      assertThat(added.status()).as("%s", added).isZero();
      Run refused = remote(url, doomedSecret, "add", "never stored", "--user", "dana");
      assertThat(refused.status()).as("%s", refused).isEqualTo(ExitCodes.DENIED);

      Run second = remote(url, secret, "keys", "create", "--name", "ci", "--scope", "read",
          "--json");
      assertThat(second.status()).as("%s", second).isZero();
      assertThat(second.json().get("project_id").asText()).isEqualTo("team");
      Run all = remote(url, secret, "keys", "list", "--json");
      assertThat(all.json().get("keys")).hasSize(3);
      String ci = second.json().get("key").asText();
      assertThat(remote(url, ci, "list", "--user", "dana").status()).isZero();
      assertThat(remote(url, secret, "keys", "revoke", second.json().get("key_id").asText())
          .status()).isZero();
      assertThat(remote(url, ci, "list", "--user", "dana").status()).isEqualTo(ExitCodes.DENIED);
      Run lacking = remote(url, "im_wrong", "keys", "list");
      assertThat(lacking.status()).as("%s", lacking).isEqualTo(ExitCodes.DENIED);
      assertThat(lacking.errLines()).hasSize(1);
    }
  }

  private Run remote(String url, String key, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--server", url, "--api-key", key, "-Dinmemory.http.max-retries=0"));
    return cli.run(all.toArray(String[]::new));
  }
}

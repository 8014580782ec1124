package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.inmemory.server.TestServer.Answer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar inmemory-server.jar [dev|prod]}: the mode argument and its usage message. */
class CommandLineTest {
  private static final String ADMIN_KEY_LINE = "admin key (shown once, not stored): ";

  @TempDir
  Path dir;

  @Test
  void theOnlyArgumentNamesTheMode() {
    assertThat(InMemoryServer.modeArgument()).isEmpty();
    assertThat(InMemoryServer.modeArgument("dev")).contains(ServerSettings.Mode.DEV);
    assertThat(InMemoryServer.modeArgument("prod")).contains(ServerSettings.Mode.PROD);
  }

  @Test
  void anythingElseIsRefused() {
    for (String[] args : new String[][] {{"test"}, {"DEV"}, {"--help"}, {""}, {"dev", "prod"}}) {
      assertThatIllegalArgumentException().as(String.join(" ", args))
          .isThrownBy(() -> InMemoryServer.modeArgument(args))
          .withMessageContaining(String.join(" ", args));
    }
    assertThat(InMemoryServer.USAGE).contains("[dev|prod]", "INMEMORY_SERVER_MODE");
  }

  @Test
  void anUnknownArgumentPrintsTheUsageAndExitsWithStatus2() throws Exception {
    ChildServer server = new ChildServer(dir, Map.of(), "staging");
    assertThat(server.awaitExit()).isEqualTo(2);
    assertThat(String.join("\n", server.err())).contains("staging", "[dev|prod]");
    assertThat(server.out()).isEmpty();
  }

  /** The argument wins over the environment: prod without an admin key would not start. */
  @Test
  void devStartsOnTheEmbeddedDefaults() throws Exception {
    try (ChildServer server = new ChildServer(dir,
        Map.of("INMEMORY_SERVER_MODE", "prod", "INMEMORY_PORT", "0"), "dev")) {
      int port = server.awaitPort();
      String admin = server.out().stream().filter(line -> line.contains(ADMIN_KEY_LINE))
          .map(line -> line.substring(line.indexOf(ADMIN_KEY_LINE) + ADMIN_KEY_LINE.length()))
          .findFirst().orElseThrow().trim();
      String key = TestServer.send(port, "POST", "/v1/auth/generate-key", admin,
          Map.of("project_name", "cli"), Map.of()).json().get("key").asText();
      Answer added = TestServer.send(port, "POST", "/v1/memories", key,
          Map.of("memory_content", "the dev server keeps this", "user_id", "u"), Map.of());
      assertThat(added.status()).isEqualTo(201);
      assertThat(server.out()).anySatisfy(line -> assertThat(line).contains("(dev mode"));
    }
    // the dev default store: files under ./inmemory-data of the working directory
    assertThat(dir.resolve("inmemory-data")).isDirectoryContaining(Files::isRegularFile);
  }

  /**
   * The README's prod command as written (only the port moved, so the test may run beside other
   * servers): the server bundles several stores, and without a store configured it keeps its
   * data in the file store under ./inmemory-data, as in dev, instead of refusing to choose.
   */
  @Test
  void prodStartsWithTheAdminKeyAloneAndKeepsDataInTheWorkingDirectory() throws Exception {
    try (ChildServer server = new ChildServer(dir,
        Map.of("INMEMORY_ADMIN_KEY", TestServer.ADMIN, "INMEMORY_PORT", "0"), "prod")) {
      int port = server.awaitPort();
      String key = TestServer.send(port, "POST", "/v1/auth/generate-key", TestServer.ADMIN,
          Map.of("project_name", "cli"), Map.of()).json().get("key").asText();
      Answer added = TestServer.send(port, "POST", "/v1/memories", key,
          Map.of("memory_content", "the prod server keeps this", "user_id", "u"), Map.of());
      assertThat(added.status()).isEqualTo(201);
      assertThat(server.out()).anySatisfy(line -> assertThat(line).contains("(prod mode"));
      // the engine says where the data lives (JSON escapes the slashes)
      String data = dir.toRealPath().resolve("inmemory-data").toString().replace("/", "\\/");
      assertThat(server.out())
          .anySatisfy(line -> assertThat(line).contains("file store at " + data));
    }
    assertThat(dir.resolve("inmemory-data")).isDirectoryContaining(Files::isRegularFile);
  }
}

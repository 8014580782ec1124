package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.InMemoryConfig;
import io.inmemory.engine.Memory;
import io.inmemory.engine.tck.HashingEmbedder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable server in a JVM of its own, when it cannot start: one line saying what failed and
 * what to do (a JSON log line in prod, like every other), no stack trace, a non-zero exit status.
 */
class StartupFailureTest {
  private static final Map<String, String> PROD = Map.of("INMEMORY_SERVER_MODE", "prod",
      "INMEMORY_ADMIN_KEY", TestServer.ADMIN, "INMEMORY_PORT", "0");

  @TempDir
  Path dir;
  private Path readOnly;

  @AfterEach
  void makeWritableForCleanUp() throws IOException {
    if (readOnly != null) {
      Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void aPortInUseIsOnePlainLineInDev() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      try (ChildServer server = new ChildServer(dir,
          Map.of("INMEMORY_PORT", String.valueOf(port)), "dev")) {
        String line = failure(server, StartupFailure.ENVIRONMENT);
        assertThat(line).contains("ERROR", "Cannot listen on 127.0.0.1:" + port,
            "INMEMORY_PORT");
      }
    }
  }

  @Test
  void anUnknownHostIsAConfigurationError() throws Exception {
    try (ChildServer server = new ChildServer(dir,
        prod("INMEMORY_HOST", "no-such-host.invalid"))) {
      JsonNode event = jsonFailure(server, StartupFailure.CONFIGURATION);
      assertThat(event.path("formattedMessage").asText())
          .contains("INMEMORY_HOST=no-such-host.invalid is not a known host", "0.0.0.0");
    }
  }

  /** Every invalid setting at once, on one line: before this, plain text on standard error. */
  @Test
  void invalidSettingsAreOneJsonLineInProd() throws Exception {
    try (ChildServer server = new ChildServer(dir, prod("INMEMORY_WORKERS", "3",
        "INMEMORY_RATE_LIMIT_PER_MINUTE", "-1"))) {
      JsonNode event = jsonFailure(server, StartupFailure.CONFIGURATION);
      assertThat(event.path("formattedMessage").asText())
          .contains("inmemory.workers", "inmemory.rate-limit-per-minute");
    }
  }

  @Test
  void aDataDirectoryUnderARegularFile() throws Exception {
    Files.writeString(dir.resolve("file"), "not a directory");
    try (ChildServer server = new ChildServer(dir,
        prod("INMEMORY_STORE_FILE_DIR", dir.resolve("file/data").toString()))) {
      JsonNode event = jsonFailure(server, StartupFailure.ENVIRONMENT);
      assertThat(event.path("formattedMessage").asText()).contains(
          dir.resolve("file") + " is a file, not a directory", "INMEMORY_STORE_FILE_DIR");
    }
  }

  @Test
  void aDataDirectoryThatCannotBeCreated() throws Exception {
    try (ChildServer server = new ChildServer(dir,
        prod("INMEMORY_STORE_FILE_DIR", uncreatable().toString()))) {
      JsonNode event = jsonFailure(server, StartupFailure.ENVIRONMENT);
      assertThat(event.path("formattedMessage").asText())
          .contains(uncreatable() + " cannot be created", "INMEMORY_STORE_FILE_DIR");
    }
  }

  /** H2 printed its own stack trace (twice) before the server's before this was checked. */
  @Test
  void anH2DatabaseInADirectoryThatCannotBeCreated() throws Exception {
    try (ChildServer server = new ChildServer(dir, prod("INMEMORY_STORAGE_TYPE", "h2",
        "INMEMORY_STORE_H2_URL", "jdbc:h2:file:" + uncreatable().resolve("db")))) {
      JsonNode event = jsonFailure(server, StartupFailure.ENVIRONMENT);
      assertThat(event.path("formattedMessage").asText())
          .contains("H2 database's directory " + uncreatable(), "INMEMORY_STORE_H2_URL");
    }
  }

  @Test
  void aStoreOpenInAnotherProcessNamesThatProcess() throws Exception {
    Path data = dir.resolve("data");
    InMemoryConfig config = InMemoryConfig.builder().isolated().set("inmemory.store", "file")
        .set("inmemory.store.file.dir", data.toString()).build();
    try (Memory holder = Memory.builder().config(config).embedder(new HashingEmbedder())
            .build();
        ChildServer server = new ChildServer(dir,
            prod("INMEMORY_STORE_FILE_DIR", data.toString()))) {
      JsonNode event = jsonFailure(server, StartupFailure.ENVIRONMENT);
      assertThat(event.path("formattedMessage").asText()).contains(
          "already open in another process (pid " + ProcessHandle.current().pid() + ")",
          "INMEMORY_STORE_FILE_DIR");
    }
  }

  private static Map<String, String> prod(String... more) {
    Map<String, String> env = new HashMap<>(PROD);
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  /**
   * A directory this process cannot create: beneath a read-only one, or — when permissions do
   * not stop this user (root) — in sysfs, which no user can write.
   */
  private Path uncreatable() throws IOException {
    if (readOnly == null) {
      readOnly = Files.createDirectory(dir.resolve("read-only"));
      Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
    }
    try {
      Files.delete(Files.createDirectory(readOnly.resolve("probe")));
    } catch (AccessDeniedException e) {
      return readOnly.resolve("data");
    }
    assertThat(Path.of("/sys")).as("sysfs, unwritable even for root").isDirectory();
    return Path.of("/sys/inmemory-test/data");
  }

  /**
   * Waits for the server to exit with {@code status} and returns its one failure line: nothing on
   * standard error, no stack trace, exactly one ERROR line.
   */
  private static String failure(ChildServer server, int status) throws InterruptedException {
    assertThat(server.awaitExit()).as("exit status; output %s", server.out()).isEqualTo(status);
    assertThat(server.err()).isEmpty();
    assertThat(server.out()).noneSatisfy(line ->
        assertThat(line).containsAnyOf("\tat ", "Exception in thread", "Caused by"));
    List<String> errors = server.out().stream().filter(line -> line.contains("ERROR")).toList();
    assertThat(errors).singleElement().asString()
        .contains("The InMemory server did not start: ");
    return errors.get(0);
  }

  /** {@link #failure} in prod: every line is a JSON log event; the failure's is returned. */
  private static JsonNode jsonFailure(ChildServer server, int status) throws Exception {
    String line = failure(server, status);
    for (String other : server.out()) {
      assertThat(Json.MAPPER.readTree(other).path("timestamp").isNumber()).as(other).isTrue();
    }
    JsonNode event = Json.MAPPER.readTree(line);
    assertThat(event.path("level").asText()).isEqualTo("ERROR");
    assertThat(event.path("throwable").isNull()).as("no stack trace").isTrue();
    return event;
  }
}

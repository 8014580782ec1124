package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.server.TestServer.Answer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable server in prod mode, in a JVM of its own: it logs JSON lines with request ids and
 * never a key or a memory's content.
 */
class ProdLoggingTest {
  private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");
  private static final String CONTENT = "my secret diary entry 7f3a";

  @TempDir
  Path dir;

  @Test
  void prodLogsJsonLinesWithRequestIdsAndNoSecrets() throws Exception {
    ProcessBuilder builder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), InMemoryServer.class.getName())
        .directory(dir.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("INMEMORY_"));
    env.putAll(Map.of("INMEMORY_SERVER_MODE", "prod", "INMEMORY_ADMIN_KEY", TestServer.ADMIN,
        "INMEMORY_HOST", "127.0.0.1", "INMEMORY_PORT", "0", "INMEMORY_STORAGE_TYPE", "memory",
        "INMEMORY_LOG_LEVEL", "info"));
    Process process = builder.start();
    List<String> out = new CopyOnWriteArrayList<>();
    List<String> err = new CopyOnWriteArrayList<>();
    Thread outReader = drain(process.getInputStream(), out);
    Thread errReader = drain(process.getErrorStream(), err);
    List<String> secrets = new ArrayList<>(List.of(TestServer.ADMIN, CONTENT));
    String requestId;
    try {
      int port = awaitPort(process, out);
      String key = TestServer.send(port, "POST", "/v1/auth/generate-key", TestServer.ADMIN,
          Map.of("project_id", "p1"), Map.of()).json().get("key").asText();
      secrets.add(key);
      secrets.add(key.substring(key.length() - 20));
      Answer added = TestServer.send(port, "POST", "/v1/memories", key,
          Map.of("memory_content", CONTENT, "user_id", "alice"), Map.of());
      assertThat(added.status()).isEqualTo(201);
      requestId = added.header(ApiHandler.REQUEST_ID_HEADER);
      TestServer.send(port, "POST", "/v1/memories/search", key,
          Map.of("query", CONTENT, "user_id", "alice"), Map.of());
      assertThat(TestServer.send(port, "GET", "/v1/users/current", key + "x", null, Map.of())
          .status()).isEqualTo(401);
    } finally {
      process.destroy();
      process.waitFor(60, TimeUnit.SECONDS);
      outReader.join(10_000);
      errReader.join(10_000);
    }
    String[] hidden = secrets.toArray(String[]::new);

    assertThat(out).isNotEmpty();
    List<JsonNode> events = new ArrayList<>();
    for (String line : out) {
      JsonNode event = Json.MAPPER.readTree(line);
      assertThat(event.isObject()).as(line).isTrue();
      assertThat(event.path("timestamp").isNumber()).as(line).isTrue();
      assertThat(event.path("level").asText()).as(line).isNotEmpty();
      assertThat(event.path("loggerName").asText()).as(line).isNotEmpty();
      assertThat(event.has("formattedMessage")).as(line).isTrue();
      events.add(event);
    }
    assertThat(events).anySatisfy(event -> {
      assertThat(event.at("/mdc/request_id").asText()).isEqualTo(requestId);
      assertThat(event.path("formattedMessage").asText()).contains("POST /v1/memories 201");
    });
    assertThat(events).anySatisfy(event -> assertThat(event.path("formattedMessage").asText())
        .contains("POST /v1/memories/search 200"));
    assertThat(String.join("\n", out)).doesNotContain(hidden);
    assertThat(String.join("\n", err)).doesNotContain(hidden);
  }

  private static Thread drain(InputStream stream, List<String> lines) {
    Thread thread = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(
          new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          if (!line.isBlank()) {
            lines.add(line);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, "server-output");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static String message(String line) {
    try {
      return Json.MAPPER.readTree(line).path("formattedMessage").asText();
    } catch (IOException e) {
      return line;
    }
  }

  /** The port the server logs once it listens. */
  private static int awaitPort(Process process, List<String> out) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline && process.isAlive()) {
      for (String line : out) {
        Matcher matcher = LISTENING.matcher(message(line));
        if (matcher.find()) {
          return Integer.parseInt(matcher.group(1));
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the server did not start: " + out);
  }
}

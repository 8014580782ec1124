package io.inmemory.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.InMemoryConfig;
import io.inmemory.Limits;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryClients;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK's stdio transport drops every reply not yet written when input ends; the server must
 * answer the requests it read before it ends. In process, deterministic: the additions are held
 * until input has ended.
 */
class StdioDrainTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path store;

  private MemoryClient engine;
  private final HeldAdds held = new HeldAdds(3);
  private final PipedOutputStream host = new PipedOutputStream();
  private final ByteArrayOutputStream replies = new ByteArrayOutputStream();

  @BeforeEach
  void openEngine() {
    engine = MemoryClients.create(InMemoryConfig.builder()
        .set(InMemoryConfig.MODE, "local").set(InMemoryConfig.STORE, "file").build()
        .withFallbacks(Map.of(McpMain.FILE_STORE_DIR, store.toString())));
  }

  @AfterEach
  void closeEngine() {
    held.release.countDown();
    engine.close();
  }

  @Test
  void repliesStillDueWhenInputEndsAreWrittenBeforeTheServerEnds() throws Exception {
    try (StdioServer server = serve(Duration.ofSeconds(30))) {
      initialize();
      for (int id = 1; id <= 3; id++) {
        send(request(id, "tools/call", Map.of("name", "add_memory", "arguments",
            Map.of("memory_content", "fact " + id, "user_id", "drain"))));
      }
      assertThat(held.entered.await(30, TimeUnit.SECONDS)).isTrue();
      host.close();
      awaitDraining(server);
      held.release.countDown();

      assertThat(server.end().get(30, TimeUnit.SECONDS)).isEmpty();
      List<JsonNode> lines = lines();
      assertThat(lines).extracting(line -> line.path("id").asInt())
          .containsExactlyInAnyOrder(0, 1, 2, 3);
      assertThat(lines.subList(1, 4)).allSatisfy(reply ->
          assertThat(reply.path("result").path("isError").asBoolean()).isFalse());
    }
    assertThat(engine.getAll("drain", 10, 0).items()).hasSize(3);
  }

  @Test
  void aReplyThatNeverComesEndsTheServerAfterTheDrainTimeout() throws Exception {
    try (StdioServer server = serve(Duration.ofMillis(200))) {
      initialize();
      send(request("stuck", "tools/call", Map.of("name", "add_memory", "arguments",
          Map.of("memory_content", "never", "user_id", "drain"))));
      awaitEntered(1);
      host.close();

      assertThat(server.end().get(30, TimeUnit.SECONDS)).isEqualTo(Set.of("\"stuck\""));
      assertThat(lines()).extracting(line -> line.path("id").asText()).containsExactly("0");
    }
  }

  /**
   * The SDK's reader stops for good at a line it cannot read as one message: the server went deaf
   * and never ended. Each such line is answered with JSON-RPC's error, and the session goes on.
   */
  @Test
  void aLineThatIsNotOneMessageIsAnsweredAndTheSessionGoesOn() throws Exception {
    try (StdioServer server = serve(Duration.ofSeconds(30))) {
      initialize();
      for (String line : List.of("not json", "", "[{\"jsonrpc\":\"2.0\",\"id\":7,"
          + "\"method\":\"tools/list\"}]", "null", "{\"jsonrpc\":\"2.0\",\"id\":8}")) {
        host.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
      // not UTF-8: the SDK's reader would have stored U+FFFD in its place
      host.write(("{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"tools/call\",\"params\":{\"name\":"
          + "\"add_memory\",\"arguments\":{\"user_id\":\"after-errors\",\"memory_content\":\"")
          .getBytes(StandardCharsets.UTF_8));
      host.write(new byte[] {(byte) 0xff, (byte) 0xfe, '"', '}', '}', '}', '\n'});
      send(request(9, "tools/call", Map.of("name", "user_stats", "arguments",
          Map.of("user_id", "after-errors"))));
      held.release.countDown();
      host.close();

      assertThat(server.end().get(30, TimeUnit.SECONDS)).isEmpty();
      List<JsonNode> lines = lines();
      // the refusals are written as their lines are read, the replies when computed
      assertThat(lines).extracting(line -> line.path("id").asText() + " "
              + line.path("error").path("code").asInt())
          .containsExactlyInAnyOrder("0 0", "null -32700", "null -32600", "null -32600",
              "8 -32600", "null -32700", "9 0");
      assertThat(lines).filteredOn(line -> line.path("id").asInt() == 9).singleElement()
          .satisfies(reply -> assertThat(reply.path("result").path("isError").asBoolean())
              .isFalse());
      assertThat(lines).anySatisfy(line ->
          assertThat(line.path("error").path("message").asText()).contains("batches"));
      assertThat(lines).anySatisfy(line ->
          assertThat(line.path("error").path("message").asText()).contains("UTF-8"));
    }
    assertThat(engine.getAll("after-errors", 10, 0).items()).isEmpty();
  }

  private StdioServer serve(Duration drainTimeout) throws IOException {
    return new StdioServer(
        new MemoryTools(held.over(engine), Limits.defaults(), JSON, McpSettings.none()),
        JSON,
        new PipedInputStream(host, 1 << 16), replies, drainTimeout);
  }

  private void awaitEntered(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (held.entered.getCount() > 3 - count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(held.entered.getCount()).isEqualTo(3 - count);
  }

  private static void awaitDraining(StdioServer server) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!server.draining() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(server.draining()).isTrue();
  }

  /** The handshake a host opens with; its reply has id 0. */
  private void initialize() throws IOException {
    send(request(0, "initialize", Map.of("protocolVersion", "2025-11-25",
        "capabilities", Map.of(), "clientInfo", Map.of("name", "test", "version", "1"))));
    send(Map.of("jsonrpc", "2.0", "method", "notifications/initialized"));
  }

  private static Map<String, Object> request(Object id, String method,
      Map<String, Object> params) {
    return Map.of("jsonrpc", "2.0", "id", id, "method", method, "params", params);
  }

  private void send(Map<String, Object> message) throws IOException {
    host.write((JSON.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8));
    host.flush();
  }

  private List<JsonNode> lines() throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : replies.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        lines.add(JSON.readTree(line));
      }
    }
    return lines;
  }
}

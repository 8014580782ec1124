package io.inmemory.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.server.TestServer.Answer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable server in prod mode, in a JVM of its own: it logs JSON lines with request ids and
 * never a key or a memory's content.
 */
class ProdLoggingTest {
  private static final String CONTENT = "my secret diary entry 7f3a";

  @TempDir
  Path dir;

  @Test
  void prodLogsJsonLinesWithRequestIdsAndNoSecrets() throws Exception {
    List<String> secrets = new ArrayList<>(List.of(TestServer.ADMIN, CONTENT));
    String requestId;
    ChildServer server = new ChildServer(dir, Map.of("INMEMORY_SERVER_MODE", "prod",
        "INMEMORY_ADMIN_KEY", TestServer.ADMIN, "INMEMORY_HOST", "127.0.0.1", "INMEMORY_PORT",
        "0", "INMEMORY_STORAGE_TYPE", "memory", "INMEMORY_LOG_LEVEL", "info"));
    try (server) {
      int port = server.awaitPort();
      String key = TestServer.newKey(port, "p1");
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
    }
    String[] hidden = secrets.toArray(String[]::new);
    List<String> out = server.out();

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
    assertThat(String.join("\n", server.err())).doesNotContain(hidden);
  }

  /**
   * Requests the HTTP parser refuses (malformed Host headers among them) are one line each, like
   * every request, and quote none of the client's bytes: Jetty's own warnings, which quote the
   * header, would let anyone fill the log.
   */
  @Test
  void requestsRefusedByTheParserAreOneLineEachQuotingNothing() throws Exception {
    String marker = "zq7marker";
    List<String> refused = List.of(
        "GET /v1/ping HTTP/1.1\r\nHost: [" + marker + "\r\n\r\n",
        "GET /v1/ping HTTP/1.1\r\nHost: a " + marker + ":99999\r\n\r\n",
        "GET /v1/ping HTTP/1.1\r\nHost: x\r\nHost: " + marker + "\r\n\r\n",
        "GET /v1/ping HTTP/1.1\r\nHost: x\r\nX-" + marker + " : y\r\n\r\n");
    ChildServer server = new ChildServer(dir, Map.of("INMEMORY_SERVER_MODE", "prod",
        "INMEMORY_ADMIN_KEY", TestServer.ADMIN, "INMEMORY_HOST", "127.0.0.1", "INMEMORY_PORT",
        "0", "INMEMORY_LOG_LEVEL", "info"));
    try (server) {
      int port = server.awaitPort();
      for (String request : refused) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
          OutputStream out = socket.getOutputStream();
          out.write(request.getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
          InputStream in = socket.getInputStream();
          assertThat(RawHttp.readOne(in).status()).as(request).isEqualTo(400);
        }
      }
      assertThat(TestServer.send(port, "GET", "/v1/ping", null, null, Map.of()).status())
          .isEqualTo(200);
    }
    String all = String.join("\n", server.out()) + String.join("\n", server.err());
    assertThat(all).doesNotContain(marker).doesNotContain("\"WARN\"");
    assertThat(server.out().stream().filter(line -> line.contains("refused by the HTTP parser")))
        .hasSize(refused.size());
  }
}

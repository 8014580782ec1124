package io.inmemory.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.ConfigurationException;
import io.inmemory.InMemoryConfig;
import io.inmemory.Limits;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryClients;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HttpServer#local} on a loopback port, driven by the SDK's streamable HTTP client: the
 * tools of {@link McpToolsContract}, then who may call (origins, hosts, the static key of a
 * non-loopback interface) and the stop. One engine for the class.
 */
class HttpLocalTest extends McpToolsContract {
  private static final String ALLOWED_ORIGIN = "http://app.example";
  private static final String KEY = "local-static-key-0123456789abcdef-xyz";

  @TempDir
  static Path store;

  private static MemoryClient engine;
  private static HttpServer server;
  private static McpSyncClient client;

  @BeforeAll
  static void start() {
    engine = MemoryClients.create(InMemoryConfig.builder()
        .set(InMemoryConfig.MODE, "local").set(InMemoryConfig.STORE, "file").build()
        .withFallbacks(Map.of(McpMain.FILE_STORE_DIR, store.toString())));
    server = HttpServer.local(engine, Limits.defaults(), JSON,
        settings(Map.of(McpSettings.ALLOWED_ORIGINS.name(), ALLOWED_ORIGIN)));
    client = McpHttp.client(server.endpoint(), null);
    client.initialize();
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.closeGracefully();
    }
    if (server != null) {
      server.close();
    }
    if (engine != null) {
      engine.close();
    }
  }

  @Override
  McpSyncClient client() {
    return client;
  }

  /** HTTP settings on a free loopback port, with {@code values} on top. */
  static McpSettings settings(Map<String, String> values) {
    InMemoryConfig.Builder config = InMemoryConfig.builder().isolated()
        .set(McpSettings.TRANSPORT.name(), "http").set(McpSettings.PORT.name(), "0");
    values.forEach(config::set);
    return McpSettings.from(config.build());
  }

  @Test
  void aRequestFromAForeignOriginIsRefused403AndAnAllowedOneServed() throws Exception {
    HttpResponse<String> foreign = McpHttp.initialize(server.endpoint(),
        Map.of("Origin", "http://evil.example"));
    HttpResponse<String> allowed = McpHttp.initialize(server.endpoint(),
        Map.of("Origin", ALLOWED_ORIGIN));

    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
  }

  /**
   * The SDK's transport answered a body it cannot read (or an unknown session) with its error
   * object written as a Java bean: the stack trace, frame by frame, to the caller.
   */
  @Test
  void aBodyThatIsNotOneMessageIsAnsweredWithAJsonRpcErrorAndNoStackTrace() throws Exception {
    for (String body : List.of("not json", "[" + McpHttp.INITIALIZE + "]", "")) {
      HttpResponse<String> reply = McpHttp.post(server.endpoint(), Map.of(), body);

      assertThat(reply.statusCode()).as(body).isEqualTo(400);
      assertThat(reply.body()).as(body).doesNotContain("stackTrace", "McpError");
      JsonNode error = JSON.readTree(reply.body());
      assertThat(error.path("jsonrpc").asText()).isEqualTo("2.0");
      assertThat(error.path("error").path("message").asText()).as(body).isNotBlank();
    }
    HttpResponse<String> unknown = McpHttp.post(server.endpoint(),
        Map.of("Mcp-Session-Id", "no-such-session"),
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).doesNotContain("stackTrace");
    assertThat(JSON.readTree(unknown.body()).path("error").path("message").asText())
        .isNotBlank();
  }

  @Test
  void aRequestNamingAnotherHostIsRefusedAsDnsRebindingWouldSendIt() throws Exception {
    assertThat(status(server.port(), "rebound.example:" + server.port())).isEqualTo(421);
    assertThat(status(server.port(), "localhost:" + server.port())).isEqualTo(200);
  }

  @Test
  void concurrentCallsOfSeveralSessionsAreEachAnsweredAndStored() throws Exception {
    McpSyncClient second = McpHttp.client(server.endpoint(), null);
    try {
      second.initialize();
      List<CompletableFuture<CallToolResult>> calls = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        McpSyncClient host = i % 2 == 0 ? client : second;
        String fact = "parallel fact " + i;
        calls.add(CompletableFuture.supplyAsync(() -> host.callTool(new CallToolRequest(
            "add_memory", Map.of("memory_content", fact, "user_id", "parallel-http")))));
      }
      for (CompletableFuture<CallToolResult> call : calls) {
        CallToolResult result = call.get(60, TimeUnit.SECONDS);
        assertThat(result.isError()).as(text(result)).isFalse();
      }
    } finally {
      second.closeGracefully();
    }
    assertThat(engine.getAll("parallel-http", 20, 0).items()).extracting(m -> m.content())
        .hasSize(12).doesNotHaveDuplicates();
  }

  @Test
  void aBodyThatIsNotJsonRpcIsA400AndTheServerServesOn() throws Exception {
    HttpResponse<String> garbage = McpHttp.post(server.endpoint(), Map.of(), "{not json");

    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(garbage.body()).contains("Invalid message format");
    assertThat(client.listTools().tools()).hasSize(8);
  }

  @Test
  void aNonLoopbackInterfaceWithoutAKeyIsRefusedAtStartUp() {
    assertThatThrownBy(() -> HttpServer.local(engine, Limits.defaults(), JSON,
        settings(Map.of(McpSettings.HOST.name(), "0.0.0.0"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("inmemory.mcp.host: '0.0.0.0' is not a loopback address")
        .hasMessageContaining("set inmemory.mcp.api-key")
        .hasMessageContaining("inmemory.mode=managed");
  }

  @Test
  void aPortInUseIsRefusedNamingTheAddressAndTheEngineServesOn() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> HttpServer.local(engine, Limits.defaults(), JSON, settings(Map.of(
          McpSettings.PORT.name(), String.valueOf(taken.getLocalPort())))))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageStartingWith("cannot serve MCP on 127.0.0.1:" + taken.getLocalPort());
    }
    assertThat(client.listTools().tools()).hasSize(8);
  }

  @Test
  void aStaticKeyOpensANonLoopbackInterfaceToCallersSendingIt() throws Exception {
    try (HttpServer keyed = HttpServer.local(engine, Limits.defaults(), JSON, settings(Map.of(
        McpSettings.HOST.name(), "0.0.0.0", McpSettings.API_KEY.name(), KEY)))) {
      URI endpoint = URI.create("http://127.0.0.1:" + keyed.port() + "/mcp");

      HttpResponse<String> none = McpHttp.initialize(endpoint, Map.of());
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue(HttpGate.CHALLENGE);
      HttpResponse<String> wrong = McpHttp.initialize(endpoint,
          Map.of("Authorization", "Bearer " + KEY.replace('x', 'y')));
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(wrong.body()).contains("invalid API key");

      McpSyncClient keyless = McpHttp.client(endpoint, null);
      McpHttp.assertRefusedAuthorization(keyless::initialize);
      keyless.close();
      McpSyncClient keyHolder = McpHttp.client(endpoint, KEY);
      try {
        keyHolder.initialize();
        CallToolResult added = keyHolder.callTool(new CallToolRequest("add_memory",
            Map.of("memory_content", "Keyed Kim likes rye bread", "user_id", "kim-http")));
        assertThat(added.isError()).as(text(added)).isFalse();
      } finally {
        keyHolder.closeGracefully();
      }
    }
    assertThat(engine.getAll("kim-http", 10, 0).items()).hasSize(1);
  }

  @Test
  void aStopWritesTheRepliesStillDueAndRefusesNewRequests() throws Exception {
    HeldAdds held = new HeldAdds(1);
    HttpServer stopping = HttpServer.local(held.over(engine), Limits.defaults(), JSON,
        settings(Map.of()));
    McpSyncClient host = McpHttp.client(stopping.endpoint(), null);
    try {
      host.initialize();
      CompletableFuture<CallToolResult> call = CompletableFuture.supplyAsync(() ->
          host.callTool(new CallToolRequest("add_memory", Map.of("memory_content",
              "Stella stops last", "user_id", "stella-http"))));
      assertThat(held.entered.await(30, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Void> stop = CompletableFuture.runAsync(stopping::close);
      awaitRefused(stopping.endpoint());
      assertThat(stop).isNotDone();

      held.release.countDown();

      CallToolResult result = call.get(30, TimeUnit.SECONDS);
      assertThat(result.isError()).as(text(result)).isFalse();
      stop.get(30, TimeUnit.SECONDS);
    } finally {
      held.release.countDown();
      host.close();
      stopping.close();
    }
    assertThat(engine.getAll("stella-http", 10, 0).items()).hasSize(1);
  }

  /** Waits until the server answers new requests 503, as it does once it is stopping. */
  private static void awaitRefused(URI endpoint) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    int status = 0;
    while (status != 503 && System.nanoTime() < deadline) {
      status = McpHttp.initialize(endpoint, Map.of()).statusCode();
    }
    assertThat(status).isEqualTo(503);
  }

  /**
   * The status of an initialize sent with {@code host} as its {@code Host} header (which
   * java.net.http does not let a caller set).
   */
  private static int status(int port, String host) throws Exception {
    byte[] body = McpHttp.INITIALIZE.getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /mcp HTTP/1.1\r\nHost: " + host + "\r\n"
          + "Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
          + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(),
          StandardCharsets.US_ASCII)).readLine();
      return Integer.parseInt(statusLine.split(" ")[1]);
    }
  }
}

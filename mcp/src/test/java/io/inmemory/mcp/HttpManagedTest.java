package io.inmemory.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.InMemoryConfig;
import io.inmemory.Limits;
import io.inmemory.MemoryClients;
import io.inmemory.engine.Memory;
import io.inmemory.server.LoopbackServer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link McpMain} with {@code inmemory.mode=managed} and {@code inmemory.mcp.transport=http}, in
 * a JVM of its own, in front of a real InMemory server on a loopback port (ONNX embeddings, file
 * store): every request needs an API key of that server, and each caller's tool calls run with
 * its own key, so a caller reaches only its project.
 */
class HttpManagedTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;

  private static Memory engine;
  private static LoopbackServer inmemory;
  private static Process child;
  private static URI endpoint;

  @BeforeAll
  static void start() throws Exception {
    engine = Memory.builder().config(InMemoryConfig.builder().isolated()
        .set(InMemoryConfig.STORE.name(), "file")
        .set(McpMain.FILE_STORE_DIR, dir.resolve("store").toString()).build()).build();
    inmemory = LoopbackServer.start(engine);
    ProcessBuilder builder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dinmemory.mode=managed", "-Dinmemory.base-url=" + inmemory.baseUrl(),
        "-Dinmemory.mcp.transport=http", "-Dinmemory.mcp.port=0",
        "-cp", System.getProperty("java.class.path"), McpMain.class.getName())
        .redirectError(dir.resolve("stderr").toFile());
    // no key of the environment may reach the child: callers bring theirs
    builder.environment().keySet().removeIf(name -> name.startsWith("INMEM"));
    child = builder.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).as("stderr: %s", stderr()).startsWith(McpMain.LISTENING);
    endpoint = URI.create(line.substring(McpMain.LISTENING.length()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (child != null) {
      child.destroy();
      child.waitFor(30, TimeUnit.SECONDS);
    }
    if (inmemory != null) {
      inmemory.close();
    }
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void aRequestWithoutAKeyOrWithAKeyTheServerDoesNotKnowIsRefused401() throws Exception {
    HttpResponse<String> none = McpHttp.initialize(endpoint, Map.of());
    HttpResponse<String> unknown = McpHttp.initialize(endpoint,
        Map.of("Authorization", "Bearer im_not_a_key_of_this_server"));
    HttpResponse<String> notBearer = McpHttp.initialize(endpoint,
        Map.of("Authorization", "Basic dXNlcjpwYXNz"));

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue(HttpGate.CHALLENGE);
    assertThat(JSON.readTree(none.body()).path("error").asText()).isEqualTo("unauthenticated");
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(unknown.headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("error=\"invalid_token\"");
    assertThat(notBearer.statusCode()).isEqualTo(401);
    assertThat(McpHttp.initialize(endpoint, Map.of("Authorization", "Bearer " + "k".repeat(600)))
        .statusCode()).isEqualTo(401);
    assertThat(McpHttp.initialize(endpoint, Map.of("Authorization", "Bearer two words"))
        .statusCode()).isEqualTo(401);
    McpSyncClient keyless = McpHttp.client(endpoint, null);
    McpHttp.assertRefusedAuthorization(keyless::initialize);
    keyless.close();
  }

  @Test
  void eachCallerReachesOnlyTheProjectOfItsOwnKey() throws Exception {
    McpSyncClient alpha = McpHttp.client(endpoint, inmemory.newProjectKey("mcp-alpha"));
    McpSyncClient beta = McpHttp.client(endpoint, inmemory.newProjectKey("mcp-beta"));
    try {
      alpha.initialize();
      beta.initialize();
      assertThat(alpha.listTools().tools()).hasSize(8);
      ok(alpha.callTool(new CallToolRequest("add_memory", Map.of("memory_content",
          "Uma drinks green tea every morning", "user_id", "uma"))));
      ok(beta.callTool(new CallToolRequest("add_memory", Map.of("memory_content",
          "Uma's bicycle is blue", "user_id", "uma"))));

      JsonNode alphaFinds = ok(alpha.callTool(search("what does uma drink?")));
      JsonNode betaFinds = ok(beta.callTool(search("what does uma drink?")));

      assertThat(alphaFinds.path("hits")).extracting(hit ->
          hit.path("memory").path("memory_content").asText())
          .containsExactly("Uma drinks green tea every morning");
      assertThat(betaFinds.path("hits")).extracting(hit ->
          hit.path("memory").path("memory_content").asText())
          .containsExactly("Uma's bicycle is blue");
      assertThat(ok(beta.callTool(new CallToolRequest("user_stats", Map.of("user_id", "uma"))))
          .path("memory_count").asInt()).isEqualTo(1);
    } finally {
      alpha.closeGracefully();
      beta.closeGracefully();
    }
  }

  /**
   * A session belongs to the key that opened it: another key naming it is answered 404 (neither
   * its messages, its event stream nor its end), and the owner's session goes on.
   */
  @Test
  void anotherCallersSessionIsNotFoundAndStaysItsOwners() throws Exception {
    String owner = inmemory.newProjectKey("mcp-owner");
    String intruder = inmemory.newProjectKey("mcp-intruder");
    HttpResponse<String> opened = McpHttp.initialize(endpoint,
        Map.of("Authorization", "Bearer " + owner));
    String session = opened.headers().firstValue("Mcp-Session-Id").orElseThrow();
    Map<String, String> asOwner = Map.of("Authorization", "Bearer " + owner,
        "Mcp-Session-Id", session);
    Map<String, String> asIntruder = Map.of("Authorization", "Bearer " + intruder,
        "Mcp-Session-Id", session);
    McpHttp.post(endpoint, asOwner,
        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
    String addOlga = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\","
        + "\"params\":{\"name\":\"add_memory\",\"arguments\":{"
        + "\"memory_content\":\"Olga's door code is 4711\",\"user_id\":\"olga\"}}}";

    HttpResponse<String> posted = McpHttp.post(endpoint, asIntruder, addOlga);
    HttpResponse<Void> ended = HttpClient.newHttpClient().send(withHeaders(HttpRequest
        .newBuilder(endpoint).DELETE(), asIntruder).build(), HttpResponse.BodyHandlers.discarding());

    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(404);
    assertThat(posted.body()).contains("initialize a session of your own");
    assertThat(ended.statusCode()).isEqualTo(404);
    // the owner's session lives on and acts with the owner's key
    JsonNode added = McpHttp.event(McpHttp.post(endpoint, asOwner, addOlga));
    assertThat(added.path("result").path("isError").asBoolean()).as(added.toString()).isFalse();
    McpSyncClient ownerHost = McpHttp.client(endpoint, owner);
    McpSyncClient intruderHost = McpHttp.client(endpoint, intruder);
    try {
      ownerHost.initialize();
      intruderHost.initialize();
      Map<String, Object> olga = Map.of("user_id", "olga");
      assertThat(ok(ownerHost.callTool(new CallToolRequest("list_memories", olga)))
          .path("items")).hasSize(1);
      assertThat(ok(intruderHost.callTool(new CallToolRequest("list_memories", olga)))
          .path("items")).isEmpty();
    } finally {
      ownerHost.closeGracefully();
      intruderHost.closeGracefully();
    }
  }

  private static HttpRequest.Builder withHeaders(HttpRequest.Builder request,
      Map<String, String> headers) {
    headers.forEach(request::header);
    return request;
  }

  @Test
  void aKeyRevokedDuringASessionWritesNothingAndItsNextRequestIsRefused() throws Exception {
    String key = inmemory.newProjectKey("mcp-revoked");
    McpSyncClient host = McpHttp.client(endpoint, key);
    try {
      host.initialize();
      ok(host.callTool(new CallToolRequest("add_memory", Map.of("memory_content",
          "Rita keeps bees", "user_id", "rita"))));
      revoke(key);

      CallToolResult refused = host.callTool(new CallToolRequest("add_memory", Map.of(
          "memory_content", "Rita sold the hives", "user_id", "rita")));

      assertThat(refused.isError()).isTrue();
      assertThat(text(refused)).startsWith("Unauthenticated: ").contains("revoked");
      McpHttp.assertRefusedAuthorization(() -> host.callTool(search("bees")));
    } finally {
      host.close();
    }
    String other = inmemory.newProjectKey("mcp-revoked");
    McpSyncClient witness = McpHttp.client(endpoint, other);
    try {
      witness.initialize();
      assertThat(ok(witness.callTool(new CallToolRequest("list_memories",
          Map.of("user_id", "rita")))).path("items")).extracting(item ->
          item.path("memory_content").asText()).containsExactly("Rita keeps bees");
    } finally {
      witness.closeGracefully();
    }
  }

  @Test
  void anInMemoryServerThatCannotBeReachedIsA503NotAnOpenDoor() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    McpSettings settings = McpSettings.from(InMemoryConfig.builder().isolated()
        .set(McpSettings.TRANSPORT.name(), "http").set(McpSettings.PORT.name(), "0").build());
    try (HttpServer unreachable = HttpServer.managed(key -> MemoryClients.create(
            InMemoryConfig.builder().isolated().set("inmemory.mode", "managed")
                .set("inmemory.base-url", "http://127.0.0.1:" + closedPort)
                .set("inmemory.http.max-retries", "0").set(InMemoryConfig.API_KEY, key).build()),
        Limits.defaults(), JSON, settings)) {
      HttpResponse<String> answer = McpHttp.initialize(unreachable.endpoint(),
          Map.of("Authorization", "Bearer im_some_key"));

      assertThat(answer.statusCode()).isEqualTo(503);
      assertThat(JSON.readTree(answer.body()).path("message").asText())
          .startsWith("the API key cannot be checked now: ");
    }
  }

  private static CallToolRequest search(String query) {
    return new CallToolRequest("search_memories", Map.of("query", query, "user_id", "uma",
        "limit", 1));
  }

  /** Revokes {@code key} with itself, as the REST API lets a key do. */
  private static void revoke(String key) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> current = http.send(HttpRequest.newBuilder(
            URI.create(inmemory.baseUrl() + "/v1/users/current"))
        .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
    String keyId = JSON.readTree(current.body()).path("key_id").asText();
    HttpResponse<String> revoked = http.send(HttpRequest.newBuilder(
            URI.create(inmemory.baseUrl() + "/v1/auth/revoke-key?key_id=" + keyId))
        .header("Authorization", "Bearer " + key).DELETE().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
  }

  private static JsonNode ok(CallToolResult result) throws Exception {
    assertThat(result.isError()).as("%s (stderr: %s)", text(result), stderr()).isFalse();
    return JSON.readTree(text(result));
  }

  private static String text(CallToolResult result) {
    return ((TextContent) result.content().get(0)).text();
  }

  private static String stderr() {
    try {
      return Files.readString(dir.resolve("stderr"));
    } catch (Exception e) {
      return "(unreadable: " + e + ")";
    }
  }
}

package io.inmemory.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.InMemoryConfig;
import io.inmemory.engine.Memory;
import io.inmemory.engine.VolatileStoreProvider;
import io.inmemory.engine.spi.Embedder;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.tck.HashingEmbedder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** A real server on a free loopback port over a volatile engine, and an HTTP client for it. */
final class TestServer implements AutoCloseable {
  static final String ADMIN = "admin-key-for-tests-0123456789abcdef";
  static final long MAX_MEMORY_SIZE = 2000;

  final Memory memory;
  final InMemoryServer server;
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  TestServer() {
    this(config -> { }, volatileStore(), new HashingEmbedder());
  }

  TestServer(Consumer<InMemoryConfig.Builder> settings) {
    this(settings, volatileStore(), new HashingEmbedder());
  }

  TestServer(Consumer<InMemoryConfig.Builder> settings, MemoryStore store, Embedder embedder) {
    this(settings, store, embedder, MAX_MEMORY_SIZE);
  }

  /** With contents of up to {@code maxMemorySize} bytes. */
  TestServer(Consumer<InMemoryConfig.Builder> settings, MemoryStore store, Embedder embedder,
      long maxMemorySize) {
    InMemoryConfig.Builder config = InMemoryConfig.builder().isolated();
    settings.accept(config);
    InMemoryConfig built = config.build();
    memory = Memory.builder().config(built).store(store).embedder(embedder)
        .maxMemorySize(maxMemorySize).build();
    server = InMemoryServer.builder().config(built).memory(memory).port(0).adminKey(ADMIN)
        .usageFlushInterval(Duration.ofHours(1)).start();
  }

  /** The admission control of a server with the default settings. */
  static Admission admission() {
    return Admission.of(ServerSettings.from(InMemoryConfig.builder().isolated().build()));
  }

  static MemoryStore volatileStore() {
    return new VolatileStoreProvider().open(InMemoryConfig.builder().isolated().build());
  }

  /** An HTTP answer with its body parsed as JSON (null when empty or not JSON). */
  record Answer(int status, HttpResponse<String> response, JsonNode json) {
    String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }

    String problemType() {
      return json.path("type").asText();
    }

    /** The whole answer, for a failing assertion to show what came back. */
    String describe() {
      return response.request().method() + " " + response.request().uri() + " -> " + status + " "
          + response.headers().map() + " " + response.body();
    }
  }

  Answer send(String method, String path, String key, Object body) {
    return send(method, path, key, body, Map.of());
  }

  Answer send(String method, String path, String key, Object body, Map<String, String> headers) {
    return send(server.port(), method, path, key, body, headers);
  }

  /** A request to any server on loopback. */
  static Answer send(int port, String method, String path, String key, Object body,
      Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    headers.forEach(request::header);
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      String text = body instanceof String string ? string : new String(Json.write(body),
          java.nio.charset.StandardCharsets.UTF_8);
      if (!headers.containsKey("Content-Type")) {
        request.header("Content-Type", "application/json");
      }
      request.method(method, HttpRequest.BodyPublishers.ofString(text));
    }
    try {
      HttpResponse<String> response = HTTP.send(request.build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode json = null;
      String type = response.headers().firstValue("Content-Type").orElse("");
      if (type.contains("json") && !type.contains("ndjson") && !response.body().isEmpty()) {
        json = Json.MAPPER.readTree(response.body());
      }
      return new Answer(response.statusCode(), response, json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Answer get(String path, String key) {
    return send("GET", path, key, null);
  }

  Answer post(String path, String key, Object body) {
    return send("POST", path, key, body);
  }

  /** A new key (read, write and keys scopes unless given) in a project, created by the admin. */
  String newKey(String project, String... scopes) {
    return newKey(server.port(), project,
        scopes.length == 0 ? new String[] {"read", "write", "keys"} : scopes);
  }

  /**
   * A new key in {@code project} of any server on loopback, created by {@link #ADMIN}; with the
   * server's default scopes unless given. Fails unless the key is created.
   */
  static String newKey(int port, String project, String... scopes) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("project_id", project);
    if (scopes.length > 0) {
      body.put("scopes", List.of(scopes));
    }
    Answer answer = send(port, "POST", "/v1/auth/generate-key", ADMIN, body, Map.of());
    if (answer.status() != 201) {
      throw new AssertionError("generate-key failed: " + answer.response().body());
    }
    return answer.json().get("key").asText();
  }

  /** Adds a memory and returns its id. */
  String add(String key, String userId, String content, Map<String, Object> more) {
    Map<String, Object> body = new LinkedHashMap<>(more);
    body.put("memory_content", content);
    body.put("user_id", userId);
    Answer answer = post("/v1/memories", key, body);
    if (answer.status() != 201) {
      throw new AssertionError("add failed: " + answer.response().body());
    }
    return answer.json().path("memory").path("id").asText();
  }

  @Override
  public void close() {
    server.close();
    memory.close();
  }
}

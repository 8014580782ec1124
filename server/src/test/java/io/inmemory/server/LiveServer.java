package io.inmemory.server;

import io.inmemory.InMemoryConfig;
import io.inmemory.MemoryClient;
import io.inmemory.engine.Memory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;

/**
 * One server over the real default engine (ONNX embedder, volatile store) shared by the contract
 * suites of this module, started on first use and stopped when the JVM exits.
 */
final class LiveServer {
  private static InMemoryServer server;
  private static String key;

  private LiveServer() {}

  /** A new client of the shared server, with a key of the shared project. */
  static synchronized MemoryClient client() {
    if (server == null) {
      Memory memory = new Memory(InMemoryConfig.builder().isolated()
          .set(InMemoryConfig.STORE.name(), "memory").build());
      server = InMemoryServer.builder().config(InMemoryConfig.builder().isolated()
              .set(InMemoryServer.RATE_LIMIT_PER_MINUTE.name(), "0").build())
          .memory(memory).port(0).adminKey(TestServer.ADMIN).start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        server.close();
        memory.close();
      }));
      key = newKey(server.port());
    }
    return new HttpMemoryClient(server.port(), key);
  }

  private static String newKey(int port) {
    HttpRequest request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/v1/auth/generate-key"))
        .header("Authorization", "Bearer " + TestServer.ADMIN)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"project_id\": \"tck\"}"))
        .build();
    try {
      String body = HttpClient.newHttpClient().send(request, BodyHandlers.ofString()).body();
      return Json.MAPPER.readTree(body).get("key").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

package io.inmemory.server;

import io.inmemory.InMemoryConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A container health check that needs no tool besides the JRE: asks {@code GET /v1/ping} of the
 * server on loopback at {@link ServerSettings#PORT} and exits 0 when it answers 200, else 1 (see
 * the Dockerfile's {@code HEALTHCHECK}). Stateless.
 */
public final class HealthProbe {
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private HealthProbe() {}

  /** Exits 0 when the server configured by the environment answers its ping, 1 otherwise. */
  public static void main(String[] args) {
    System.exit(ping(InMemoryConfig.load().get(ServerSettings.PORT)) ? 0 : 1);
  }

  /** Whether a server on loopback at {@code port} answers {@code GET /v1/ping} with 200. */
  static boolean ping(int port) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    HttpRequest request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/v1/ping")).timeout(TIMEOUT).GET().build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}

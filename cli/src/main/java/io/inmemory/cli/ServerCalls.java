package io.inmemory.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.AuthenticationException;
import io.inmemory.InMemoryConfig;
import io.inmemory.TransportException;
import io.inmemory.transport.http.Inmry;
import io.inmemory.wire.ProblemJson;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * JSON calls to the routes of a server that the managed client does not offer, because
 * applications never use them (keys, webhooks): the configured base URL, API key and timeouts;
 * the server's refusals become the API's exceptions, as the managed client's do. Not thread-safe.
 */
final class ServerCalls {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final URI base;
  private final String apiKey;
  private final Duration timeout;
  private final HttpClient http;

  ServerCalls(InMemoryConfig config) {
    this.base = config.get(Inmry.BASE_URL);
    this.apiKey = config.find(InMemoryConfig.API_KEY).orElseThrow(() -> new AuthenticationException(
        "No API key: give --api-key or set INMEM_API_KEY"));
    this.timeout = config.get(Inmry.REQUEST_TIMEOUT);
    this.http = HttpClient.newBuilder().connectTimeout(config.get(Inmry.CONNECT_TIMEOUT)).build();
  }

  /** {@code GET path} (with its query), the answer's JSON. */
  JsonNode get(String path) {
    return send(request(path).GET());
  }

  /** {@code DELETE path}, the answer's JSON. */
  JsonNode delete(String path) {
    return send(request(path).DELETE());
  }

  /** {@code method path} with {@code body} as JSON (none when null), the answer's JSON. */
  JsonNode send(String method, String path, @Nullable Map<String, Object> body) {
    HttpRequest.Builder request = request(path);
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.method(method, HttpRequest.BodyPublishers.ofString(Json.write(body)))
          .header("Content-Type", "application/json");
    }
    return send(request);
  }

  /** {@code value} encoded for a URL's query. */
  static String query(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** A JSON object as a map, for printing with {@code --json}. */
  static Map<String, Object> document(JsonNode node) {
    return MAPPER.convertValue(node, new TypeReference<Map<String, Object>>() {});
  }

  /** A JSON array of objects as maps. */
  static List<Map<String, Object>> documents(JsonNode node) {
    return MAPPER.convertValue(node, new TypeReference<List<Map<String, Object>>>() {});
  }

  private HttpRequest.Builder request(String path) {
    String root = base.toString().replaceAll("/+$", "");
    return HttpRequest.newBuilder(URI.create(root + path)).timeout(timeout)
        .header("Authorization", "Bearer " + apiKey).header("Accept", "application/json");
  }

  private JsonNode send(HttpRequest.Builder request) {
    HttpResponse<String> answer;
    try {
      answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new TransportException("The server at " + base + " cannot be reached: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransportException("Interrupted while calling " + base, e);
    }
    JsonNode body;
    try {
      body = answer.body().isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(answer.body());
    } catch (IOException e) {
      throw new TransportException("The server at " + base + " answered HTTP "
          + answer.statusCode() + " with a body that is not JSON", e);
    }
    if (answer.statusCode() >= 400) {
      throw ProblemJson.toException(answer.statusCode(), body,
          answer.headers().firstValue("Retry-After").flatMap(ServerCalls::seconds));
    }
    return body;
  }

  private static Optional<Duration> seconds(String header) {
    try {
      return Optional.of(Duration.ofSeconds(Long.parseLong(header.trim())));
    } catch (NumberFormatException httpDate) {
      return Optional.empty();
    }
  }
}

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
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A server's keys, over its key routes ({@code POST /v1/auth/generate-key}, {@code GET
 * /v1/auth/keys}, {@code DELETE /v1/auth/revoke-key}) with the configured base URL and API key;
 * the server's refusals become the API's exceptions, as the managed client's do. The managed
 * client does not offer these routes: applications never manage keys. Not thread-safe.
 */
final class RemoteKeyRing implements KeyRing {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final URI base;
  private final String apiKey;
  private final Duration timeout;
  private final HttpClient http;

  RemoteKeyRing(InMemoryConfig config) {
    this.base = config.get(Inmry.BASE_URL);
    this.apiKey = config.find(InMemoryConfig.API_KEY).orElseThrow(() -> new AuthenticationException(
        "No API key: give --api-key or set INMEM_API_KEY"));
    this.timeout = config.get(Inmry.REQUEST_TIMEOUT);
    this.http = HttpClient.newBuilder().connectTimeout(config.get(Inmry.CONNECT_TIMEOUT)).build();
  }

  @Override
  public Map<String, Object> create(@Nullable String project, @Nullable String projectName,
      @Nullable String name, @Nullable List<String> scopes, @Nullable Instant expiresAt) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("project_id", project);
    body.put("project_name", projectName);
    body.put("name", name);
    body.put("scopes", scopes);
    body.put("expires_at", expiresAt == null ? null : expiresAt.toString());
    body.values().removeIf(value -> value == null);
    return document(send(request("/v1/auth/generate-key")
        .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
        .header("Content-Type", "application/json")));
  }

  @Override
  public List<Map<String, Object>> list(@Nullable String project) {
    JsonNode keys = send(request("/v1/auth/keys"
        + (project == null ? "" : "?project_id=" + query(project))).GET()).path("keys");
    return MAPPER.convertValue(keys, new TypeReference<List<Map<String, Object>>>() {});
  }

  @Override
  public Map<String, Object> revoke(String keyId) {
    return document(send(request("/v1/auth/revoke-key?key_id=" + query(keyId)).DELETE()));
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
      body = MAPPER.readTree(answer.body());
    } catch (IOException e) {
      throw new TransportException("The server at " + base + " answered HTTP "
          + answer.statusCode() + " with a body that is not JSON", e);
    }
    if (answer.statusCode() >= 400) {
      throw ProblemJson.toException(answer.statusCode(), body == null ? MAPPER.createObjectNode()
          : body, answer.headers().firstValue("Retry-After").flatMap(RemoteKeyRing::seconds));
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

  private static Map<String, Object> document(JsonNode node) {
    return MAPPER.convertValue(node, new TypeReference<Map<String, Object>>() {});
  }

  private static String query(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}

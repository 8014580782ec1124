package io.inmemory.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.transport.http.Inmry;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The server's routes that applications never use (keys, webhooks), through the managed client's
 * {@link Inmry#route} — its key, timeouts, retries and errors — read as JSON trees for printing.
 * Thread-safe as the client is.
 */
final class ServerCalls {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Inmry client;

  ServerCalls(Inmry client) {
    this.client = client;
  }

  /** {@code GET path} (with its query), the answer's JSON. */
  JsonNode get(String path) {
    return send("GET", path, null);
  }

  /** {@code DELETE path}, the answer's JSON. */
  JsonNode delete(String path) {
    return send("DELETE", path, null);
  }

  /** {@code method path} with {@code body} as JSON (none when null), the answer's JSON. */
  JsonNode send(String method, String path, @Nullable Map<String, Object> body) {
    return MAPPER.valueToTree(client.route(method, path, body));
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
}

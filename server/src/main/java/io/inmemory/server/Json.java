package io.inmemory.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inmemory.Health;
import io.inmemory.wire.JsonBody;
import io.inmemory.wire.ProblemType;
import io.inmemory.wire.ResultJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The server's side of the wire format: strict parsing of request bodies, writing answers and the
 * health report as the public endpoint shows it. The vocabulary it shares with the managed client
 * is {@code io.inmemory.wire}; the API keys' own is {@link KeysJson}. Stateless and thread-safe.
 */
final class Json {
  /**
   * Strict reading: a body is exactly one JSON value with each member named once (a repeated
   * member is ambiguous: a proxy or a client library may act on the first, Jackson on the last).
   */
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private Json() {}

  /** Parses a request body that must be one JSON object. */
  static JsonBody parse(byte[] body) {
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new ProblemException(ProblemType.MALFORMED_JSON,
          "The request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (node == null || node.isMissingNode()) {
      return JsonBody.empty();
    }
    if (!(node instanceof ObjectNode object)) {
      throw new ProblemException(ProblemType.MALFORMED_JSON,
          "The request body must be a JSON object");
    }
    return JsonBody.of(object);
  }

  static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A health report for the public endpoint: the detail of a component that is down is replaced
   * by its failure's kind, since failure messages can name hosts and paths.
   */
  static Map<String, Object> health(Health health) {
    Map<String, Health.Component> components = new HashMap<>();
    health.components().forEach((name, component) -> components.put(name,
        component.status() == Health.Status.UP ? component : new Health.Component(
            component.status(), component.latency(),
            component.detail().split(":", 2)[0] + " (details in the server log)")));
    return ResultJson.health(new Health(health.status(), health.version(), components,
        health.checkedAt()));
  }
}

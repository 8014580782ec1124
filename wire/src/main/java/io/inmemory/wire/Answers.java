package io.inmemory.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.inmemory.TransportException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Reading the members of a server's answer, and the instants both sides write. A member missing
 * from an answer is a {@link TransportException}: the server is not the one the client speaks
 * to. Stateless and thread-safe.
 */
final class Answers {
  /** Converts members to plain Java values; reading is already done, so no strictness needed. */
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private Answers() {}

  static JsonNode member(JsonNode json, Member member) {
    JsonNode value = json.get(member.name());
    if (value == null) {
      throw new TransportException("The server's answer lacks '" + member.name() + "': is "
          + "inmemory.base-url an InMemory server of a compatible version?", (Throwable) null);
    }
    return value;
  }

  static String string(JsonNode json, Member member) {
    return member(json, member).asText();
  }

  static @Nullable String optionalString(JsonNode json, Member member) {
    JsonNode value = json.get(member.name());
    return value == null || value.isNull() ? null : value.asText();
  }

  static @Nullable Instant instant(JsonNode json, Member member) {
    String text = optionalString(json, member);
    return text == null ? null : Instant.parse(text);
  }

  static <T> List<T> list(JsonNode array, Function<JsonNode, T> element) {
    List<T> list = new ArrayList<>();
    array.forEach(item -> list.add(element.apply(item)));
    return list;
  }

  static Map<String, Long> counts(JsonNode json) {
    Map<String, Long> counts = new LinkedHashMap<>();
    json.fields().forEachRemaining(entry -> counts.put(entry.getKey(), entry.getValue().asLong()));
    return counts;
  }

  /** A JSON object as a map of plain Java values, for the memory's metadata on either side. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> object(JsonNode json) {
    return MAPPER.convertValue(json, Map.class);
  }

  /** A JSON value as a plain Java value: text, number, boolean, list or map. */
  static @Nullable Object plain(JsonNode json) {
    return MAPPER.convertValue(json, Object.class);
  }

  /** An instant as ISO-8601 text in UTC, or {@code null} for an absent one. */
  static @Nullable String text(@Nullable Instant instant) {
    return instant == null ? null : instant.toString();
  }
}

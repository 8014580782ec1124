package io.inmemory.transport.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.inmemory.AddRequest;
import io.inmemory.AddResult;
import io.inmemory.Health;
import io.inmemory.HistoryEntry;
import io.inmemory.MemoryRecord;
import io.inmemory.Page;
import io.inmemory.SearchHit;
import io.inmemory.SearchRequest;
import io.inmemory.SearchResult;
import io.inmemory.TimeRange;
import io.inmemory.TransportException;
import io.inmemory.UpdateRequest;
import io.inmemory.UserStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The server's JSON (snake_case members, ISO-8601 instants) to and from the API's records. A
 * member missing from an answer is a {@link TransportException}: the server is not the one this
 * client speaks to.
 */
final class Wire {
  static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private Wire() {}

  static byte[] write(Object body) {
    try {
      return MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write the request as JSON: " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- requests

  static Map<String, Object> add(AddRequest request) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("memory_content", request.content());
    json.put("user_id", request.userId());
    json.put("tags", request.tags());
    json.put("people_mentioned", request.people());
    json.put("topic_category", request.topic());
    json.put("metadata", request.metadata());
    json.put("created_at", text(request.createdAt()));
    return json;
  }

  static Map<String, Object> search(SearchRequest request) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("query", request.query());
    json.put("user_id", request.userId());
    json.put("limit", request.limit());
    json.put("threshold", request.threshold());
    json.put("tags", request.tags());
    json.put("tag_match", request.tagMatch().name().toLowerCase(Locale.ROOT));
    json.put("people_mentioned", request.people());
    json.put("topic_category", request.topic());
    json.put("metadata", request.metadata());
    json.put("created_after", text(request.createdAfter()));
    json.put("created_before", text(request.createdBefore()));
    json.put("temporal_query", request.temporal());
    json.put("reference_time", text(request.referenceTime()));
    json.put("time_zone", request.zone() == null ? null : request.zone().getId());
    return json;
  }

  static Map<String, Object> update(UpdateRequest request) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("memory_content", request.content());
    json.put("tags", request.tags());
    json.put("people_mentioned", request.people());
    json.put("topic_category", request.topic());
    json.put("metadata", request.metadata());
    return json;
  }

  // ---------------------------------------------------------------- answers

  static AddResult added(JsonNode json) {
    return new AddResult(memory(member(json, "memory")));
  }

  static List<AddResult> addedAll(JsonNode json) {
    return list(member(json, "results"), Wire::added);
  }

  static boolean deleted(JsonNode json) {
    return member(json, "deleted").asBoolean();
  }

  static long deletedCount(JsonNode json) {
    return member(json, "deleted_count").asLong();
  }

  static MemoryRecord memory(JsonNode json) {
    @SuppressWarnings("unchecked")
    Map<String, Object> metadata = MAPPER.convertValue(member(json, "metadata"), Map.class);
    return new MemoryRecord(string(json, "id"), string(json, "user_id"),
        string(json, "memory_content"), list(member(json, "tags"), JsonNode::asText),
        list(member(json, "people_mentioned"), JsonNode::asText),
        optionalString(json, "topic_category"), metadata, instant(json, "created_at"),
        instant(json, "updated_at"));
  }

  static SearchResult searchResult(JsonNode json) {
    JsonNode range = json.path("time_range");
    return new SearchResult(
        list(member(json, "hits"), hit -> new SearchHit(memory(member(hit, "memory")),
            member(hit, "score").asDouble())),
        SearchResult.Ranking.valueOf(string(json, "ranking").toUpperCase(Locale.ROOT)),
        range.isObject()
            ? Optional.of(new TimeRange(instant(range, "start"), instant(range, "end")))
            : Optional.empty());
  }

  static Page<MemoryRecord> page(JsonNode json) {
    return new Page<>(list(member(json, "items"), Wire::memory), member(json, "offset").asInt(),
        member(json, "limit").asInt(), member(json, "total").asLong());
  }

  static List<HistoryEntry> history(JsonNode json) {
    return list(member(json, "entries"), entry -> new HistoryEntry(string(entry, "memory_id"),
        string(entry, "user_id"),
        HistoryEntry.Event.valueOf(string(entry, "event").toUpperCase(Locale.ROOT)),
        optionalString(entry, "previous_content"), optionalString(entry, "new_content"),
        instant(entry, "at")));
  }

  static UserStats stats(JsonNode json) {
    return new UserStats(string(json, "user_id"), member(json, "memory_count").asLong(),
        instant(json, "first_created_at"), instant(json, "last_created_at"),
        counts(member(json, "tag_counts")), counts(member(json, "people_counts")),
        counts(member(json, "topic_counts")));
  }

  static Health health(JsonNode json) {
    Map<String, Health.Component> components = new LinkedHashMap<>();
    member(json, "components").fields().forEachRemaining(entry -> components.put(entry.getKey(),
        new Health.Component(
            Health.Status.valueOf(string(entry.getValue(), "status")),
            Duration.ofNanos(Math.round(member(entry.getValue(), "latency_ms").asDouble() * 1e6)),
            string(entry.getValue(), "detail"))));
    return new Health(Health.Status.valueOf(string(json, "status")), string(json, "version"),
        components, instant(json, "checked_at"));
  }

  // ---------------------------------------------------------------- members

  private static JsonNode member(JsonNode json, String name) {
    JsonNode member = json.get(name);
    if (member == null) {
      throw new TransportException("The server's answer lacks '" + name + "': is "
          + "inmemory.base-url an InMemory server of a compatible version?", (Throwable) null);
    }
    return member;
  }

  private static String string(JsonNode json, String name) {
    return member(json, name).asText();
  }

  private static String optionalString(JsonNode json, String name) {
    JsonNode member = json.get(name);
    return member == null || member.isNull() ? null : member.asText();
  }

  private static Instant instant(JsonNode json, String name) {
    String text = optionalString(json, name);
    return text == null ? null : Instant.parse(text);
  }

  private static <T> List<T> list(JsonNode array, Function<JsonNode, T> element) {
    List<T> list = new ArrayList<>();
    array.forEach(item -> list.add(element.apply(item)));
    return list;
  }

  private static Map<String, Long> counts(JsonNode json) {
    Map<String, Long> counts = new LinkedHashMap<>();
    json.fields().forEachRemaining(entry -> counts.put(entry.getKey(), entry.getValue().asLong()));
    return counts;
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}

package io.inmemory.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inmemory.Health;
import io.inmemory.HistoryEntry;
import io.inmemory.MemoryRecord;
import io.inmemory.Page;
import io.inmemory.SearchHit;
import io.inmemory.SearchResult;
import io.inmemory.TimeRange;
import io.inmemory.UserStats;
import io.inmemory.engine.tenant.ApiKeyRecord;
import io.inmemory.engine.tenant.KeyScope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The wire format: parsing request bodies and rendering the api records in snake_case. Instants
 * are ISO-8601 strings in UTC with millisecond precision; absent optional values are
 * {@code null}. Stateless and thread-safe.
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
    return new JsonBody(object);
  }

  static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, Object> memory(MemoryRecord memory) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", memory.id());
    json.put("user_id", memory.userId());
    json.put("memory_content", memory.content());
    json.put("tags", memory.tags());
    json.put("people_mentioned", memory.people());
    json.put("topic_category", memory.topic());
    json.put("metadata", memory.metadata());
    json.put("created_at", instant(memory.createdAt()));
    json.put("updated_at", instant(memory.updatedAt()));
    return json;
  }

  static Map<String, Object> searchResult(SearchResult result) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("hits", result.hits().stream().map(Json::hit).toList());
    json.put("ranking", result.ranking().name().toLowerCase(Locale.ROOT));
    json.put("time_range", result.timeRange().map(Json::timeRange).orElse(null));
    return json;
  }

  private static Map<String, Object> hit(SearchHit hit) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("memory", memory(hit.memory()));
    json.put("score", hit.score());
    return json;
  }

  private static Map<String, Object> timeRange(TimeRange range) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("start", instant(range.start()));
    json.put("end", instant(range.end()));
    return json;
  }

  static Map<String, Object> page(Page<MemoryRecord> page) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("items", page.items().stream().map(Json::memory).toList());
    json.put("offset", page.offset());
    json.put("limit", page.limit());
    json.put("total", page.total());
    json.put("has_more", page.hasMore());
    return json;
  }

  static Map<String, Object> history(List<HistoryEntry> entries) {
    return Map.of("entries", entries.stream().map(entry -> {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("memory_id", entry.memoryId());
      json.put("user_id", entry.userId());
      json.put("event", entry.event().name().toLowerCase(Locale.ROOT));
      json.put("previous_content", entry.previousContent());
      json.put("new_content", entry.newContent());
      json.put("at", instant(entry.at()));
      return json;
    }).toList());
  }

  static Map<String, Object> stats(UserStats stats) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("user_id", stats.userId());
    json.put("memory_count", stats.memoryCount());
    json.put("first_created_at", instant(stats.firstCreatedAt()));
    json.put("last_created_at", instant(stats.lastCreatedAt()));
    json.put("tag_counts", stats.tagCounts());
    json.put("people_counts", stats.peopleCounts());
    json.put("topic_counts", stats.topicCounts());
    return json;
  }

  /**
   * A health report for the public endpoint: the detail of a component that is down is replaced
   * by its failure's kind, since failure messages can name hosts and paths.
   */
  static Map<String, Object> health(Health health) {
    Map<String, Object> components = new LinkedHashMap<>();
    health.components().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      Map<String, Object> component = new LinkedHashMap<>();
      component.put("status", e.getValue().status().name());
      component.put("latency_ms", e.getValue().latency().toNanos() / 1e6);
      String detail = e.getValue().detail();
      component.put("detail", e.getValue().status() == Health.Status.UP
          ? detail : detail.split(":", 2)[0] + " (details in the server log)");
      components.put(e.getKey(), component);
    });
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("status", health.status().name());
    json.put("version", health.version());
    json.put("components", components);
    json.put("checked_at", instant(health.checkedAt()));
    return json;
  }

  static Map<String, Object> key(ApiKeyRecord key) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("key_id", key.id());
    json.put("project_id", key.projectId());
    json.put("name", key.name());
    json.put("hint", key.hint());
    json.put("scopes", scopes(key.scopes()));
    json.put("created_at", instant(key.createdAt()));
    json.put("expires_at", instant(key.expiresAt()));
    json.put("revoked_at", instant(key.revokedAt()));
    json.put("last_used_at", instant(key.lastUsedAt()));
    json.put("usage_count", key.usageCount());
    return json;
  }

  static List<String> scopes(Set<KeyScope> scopes) {
    return scopes.stream().sorted().map(scope -> scope.name().toLowerCase(Locale.ROOT)).toList();
  }

  static String instant(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}

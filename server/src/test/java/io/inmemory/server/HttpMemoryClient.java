package io.inmemory.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.AddRequest;
import io.inmemory.AddResult;
import io.inmemory.AuthenticationException;
import io.inmemory.ConflictException;
import io.inmemory.ContentTooLargeException;
import io.inmemory.Health;
import io.inmemory.HistoryEntry;
import io.inmemory.InMemoryException;
import io.inmemory.InvalidRequestException;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryRecord;
import io.inmemory.NotFoundException;
import io.inmemory.Page;
import io.inmemory.PermissionDeniedException;
import io.inmemory.RateLimitedException;
import io.inmemory.SearchHit;
import io.inmemory.SearchRequest;
import io.inmemory.SearchResult;
import io.inmemory.StorageException;
import io.inmemory.TimeRange;
import io.inmemory.TransportException;
import io.inmemory.UpdateRequest;
import io.inmemory.UserStats;
import io.inmemory.Validation;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A test-only {@link MemoryClient} over the server's REST API, proving the JSON maps 1:1 onto
 * every method and every problem onto the exception the local engine throws. A sketch of what
 * {@code transport-http} implements; thread-safe.
 */
final class HttpMemoryClient implements MemoryClient {
  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;
  private final String key;
  private volatile boolean closed;

  HttpMemoryClient(int port, String key) {
    this.base = "http://127.0.0.1:" + port;
    this.key = key;
  }

  // ------------------------------------------------------------------ MemoryClient

  @Override
  public AddResult add(AddRequest request) {
    Objects.requireNonNull(request, "request");
    ensureOpen();
    return new AddResult(memory(send("POST", "/v1/memories", addJson(request)).get("memory")));
  }

  @Override
  public List<AddResult> addAll(List<AddRequest> requests) {
    Objects.requireNonNull(requests, "requests");
    ensureOpen();
    if (requests.isEmpty()) {
      return List.of();
    }
    List<Object> items = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      items.add(addJson(Objects.requireNonNull(requests.get(i), "requests[" + i + "]")));
    }
    List<AddResult> results = new ArrayList<>();
    send("POST", "/v1/memories/batch", Map.of("memories", items)).get("results")
        .forEach(result -> results.add(new AddResult(memory(result.get("memory")))));
    return results;
  }

  @Override
  public SearchResult search(SearchRequest request) {
    Objects.requireNonNull(request, "request");
    ensureOpen();
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
    json.put("created_after", Json.instant(request.createdAfter()));
    json.put("created_before", Json.instant(request.createdBefore()));
    json.put("temporal_query", request.temporal());
    json.put("reference_time", Json.instant(request.referenceTime()));
    json.put("time_zone", request.zone() == null ? null : request.zone().getId());
    return searchResult(send("POST", "/v1/memories/search", json));
  }

  @Override
  public Page<MemoryRecord> getAll(String userId, int limit, int offset) {
    ensureOpen();
    Validation.requireUserId(userId);
    Validation.requirePage(limit, offset);
    JsonNode page = send("GET", "/v1/memories?user_id=" + encode(userId) + "&limit=" + limit
        + "&offset=" + offset, null);
    List<MemoryRecord> items = new ArrayList<>();
    page.get("items").forEach(item -> items.add(memory(item)));
    return new Page<>(items, page.get("offset").asInt(), page.get("limit").asInt(),
        page.get("total").asLong());
  }

  @Override
  public Optional<MemoryRecord> get(String memoryId, String userId) {
    ensureOpen();
    try {
      return Optional.of(memory(send("GET", memoryPath(memoryId, userId, ""), null)));
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  @Override
  public MemoryRecord update(String memoryId, String userId, UpdateRequest request) {
    Objects.requireNonNull(request, "request");
    ensureOpen();
    String path = memoryPath(memoryId, userId, "");
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("memory_content", request.content());
    json.put("tags", request.tags());
    json.put("people_mentioned", request.people());
    json.put("topic_category", request.topic());
    json.put("metadata", request.metadata());
    return memory(send("PUT", path, json));
  }

  @Override
  public boolean delete(String memoryId, String userId) {
    ensureOpen();
    return send("DELETE", memoryPath(memoryId, userId, ""), null).get("deleted").asBoolean();
  }

  @Override
  public long deleteAll(String userId) {
    ensureOpen();
    Validation.requireUserId(userId);
    return send("DELETE", "/v1/memories?user_id=" + encode(userId), null).get("deleted_count")
        .asLong();
  }

  @Override
  public List<HistoryEntry> history(String memoryId, String userId) {
    ensureOpen();
    List<HistoryEntry> entries = new ArrayList<>();
    send("GET", memoryPath(memoryId, userId, "/history"), null).get("entries").forEach(entry ->
        entries.add(new HistoryEntry(entry.get("memory_id").asText(),
            entry.get("user_id").asText(),
            HistoryEntry.Event.valueOf(entry.get("event").asText().toUpperCase(Locale.ROOT)),
            text(entry.get("previous_content")), text(entry.get("new_content")),
            instant(entry.get("at")))));
    return entries;
  }

  @Override
  public UserStats getUserStats(String userId) {
    ensureOpen();
    Validation.requireUserId(userId);
    JsonNode stats = send("GET", "/v1/users/" + encode(userId) + "/stats", null);
    return new UserStats(stats.get("user_id").asText(), stats.get("memory_count").asLong(),
        instant(stats.get("first_created_at")), instant(stats.get("last_created_at")),
        counts(stats.get("tag_counts")), counts(stats.get("people_counts")),
        counts(stats.get("topic_counts")));
  }

  @Override
  public Health healthCheck() {
    ensureOpen();
    HttpResponse<String> response = exchange("GET", "/v1/health", null);
    if (response.statusCode() != 200 && response.statusCode() != 503) {
      throw problem(response);
    }
    JsonNode health = parse(response);
    Map<String, Health.Component> components = new LinkedHashMap<>();
    health.get("components").fields().forEachRemaining(component -> components.put(
        component.getKey(), new Health.Component(
            Health.Status.valueOf(component.getValue().get("status").asText()),
            Duration.ofNanos((long) (component.getValue().get("latency_ms").asDouble() * 1e6)),
            component.getValue().get("detail").asText())));
    return new Health(Health.Status.valueOf(health.get("status").asText()),
        health.get("version").asText(), components, instant(health.get("checked_at")));
  }

  @Override
  public void close() {
    closed = true;
  }

  // ------------------------------------------------------------------ wire

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("this client is closed");
    }
  }

  private static String memoryPath(String memoryId, String userId, String suffix) {
    Validation.requireMemoryId(memoryId);
    Validation.requireUserId(userId);
    return "/v1/memories/" + encode(memoryId) + suffix + "?user_id=" + encode(userId);
  }

  private static Map<String, Object> addJson(AddRequest request) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("memory_content", request.content());
    json.put("user_id", request.userId());
    json.put("tags", request.tags());
    json.put("people_mentioned", request.people());
    json.put("topic_category", request.topic());
    json.put("metadata", request.metadata());
    json.put("created_at", Json.instant(request.createdAt()));
    return json;
  }

  private JsonNode send(String method, String path, Object body) {
    HttpResponse<String> response = exchange(method, path, body);
    if (response.statusCode() / 100 != 2) {
      throw problem(response);
    }
    return parse(response);
  }

  private HttpResponse<String> exchange(String method, String path, Object body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + key);
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofByteArray(Json.write(body)));
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new TransportException("no answer from " + base, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransportException("interrupted", e);
    }
  }

  private static JsonNode parse(HttpResponse<String> response) {
    try {
      return Json.MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new TransportException("unreadable answer", response.statusCode());
    }
  }

  /** The exception the problem's type names, as the local engine would throw it. */
  private static InMemoryException problem(HttpResponse<String> response) {
    JsonNode problem = parse(response);
    String type = problem.path("type").asText();
    String detail = problem.path("detail").asText();
    ProblemType kind = null;
    for (ProblemType candidate : ProblemType.values()) {
      if (candidate.type().equals(type)) {
        kind = candidate;
      }
    }
    if (kind == null) {
      return new TransportException(detail, response.statusCode());
    }
    List<InvalidRequestException.Violation> violations = new ArrayList<>();
    problem.path("violations").forEach(v -> violations.add(new InvalidRequestException.Violation(
        v.get("field").asText(), v.get("problem").asText())));
    if (violations.isEmpty()) {
      violations.add(new InvalidRequestException.Violation("request", detail));
    }
    return switch (kind) {
      case VALIDATION, MALFORMED_JSON, UNSUPPORTED_MEDIA_TYPE, REQUEST_TOO_LARGE ->
          new InvalidRequestException(violations);
      case CONTENT_TOO_LARGE -> new ContentTooLargeException(violations.get(0).field(),
          problem.get("size").asLong(), problem.get("max_size").asLong());
      case AUTHENTICATION -> new AuthenticationException(detail);
      case PERMISSION_DENIED -> new PermissionDeniedException(detail);
      case NOT_FOUND -> new NotFoundException(detail);
      case CONFLICT, IDEMPOTENCY_KEY_REUSED -> new ConflictException(detail);
      case RATE_LIMITED -> new RateLimitedException(detail,
          Duration.ofSeconds(problem.get("retry_after_seconds").asLong()));
      case STORAGE_UNAVAILABLE -> new StorageException(detail);
      case INTERNAL -> new InMemoryException(detail);
      case NO_ROUTE, METHOD_NOT_ALLOWED, PROTOCOL ->
          new TransportException(detail, response.statusCode());
    };
  }

  private static MemoryRecord memory(JsonNode json) {
    List<String> tags = new ArrayList<>();
    json.get("tags").forEach(tag -> tags.add(tag.asText()));
    List<String> people = new ArrayList<>();
    json.get("people_mentioned").forEach(person -> people.add(person.asText()));
    @SuppressWarnings("unchecked")
    Map<String, Object> metadata = Json.MAPPER.convertValue(json.get("metadata"), Map.class);
    return new MemoryRecord(json.get("id").asText(), json.get("user_id").asText(),
        json.get("memory_content").asText(), tags, people, text(json.get("topic_category")),
        metadata, instant(json.get("created_at")), instant(json.get("updated_at")));
  }

  private static SearchResult searchResult(JsonNode json) {
    List<SearchHit> hits = new ArrayList<>();
    json.get("hits").forEach(hit -> hits.add(new SearchHit(memory(hit.get("memory")),
        hit.get("score").asDouble())));
    JsonNode range = json.get("time_range");
    Optional<TimeRange> timeRange = range == null || range.isNull() ? Optional.empty()
        : Optional.of(new TimeRange(instant(range.get("start")), instant(range.get("end"))));
    return new SearchResult(hits,
        SearchResult.Ranking.valueOf(json.get("ranking").asText().toUpperCase(Locale.ROOT)),
        timeRange);
  }

  private static Map<String, Long> counts(JsonNode json) {
    Map<String, Long> counts = new LinkedHashMap<>();
    json.fields().forEachRemaining(entry -> counts.put(entry.getKey(),
        entry.getValue().asLong()));
    return counts;
  }

  private static String text(JsonNode json) {
    return json == null || json.isNull() ? null : json.asText();
  }

  private static Instant instant(JsonNode json) {
    return json == null || json.isNull() ? null : Instant.parse(json.asText());
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}

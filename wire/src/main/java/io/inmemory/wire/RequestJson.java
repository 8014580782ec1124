package io.inmemory.wire;

import static io.inmemory.wire.Answers.text;
import static io.inmemory.wire.Schemas.array;
import static io.inmemory.wire.Schemas.instant;
import static io.inmemory.wire.Schemas.integer;
import static io.inmemory.wire.Schemas.map;
import static io.inmemory.wire.Schemas.number;
import static io.inmemory.wire.Schemas.oneOf;
import static io.inmemory.wire.Schemas.ref;
import static io.inmemory.wire.Schemas.str;
import static io.inmemory.wire.Schemas.stringsOrCsv;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inmemory.AddRequest;
import io.inmemory.InvalidRequestException;
import io.inmemory.SearchRequest;
import io.inmemory.TagMatch;
import io.inmemory.UpdateRequest;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The requests on the wire: the client writes them, the server reads them with a
 * {@link JsonBody}, which lists every problem at once with the API's field names, as the local
 * engine does. Stateless and thread-safe.
 */
public final class RequestJson {
  public static final Member QUERY = new Member("query", str());
  public static final Member LIMIT = new Member("limit", integer());
  public static final Member THRESHOLD = new Member("threshold", number());
  public static final Member TAG_MATCH = new Member("tag_match", "tagMatch", oneOf("all", "any"));
  public static final Member CREATED_AFTER = new Member("created_after", "createdAfter",
      instant());
  public static final Member CREATED_BEFORE = new Member("created_before", "createdBefore",
      instant());
  public static final Member TEMPORAL = new Member("temporal_query", "temporal", str());
  public static final Member REFERENCE_TIME = new Member("reference_time", "referenceTime",
      instant());
  public static final Member TIME_ZONE = new Member("time_zone", "zone", str());
  /** The optional query of the temporal, tag and people searches. */
  public static final Member SEMANTIC_QUERY = new Member("semantic_query", "query", str());
  public static final Member MATCH_ALL = new Member("match_all", "matchAll",
      map("type", "boolean", "default", true));
  /** The people of a people search. */
  public static final Member PEOPLE = new Member("people",
      stringsOrCsv("Matched case-insensitively."));
  /** The additions of a batch. */
  public static final Member MEMORIES = new Member("memories", "requests",
      array(ref("AddMemoryRequest")));
  /** An addition's topic: a plain string, as the request has one or none. */
  public static final Member TOPIC_IN = LabelsJson.TOPIC.withSchema(str());
  /** A change's topic: empty clears it. */
  public static final Member TOPIC_CHANGE = LabelsJson.TOPIC.withSchema(
      map("type", "string", "description", "Empty clears the topic."));

  private RequestJson() {}

  // ------------------------------------------------------------------ the client writes

  public static Map<String, Object> write(AddRequest request) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(MemoryJson.CONTENT.name(), request.content());
    json.put(MemoryJson.USER_ID.name(), request.userId());
    LabelsJson.write(json, request.tags(), request.people(), request.topic(), request.metadata());
    json.put(MemoryJson.CREATED_AT.name(), text(request.createdAt()));
    return json;
  }

  /**
   * A batch of additions.
   *
   * @throws NullPointerException naming {@code requests[i]} for a null element
   */
  public static Map<String, Object> writeBatch(List<AddRequest> requests) {
    List<Object> memories = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      memories.add(write(Objects.requireNonNull(requests.get(i), "requests[" + i + "]")));
    }
    return Map.of(MEMORIES.name(), memories);
  }

  public static Map<String, Object> write(SearchRequest request) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(QUERY.name(), request.query());
    json.put(MemoryJson.USER_ID.name(), request.userId());
    json.put(LIMIT.name(), request.limit());
    json.put(THRESHOLD.name(), request.threshold());
    LabelsJson.write(json, request.tags(), request.people(), request.topic(), request.metadata());
    json.put(TAG_MATCH.name(), request.tagMatch().name().toLowerCase(Locale.ROOT));
    json.put(CREATED_AFTER.name(), text(request.createdAfter()));
    json.put(CREATED_BEFORE.name(), text(request.createdBefore()));
    json.put(TEMPORAL.name(), request.temporal());
    json.put(REFERENCE_TIME.name(), text(request.referenceTime()));
    json.put(TIME_ZONE.name(), request.zone() == null ? null : request.zone().getId());
    return json;
  }

  /** A change: members the request leaves unchanged are {@code null}. */
  public static Map<String, Object> write(UpdateRequest request) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(MemoryJson.CONTENT.name(), request.content());
    LabelsJson.write(json, request.tags(), request.people(), request.topic(), request.metadata());
    return json;
  }

  // ------------------------------------------------------------------ the server reads

  /** @throws InvalidRequestException listing every problem of the body */
  public static AddRequest add(JsonBody body) {
    String content = body.string(MemoryJson.CONTENT);
    String userId = body.string(MemoryJson.USER_ID);
    List<String> tags = body.strings(LabelsJson.TAGS);
    List<String> people = body.strings(LabelsJson.PEOPLE);
    String topic = body.string(LabelsJson.TOPIC);
    Map<String, Object> metadata = body.object(LabelsJson.METADATA);
    Instant createdAt = body.instant(MemoryJson.CREATED_AT);
    // An absent list or map is given as null: the request takes it as empty.
    return body.build(() -> AddRequest.builder(content, userId)
        .tags(tags)
        .people(people)
        .topic(topic)
        .metadata(metadata)
        .createdAt(createdAt)
        .build());
  }

  /**
   * A batch of additions; the problems of its elements are named {@code requests[i].field}.
   *
   * @param checkSize called with the number of elements before any is read, so that a batch of
   *     millions is refused without making them
   * @throws InvalidRequestException listing every problem of the body and its elements
   */
  public static List<AddRequest> addAll(JsonBody body, IntConsumer checkSize) {
    List<ObjectNode> items = body.objects(MEMORIES);
    if (items != null) {
      checkSize.accept(items.size());
    }
    List<AddRequest> requests = new ArrayList<>();
    List<InvalidRequestException.Violation> problems = new ArrayList<>();
    if (items != null) {
      for (int i = 0; i < items.size(); i++) {
        try {
          requests.add(add(JsonBody.of(items.get(i))));
        } catch (InvalidRequestException e) {
          for (InvalidRequestException.Violation v : e.violations()) {
            problems.add(new InvalidRequestException.Violation(
                MEMORIES.field() + "[" + i + "]." + v.field(), v.problem()));
          }
        }
      }
    }
    problems.forEach(v -> body.invalid(v.field(), v.problem()));
    if (items == null) {
      body.invalid(MEMORIES.field(), "is required: a list of memories to add");
    }
    body.build(() -> null);
    return requests;
  }

  /** @throws InvalidRequestException listing every problem of the body */
  public static SearchRequest search(JsonBody body) {
    String query = body.string(QUERY);
    String userId = body.string(MemoryJson.USER_ID);
    Integer limit = body.integer(LIMIT);
    Double threshold = body.decimal(THRESHOLD);
    List<String> tags = body.strings(LabelsJson.TAGS);
    String tagMatch = body.string(TAG_MATCH);
    List<String> people = body.strings(LabelsJson.PEOPLE);
    String topic = body.string(LabelsJson.TOPIC);
    Map<String, Object> metadata = body.object(LabelsJson.METADATA);
    Instant after = body.instant(CREATED_AFTER);
    Instant before = body.instant(CREATED_BEFORE);
    String temporal = body.string(TEMPORAL);
    Instant reference = body.instant(REFERENCE_TIME);
    String zone = body.string(TIME_ZONE);
    TagMatch match = tagMatch(body, tagMatch);
    ZoneId zoneId = zone(body, zone);
    return body.build(() -> SearchRequest.builder(userId)
        .query(query)
        .limit(limit(limit))
        .threshold(threshold)
        .tags(tags, match)
        .people(people)
        .topic(topic)
        .metadata(metadata)
        .createdAfter(after)
        .createdBefore(before)
        .temporal(temporal)
        .referenceTime(reference)
        .zone(zoneId)
        .build());
  }

  private static TagMatch tagMatch(JsonBody body, @Nullable String value) {
    if (value == null) {
      return TagMatch.ALL;
    }
    try {
      return TagMatch.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      body.invalid(TAG_MATCH.field(), "must be 'all' or 'any'");
      return TagMatch.ALL;
    }
  }

  private static @Nullable ZoneId zone(JsonBody body, @Nullable String value) {
    if (value == null) {
      return null;
    }
    try {
      return ZoneId.of(value.trim());
    } catch (DateTimeException e) {
      body.invalid(TIME_ZONE.field(), JsonBody.quoted(value)
          + " is not a time zone id such as UTC or Europe/Paris");
      return null;
    }
  }

  private static int limit(@Nullable Integer limit) {
    return limit == null ? SearchRequest.DEFAULT_LIMIT : limit;
  }

  /** A change; absent members stay unchanged. */
  public static UpdateRequest update(JsonBody body) {
    String content = body.string(MemoryJson.CONTENT);
    List<String> tags = body.strings(LabelsJson.TAGS);
    List<String> people = body.strings(LabelsJson.PEOPLE);
    String topic = body.string(LabelsJson.TOPIC);
    Map<String, Object> metadata = body.object(LabelsJson.METADATA);
    return body.build(() -> UpdateRequest.builder().content(content).tags(tags)
        .people(people).topic(topic).metadata(metadata).build());
  }

  /** @throws InvalidRequestException listing every problem of the body */
  public static SearchRequest temporalSearch(JsonBody body) {
    String temporal = body.string(TEMPORAL);
    String userId = body.string(MemoryJson.USER_ID);
    String query = body.string(SEMANTIC_QUERY);
    Integer limit = body.integer(LIMIT);
    return body.build(() -> SearchRequest.forTime(temporal, userId, query, limit(limit)));
  }

  /** @throws InvalidRequestException listing every problem of the body */
  public static SearchRequest tagSearch(JsonBody body) {
    List<String> tags = body.strings(LabelsJson.TAGS);
    String userId = body.string(MemoryJson.USER_ID);
    String query = body.string(SEMANTIC_QUERY);
    Boolean matchAll = body.bool(MATCH_ALL);
    Integer limit = body.integer(LIMIT);
    return body.build(() -> SearchRequest.forTags(tags, userId, query,
        matchAll == null || matchAll, limit(limit)));
  }

  /** @throws InvalidRequestException listing every problem of the body */
  public static SearchRequest peopleSearch(JsonBody body) {
    List<String> people = body.strings(PEOPLE);
    String userId = body.string(MemoryJson.USER_ID);
    String query = body.string(SEMANTIC_QUERY);
    Integer limit = body.integer(LIMIT);
    return body.build(() -> SearchRequest.forPeople(people, userId, query, limit(limit)));
  }
}

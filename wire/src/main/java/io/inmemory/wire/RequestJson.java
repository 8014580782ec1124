package io.inmemory.wire;

import static io.inmemory.wire.Answers.text;
import static io.inmemory.wire.MemoryJson.AGENT_ID;
import static io.inmemory.wire.MemoryJson.SESSION_ID;
import static io.inmemory.wire.MemoryJson.USER_ID;
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
import io.inmemory.ContentTooLargeException;
import io.inmemory.ConversationRequest;
import io.inmemory.InvalidRequestException;
import io.inmemory.Limits;
import io.inmemory.ListRequest;
import io.inmemory.MemoryFilter;
import io.inmemory.Message;
import io.inmemory.Role;
import io.inmemory.Scope;
import io.inmemory.SearchRequest;
import io.inmemory.TagMatch;
import io.inmemory.UpdateRequest;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
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
  /** Whether an addition answers an existing memory of the same normalized text instead. */
  public static final Member DEDUPLICATE = new Member("deduplicate", map("type", "boolean",
      "default", false, "description", "Answer the scope's current memory of the same"
          + " normalized text (event none) instead of adding another."));
  public static final Member INCLUDE_SUPERSEDED = new Member("include_superseded",
      "includeSuperseded", map("type", "boolean", "default", false,
          "description", "Also memories a newer fact superseded."));
  public static final Member OFFSET = new Member("offset", integer());
  /** A message's text (a memory's is {@code memory_content}). */
  public static final Member MESSAGE_CONTENT = new Member("content", str());
  public static final Member NAME = new Member("name", str());
  public static final Member TIMESTAMP = new Member("timestamp", instant());
  public static final Member MESSAGES = new Member("messages", array(ref("Message")));
  public static final Member ROLES = new Member("roles", map("type", "array", "items",
      MemoryJson.ROLE.schema(), "description", "The roles whose messages are memorized"
          + " (default user and assistant)."));
  public static final Member INFER = new Member("infer", map("type", List.of("boolean", "null"),
      "description", "null: extract with the configured model if any; true: extract or fail;"
          + " false: store the messages as they are."));
  public static final Member INSTRUCTIONS = new Member("instructions", str());
  public static final Member STORE_RAW_ON_FAILURE = new Member("store_raw_on_failure",
      "storeRawOnFailure", map("type", "boolean", "default", false));
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
    scope(json, request.userId(), request.agentId(), request.sessionId());
    LabelsJson.write(json, request.tags(), request.people(), request.topic(), request.metadata());
    json.put(MemoryJson.CREATED_AT.name(), text(request.createdAt()));
    given(json, MemoryJson.ROLE, request.role() == null ? null
        : MemoryJson.label(request.role()));
    given(json, MemoryJson.VALID_FROM, text(request.validFrom()));
    given(json, DEDUPLICATE, request.deduplicate());
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
    scope(json, request.userId(), request.agentId(), request.sessionId());
    json.put(LIMIT.name(), request.limit());
    json.put(THRESHOLD.name(), request.threshold());
    LabelsJson.write(json, request.tags(), request.people(), request.topic(), request.metadata());
    json.put(TAG_MATCH.name(), request.tagMatch().name().toLowerCase(Locale.ROOT));
    json.put(CREATED_AFTER.name(), text(request.createdAfter()));
    json.put(CREATED_BEFORE.name(), text(request.createdBefore()));
    json.put(TEMPORAL.name(), request.temporal());
    json.put(REFERENCE_TIME.name(), text(request.referenceTime()));
    json.put(TIME_ZONE.name(), request.zone() == null ? null : request.zone().getId());
    filter(json, request.filter(), request.includeSuperseded());
    return json;
  }

  /** A listing: its scope, filter, page. */
  public static Map<String, Object> write(ListRequest request) {
    Map<String, Object> json = new LinkedHashMap<>();
    Scope scope = request.scope();
    scope(json, scope.userId(), scope.agentId(), scope.sessionId());
    filter(json, request.filter(), request.includeSuperseded());
    json.put(LIMIT.name(), request.limit());
    json.put(OFFSET.name(), request.offset());
    return json;
  }

  /** A conversation to memorize. */
  public static Map<String, Object> write(ConversationRequest request) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(MESSAGES.name(), request.messages().stream().map(RequestJson::write).toList());
    Scope scope = request.scope();
    scope(json, scope.userId(), scope.agentId(), scope.sessionId());
    json.put(LabelsJson.TAGS.name(), request.tags());
    json.put(LabelsJson.TOPIC.name(), request.topic());
    json.put(LabelsJson.METADATA.name(), request.metadata());
    json.put(ROLES.name(), request.roles().stream().map(MemoryJson::label).toList());
    json.put(INFER.name(), request.infer());
    json.put(INSTRUCTIONS.name(), request.instructions());
    json.put(STORE_RAW_ON_FAILURE.name(), request.storeRawOnFailure());
    json.put(TIME_ZONE.name(), request.zone() == null ? null : request.zone().getId());
    return json;
  }

  private static Map<String, Object> write(Message message) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(MemoryJson.ROLE.name(), MemoryJson.label(message.role()));
    json.put(MESSAGE_CONTENT.name(), message.content());
    json.put(NAME.name(), message.name());
    json.put(TIMESTAMP.name(), text(message.timestamp()));
    json.put(MemoryJson.ID.name(), message.id());
    json.put(LabelsJson.METADATA.name(), message.metadata());
    return json;
  }

  private static void scope(Map<String, Object> json, @Nullable String userId,
      @Nullable String agentId, @Nullable String sessionId) {
    json.put(USER_ID.name(), userId);
    given(json, AGENT_ID, agentId);
    given(json, SESSION_ID, sessionId);
  }

  private static void filter(Map<String, Object> json, @Nullable MemoryFilter filter,
      boolean includeSuperseded) {
    given(json, FilterJson.FILTERS, filter == null ? null : FilterJson.write(filter));
    given(json, INCLUDE_SUPERSEDED, includeSuperseded);
  }

  /**
   * Puts a member of issue 13 only when it is set (not null, not false): a request that uses
   * none of them is the one an earlier server knows, which refuses members it does not know.
   */
  private static void given(Map<String, Object> json, Member member, @Nullable Object value) {
    if (value != null && !Boolean.FALSE.equals(value)) {
      json.put(member.name(), value);
    }
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
    String userId = body.string(USER_ID);
    String agentId = body.string(AGENT_ID);
    String sessionId = body.string(SESSION_ID);
    List<String> tags = body.strings(LabelsJson.TAGS);
    List<String> people = body.strings(LabelsJson.PEOPLE);
    String topic = body.string(LabelsJson.TOPIC);
    Map<String, Object> metadata = body.object(LabelsJson.METADATA);
    Instant createdAt = body.instant(MemoryJson.CREATED_AT);
    Role role = role(body, MemoryJson.ROLE.field(), body.string(MemoryJson.ROLE));
    Instant validFrom = body.instant(MemoryJson.VALID_FROM);
    Boolean deduplicate = body.bool(DEDUPLICATE);
    // An absent list or map is given as null: the request takes it as empty.
    return body.build(() -> new AddRequest(content, userId, tags, people, topic, metadata,
        createdAt, agentId, sessionId, role, validFrom, Boolean.TRUE.equals(deduplicate)));
  }

  /**
   * A batch of additions; the problems of its elements are named {@code requests[i].field}.
   *
   * @param checkSize called with the number of elements before any is read, so that a batch of
   *     millions is refused without making them
   * @throws InvalidRequestException listing every problem of the body and its elements
   */
  public static List<AddRequest> addAll(JsonBody body, IntConsumer checkSize) {
    List<AddRequest> requests = elements(body, MEMORIES, checkSize, RequestJson::add);
    if (requests == null) {
      body.invalid(MEMORIES.field(), "is required: a list of memories to add");
    }
    body.build(() -> null);
    return requests;
  }

  /**
   * The elements of a list of objects, each read by {@code reader}, their problems named
   * {@code field[i].problem's field} in the body; {@code null} when the member is absent.
   */
  private static <T> @Nullable List<T> elements(JsonBody body, Member member,
      IntConsumer checkSize, Function<JsonBody, T> reader) {
    List<ObjectNode> items = body.objects(member);
    if (items == null) {
      return null;
    }
    checkSize.accept(items.size());
    List<T> elements = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      try {
        elements.add(reader.apply(JsonBody.of(items.get(i))));
      } catch (InvalidRequestException e) {
        for (InvalidRequestException.Violation v : e.violations()) {
          body.invalid(member.field() + "[" + i + "]." + v.field(), v.problem());
        }
      }
    }
    return elements;
  }

  /**
   * A conversation to memorize; the problems of its messages are named
   * {@code messages[i].field}.
   *
   * @throws ContentTooLargeException when it holds more messages than {@code limits} allow,
   *     before any is read
   * @throws InvalidRequestException listing every problem of the body and its messages
   */
  public static ConversationRequest conversation(JsonBody body, Limits limits) {
    List<Message> messages = elements(body, MESSAGES, count -> tooMany(count, limits),
        RequestJson::message);
    String userId = body.string(USER_ID);
    String agentId = body.string(AGENT_ID);
    String sessionId = body.string(SESSION_ID);
    List<String> tags = body.strings(LabelsJson.TAGS);
    String topic = body.string(LabelsJson.TOPIC);
    Map<String, Object> metadata = body.object(LabelsJson.METADATA);
    Set<Role> roles = roles(body, body.strings(ROLES));
    Boolean infer = body.bool(INFER);
    String instructions = body.string(INSTRUCTIONS);
    Boolean storeRaw = body.bool(STORE_RAW_ON_FAILURE);
    ZoneId zone = zone(body, body.string(TIME_ZONE));
    return body.build(() -> new ConversationRequest(messages, new Scope(userId, agentId,
        sessionId), tags, topic, metadata, roles, infer, instructions,
        Boolean.TRUE.equals(storeRaw), zone));
  }

  private static void tooMany(int count, Limits limits) {
    if (count > limits.maxMessages()) {
      throw FilterJson.tooLarge(MESSAGES.field(), "has " + count + " messages", count,
          limits.maxMessages(), Limits.MAX_MESSAGES);
    }
  }

  private static Message message(JsonBody body) {
    Role role = role(body, MemoryJson.ROLE.field(), body.string(MemoryJson.ROLE));
    String content = body.string(MESSAGE_CONTENT);
    String name = body.string(NAME);
    Instant timestamp = body.instant(TIMESTAMP);
    String id = body.string(MemoryJson.ID);
    Map<String, Object> metadata = body.object(LabelsJson.METADATA);
    return body.build(() -> new Message(role, content, name, timestamp, id, metadata));
  }

  private static @Nullable Role role(JsonBody body, String field, @Nullable String label) {
    if (label == null) {
      return null;
    }
    Role role = MemoryJson.role(label);
    if (role == null) {
      body.invalid(field, JsonBody.quoted(label) + " is not a role: user, assistant, system or"
          + " tool");
    }
    return role;
  }

  private static @Nullable Set<Role> roles(JsonBody body, @Nullable List<String> labels) {
    if (labels == null) {
      return null;
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String label : labels) {
      Role role = role(body, ROLES.field(), label);
      if (role == null) {
        // the first unknown one is enough: a list of a million must not make a million problems
        return null;
      }
      roles.add(role);
    }
    return roles;
  }

  /** The scope and filter members every search and listing reads. */
  private record Scoped(@Nullable String userId, @Nullable String agentId,
      @Nullable String sessionId, @Nullable MemoryFilter filter, boolean includeSuperseded) {
    static Scoped read(JsonBody body, Limits limits) {
      return new Scoped(body.string(USER_ID), body.string(AGENT_ID), body.string(SESSION_ID),
          FilterJson.read(body, FilterJson.FILTERS, limits),
          Boolean.TRUE.equals(body.bool(INCLUDE_SUPERSEDED)));
    }

    SearchRequest search(@Nullable String query, int limit, @Nullable Double threshold,
        @Nullable List<String> tags, TagMatch match, @Nullable List<String> people,
        @Nullable String topic, @Nullable Map<String, Object> metadata,
        @Nullable Instant after, @Nullable Instant before, @Nullable String temporal,
        @Nullable Instant reference, @Nullable ZoneId zone) {
      return new SearchRequest(query, userId, limit, threshold, tags, match, people, topic,
          metadata, after, before, temporal, reference, zone, agentId, sessionId, filter,
          includeSuperseded);
    }
  }

  /**
   * A search; {@code user_id} may be absent when {@code agent_id} is given (an agent's own
   * memories).
   *
   * @throws ContentTooLargeException at once when the filter is over a limit
   * @throws InvalidRequestException listing every problem of the body
   */
  public static SearchRequest search(JsonBody body, Limits limits) {
    String query = body.string(QUERY);
    Scoped scoped = Scoped.read(body, limits);
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
    return body.build(() -> scoped.search(query, limit(limit), threshold, tags, match, people,
        topic, metadata, after, before, temporal, reference, zoneId));
  }

  /**
   * A listing of a scope's memories, newest first.
   *
   * @throws ContentTooLargeException at once when the filter is over a limit
   * @throws InvalidRequestException listing every problem of the body
   */
  public static ListRequest list(JsonBody body, Limits limits) {
    Scoped scoped = Scoped.read(body, limits);
    Integer limit = body.integer(LIMIT);
    Integer offset = body.integer(OFFSET);
    return body.build(() -> new ListRequest(new Scope(scoped.userId(), scoped.agentId(),
        scoped.sessionId()), scoped.filter(), scoped.includeSuperseded(), limit(limit),
        offset == null ? 0 : offset));
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

  /**
   * A search within a time phrase.
   *
   * @throws InvalidRequestException listing every problem of the body
   */
  public static SearchRequest temporalSearch(JsonBody body, Limits limits) {
    String temporal = body.string(TEMPORAL);
    Scoped scoped = Scoped.read(body, limits);
    String query = body.string(SEMANTIC_QUERY);
    Integer limit = body.integer(LIMIT);
    if (temporal == null) {
      body.invalid(TEMPORAL.field(), "is required, for example 'yesterday'");
    }
    return body.build(() -> scoped.search(query, limit(limit), null, null, TagMatch.ALL, null,
        null, null, null, null, temporal, null, null));
  }

  /**
   * A search of memories carrying all or any of the tags.
   *
   * @throws InvalidRequestException listing every problem of the body
   */
  public static SearchRequest tagSearch(JsonBody body, Limits limits) {
    List<String> tags = body.strings(LabelsJson.TAGS);
    Scoped scoped = Scoped.read(body, limits);
    String query = body.string(SEMANTIC_QUERY);
    Boolean matchAll = body.bool(MATCH_ALL);
    Integer limit = body.integer(LIMIT);
    if (tags == null || tags.isEmpty()) {
      body.invalid(LabelsJson.TAGS.field(), "must name at least one tag");
    }
    return body.build(() -> scoped.search(query, limit(limit), null, tags,
        matchAll == null || matchAll ? TagMatch.ALL : TagMatch.ANY, null, null, null, null,
        null, null, null, null));
  }

  /**
   * A search of memories mentioning any of the people.
   *
   * @throws InvalidRequestException listing every problem of the body
   */
  public static SearchRequest peopleSearch(JsonBody body, Limits limits) {
    List<String> people = body.strings(PEOPLE);
    Scoped scoped = Scoped.read(body, limits);
    String query = body.string(SEMANTIC_QUERY);
    Integer limit = body.integer(LIMIT);
    if (people == null || people.isEmpty()) {
      body.invalid(PEOPLE.field(), "must name at least one person");
    }
    return body.build(() -> scoped.search(query, limit(limit), null, null, TagMatch.ALL, people,
        null, null, null, null, null, null, null));
  }
}

package io.inmemory.wire;

import static io.inmemory.wire.Answers.counts;
import static io.inmemory.wire.Answers.instant;
import static io.inmemory.wire.Answers.list;
import static io.inmemory.wire.Answers.member;
import static io.inmemory.wire.Answers.optionalString;
import static io.inmemory.wire.Answers.string;
import static io.inmemory.wire.Answers.text;
import static io.inmemory.wire.Schemas.anyObject;
import static io.inmemory.wire.Schemas.array;
import static io.inmemory.wire.Schemas.bool;
import static io.inmemory.wire.Schemas.counts;
import static io.inmemory.wire.Schemas.instant;
import static io.inmemory.wire.Schemas.integer;
import static io.inmemory.wire.Schemas.map;
import static io.inmemory.wire.Schemas.nullable;
import static io.inmemory.wire.Schemas.number;
import static io.inmemory.wire.Schemas.object;
import static io.inmemory.wire.Schemas.ref;
import static io.inmemory.wire.Schemas.str;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.AddResult;
import io.inmemory.ConversationResult;
import io.inmemory.EventType;
import io.inmemory.Health;
import io.inmemory.HistoryEntry;
import io.inmemory.MemoryEvent;
import io.inmemory.MemoryRecord;
import io.inmemory.Page;
import io.inmemory.SearchHit;
import io.inmemory.SearchResult;
import io.inmemory.TimeRange;
import io.inmemory.TransportException;
import io.inmemory.UserStats;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The answers of the memory and system endpoints: the server writes them, the client reads them
 * back. Enumerations are lower-cased names (the health's statuses are upper-case, as
 * {@link Health.Status} spells them). A reader throws {@link TransportException} when a member
 * is missing. Stateless and thread-safe.
 */
public final class ResultJson {
  public static final Member MEMORY = new Member("memory", ref("Memory"));
  public static final Member RESULTS = new Member("results", array(ref("AddResult")));
  public static final Member DELETED = new Member("deleted", bool());
  public static final Member DELETED_COUNT = new Member("deleted_count", "deletedCount",
      integer());
  public static final Member SCORE = new Member("score", number());
  public static final Member HITS = new Member("hits",
      array(object(List.of(MEMORY, SCORE), MEMORY, SCORE)));
  public static final Member RANKING = new Member("ranking",
      lowerCase(SearchResult.Ranking.values()));
  public static final Member START = new Member("start", nullable("string"));
  public static final Member END = new Member("end", nullable("string"));
  public static final Member TIME_RANGE = new Member("time_range", "timeRange",
      map("type", List.of("object", "null"), "properties",
          map(START.name(), START.schema(), END.name(), END.schema())));
  public static final Member ITEMS = new Member("items", array(ref("Memory")));
  public static final Member OFFSET = new Member("offset", integer());
  public static final Member TOTAL = new Member("total", integer());
  public static final Member HAS_MORE = new Member("has_more", "hasMore", bool());
  public static final Member MEMORY_ID = new Member("memory_id", "memoryId", str());
  public static final Member EVENT = new Member("event", lowerCase(HistoryEntry.Event.values()));
  public static final Member PREVIOUS_CONTENT = new Member("previous_content", "previousContent",
      nullable("string"));
  public static final Member NEW_CONTENT = new Member("new_content", "newContent",
      nullable("string"));
  public static final Member AT = new Member("at", instant());
  /** SUPERSEDE: the successor's id; the successor's ADD: the superseded memory's id. */
  public static final Member RELATED_ID = new Member("related_id", "relatedId",
      nullable("string"));
  public static final Member ENTRIES = new Member("entries", array(object(
      List.of(MEMORY_ID, MemoryJson.USER_ID_OUT, EVENT, AT), MEMORY_ID, MemoryJson.USER_ID_OUT,
      EVENT, PREVIOUS_CONTENT, NEW_CONTENT, AT, MemoryJson.AGENT_ID_OUT, RELATED_ID)));
  /** What an addition did: {@code add}, or {@code none} when it answers an existing memory. */
  public static final Member ADD_EVENT = new Member("event", lowerCase(EventType.values()));
  public static final Member PREVIOUS_MEMORY_ID = new Member("previous_memory_id", "previousId",
      nullable("string"));
  public static final Member EVENTS = new Member("events", array(object(
      List.of(ADD_EVENT, MEMORY), ADD_EVENT, MEMORY, PREVIOUS_MEMORY_ID, PREVIOUS_CONTENT)));
  public static final Member EXTRACTED = new Member("extracted", bool());
  public static final Member STORED_RAW = new Member("stored_raw", "storedRaw", bool());
  public static final Member EXTRACTION_ERROR = new Member("extraction_error",
      "extractionError", nullable("string"));
  public static final Member SUPERSEDED_COUNT = new Member("superseded_count", "supersededCount",
      integer());
  public static final Member MEMORY_COUNT = new Member("memory_count", "memoryCount", integer());
  public static final Member FIRST_CREATED_AT = new Member("first_created_at", "firstCreatedAt",
      nullable("string"));
  public static final Member LAST_CREATED_AT = new Member("last_created_at", "lastCreatedAt",
      nullable("string"));
  public static final Member TAG_COUNTS = new Member("tag_counts", "tagCounts", counts());
  public static final Member PEOPLE_COUNTS = new Member("people_counts", "peopleCounts",
      counts());
  public static final Member TOPIC_COUNTS = new Member("topic_counts", "topicCounts", counts());
  /** The status of a ping. */
  public static final Member STATUS = new Member("status", str());
  /** The status of a health report or one of its components. */
  public static final Member HEALTH_STATUS = STATUS.withSchema(Schemas.oneOf(
      Arrays.stream(Health.Status.values()).map(Enum::name).toArray(String[]::new)));
  public static final Member VERSION = new Member("version", str());
  public static final Member COMPONENTS = new Member("components", anyObject());
  public static final Member LATENCY_MS = new Member("latency_ms", "latency", number());
  public static final Member DETAIL = new Member("detail", str());
  public static final Member CHECKED_AT = new Member("checked_at", "checkedAt", instant());

  private ResultJson() {}

  private static Map<String, Object> lowerCase(Enum<?>[] values) {
    return Schemas.oneOf(Arrays.stream(values).map(ResultJson::name).toArray(String[]::new));
  }

  private static String name(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  // ------------------------------------------------------------------ the server writes

  public static Map<String, Object> addResult(AddResult result) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(MEMORY.name(), MemoryJson.write(result.memory()));
    json.put(ADD_EVENT.name(), name(result.event()));
    return json;
  }

  /** What a conversation add did, event by event. */
  public static Map<String, Object> conversationResult(ConversationResult result) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(EVENTS.name(), result.events().stream().map(event -> {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put(ADD_EVENT.name(), name(event.type()));
      e.put(MEMORY.name(), MemoryJson.write(event.memory()));
      e.put(PREVIOUS_MEMORY_ID.name(), event.previousId());
      e.put(PREVIOUS_CONTENT.name(), event.previousContent());
      return e;
    }).toList());
    json.put(EXTRACTED.name(), result.extracted());
    json.put(STORED_RAW.name(), result.storedRaw());
    json.put(EXTRACTION_ERROR.name(), result.extractionError());
    return json;
  }

  public static Map<String, Object> addResults(List<AddResult> results) {
    return Map.of(RESULTS.name(), results.stream().map(ResultJson::addResult).toList());
  }

  public static Map<String, Object> deleted(boolean deleted) {
    return Map.of(DELETED.name(), deleted);
  }

  public static Map<String, Object> deletedCount(long count) {
    return Map.of(DELETED_COUNT.name(), count);
  }

  public static Map<String, Object> searchResult(SearchResult result) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(HITS.name(), result.hits().stream().map(ResultJson::hit).toList());
    json.put(RANKING.name(), name(result.ranking()));
    json.put(TIME_RANGE.name(), result.timeRange().map(ResultJson::timeRange).orElse(null));
    return json;
  }

  private static Map<String, Object> hit(SearchHit hit) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(MEMORY.name(), MemoryJson.write(hit.memory()));
    json.put(SCORE.name(), hit.score());
    return json;
  }

  private static Map<String, Object> timeRange(TimeRange range) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(START.name(), text(range.start()));
    json.put(END.name(), text(range.end()));
    return json;
  }

  public static Map<String, Object> page(Page<MemoryRecord> page) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(ITEMS.name(), page.items().stream().map(MemoryJson::write).toList());
    json.put(OFFSET.name(), page.offset());
    json.put(RequestJson.LIMIT.name(), page.limit());
    json.put(TOTAL.name(), page.total());
    json.put(HAS_MORE.name(), page.hasMore());
    return json;
  }

  public static Map<String, Object> history(List<HistoryEntry> entries) {
    return Map.of(ENTRIES.name(), entries.stream().map(ResultJson::historyEntry).toList());
  }

  /** One change of a memory, as a history and an export write it. */
  static Map<String, Object> historyEntry(HistoryEntry entry) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(MEMORY_ID.name(), entry.memoryId());
    json.put(MemoryJson.USER_ID.name(), entry.userId());
    json.put(EVENT.name(), name(entry.event()));
    json.put(PREVIOUS_CONTENT.name(), entry.previousContent());
    json.put(NEW_CONTENT.name(), entry.newContent());
    json.put(AT.name(), text(entry.at()));
    json.put(MemoryJson.AGENT_ID.name(), entry.agentId());
    json.put(RELATED_ID.name(), entry.relatedId());
    return json;
  }

  public static Map<String, Object> userStats(UserStats stats) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(MemoryJson.USER_ID.name(), stats.userId());
    json.put(MEMORY_COUNT.name(), stats.memoryCount());
    json.put(FIRST_CREATED_AT.name(), text(stats.firstCreatedAt()));
    json.put(LAST_CREATED_AT.name(), text(stats.lastCreatedAt()));
    json.put(TAG_COUNTS.name(), stats.tagCounts());
    json.put(PEOPLE_COUNTS.name(), stats.peopleCounts());
    json.put(TOPIC_COUNTS.name(), stats.topicCounts());
    json.put(MemoryJson.AGENT_ID.name(), stats.agentId());
    json.put(MemoryJson.SESSION_ID.name(), stats.sessionId());
    json.put(SUPERSEDED_COUNT.name(), stats.supersededCount());
    return json;
  }

  /** A health report, its components sorted by name. */
  public static Map<String, Object> health(Health health) {
    Map<String, Object> components = new LinkedHashMap<>();
    health.components().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      Map<String, Object> component = new LinkedHashMap<>();
      component.put(HEALTH_STATUS.name(), e.getValue().status().name());
      component.put(LATENCY_MS.name(), e.getValue().latency().toNanos() / 1e6);
      component.put(DETAIL.name(), e.getValue().detail());
      components.put(e.getKey(), component);
    });
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(HEALTH_STATUS.name(), health.status().name());
    json.put(VERSION.name(), health.version());
    json.put(COMPONENTS.name(), components);
    json.put(CHECKED_AT.name(), text(health.checkedAt()));
    return json;
  }

  /** The answer of a ping: the server is up, at {@code version}. */
  public static Map<String, Object> ping(String version) {
    return Map.of(STATUS.name(), "ok", VERSION.name(), version);
  }

  // ------------------------------------------------------------------ the client reads

  /** An addition's result; an answer without {@code event} (an earlier server) is an ADD. */
  public static AddResult readAddResult(JsonNode json) {
    String event = optionalString(json, ADD_EVENT);
    return new AddResult(MemoryJson.read(member(json, MEMORY)),
        event == null ? EventType.ADD : eventType(event));
  }

  public static ConversationResult readConversationResult(JsonNode json) {
    return new ConversationResult(list(member(json, EVENTS), event -> new MemoryEvent(
            eventType(string(event, ADD_EVENT)), MemoryJson.read(member(event, MEMORY)),
            optionalString(event, PREVIOUS_MEMORY_ID), optionalString(event, PREVIOUS_CONTENT))),
        member(json, EXTRACTED).asBoolean(), member(json, STORED_RAW).asBoolean(),
        optionalString(json, EXTRACTION_ERROR));
  }

  private static EventType eventType(String name) {
    return EventType.valueOf(name.toUpperCase(Locale.ROOT));
  }

  public static List<AddResult> readAddResults(JsonNode json) {
    return list(member(json, RESULTS), ResultJson::readAddResult);
  }

  public static boolean readDeleted(JsonNode json) {
    return member(json, DELETED).asBoolean();
  }

  public static long readDeletedCount(JsonNode json) {
    return member(json, DELETED_COUNT).asLong();
  }

  public static SearchResult readSearchResult(JsonNode json) {
    JsonNode range = json.path(TIME_RANGE.name());
    return new SearchResult(
        list(member(json, HITS), hit -> new SearchHit(MemoryJson.read(member(hit, MEMORY)),
            member(hit, SCORE).asDouble())),
        SearchResult.Ranking.valueOf(string(json, RANKING).toUpperCase(Locale.ROOT)),
        range.isObject()
            ? Optional.of(new TimeRange(instant(range, START), instant(range, END)))
            : Optional.empty());
  }

  public static Page<MemoryRecord> readPage(JsonNode json) {
    return new Page<>(list(member(json, ITEMS), MemoryJson::read), member(json, OFFSET).asInt(),
        member(json, RequestJson.LIMIT).asInt(), member(json, TOTAL).asLong());
  }

  public static List<HistoryEntry> readHistory(JsonNode json) {
    return list(member(json, ENTRIES), ResultJson::readHistoryEntry);
  }

  static HistoryEntry readHistoryEntry(JsonNode entry) {
    return new HistoryEntry(string(entry, MEMORY_ID),
        optionalString(entry, MemoryJson.USER_ID),
        HistoryEntry.Event.valueOf(string(entry, EVENT).toUpperCase(Locale.ROOT)),
        optionalString(entry, PREVIOUS_CONTENT), optionalString(entry, NEW_CONTENT),
        instant(entry, AT), optionalString(entry, MemoryJson.AGENT_ID),
        optionalString(entry, RELATED_ID));
  }

  public static UserStats readUserStats(JsonNode json) {
    return new UserStats(optionalString(json, MemoryJson.USER_ID),
        member(json, MEMORY_COUNT).asLong(), instant(json, FIRST_CREATED_AT),
        instant(json, LAST_CREATED_AT), counts(member(json, TAG_COUNTS)),
        counts(member(json, PEOPLE_COUNTS)), counts(member(json, TOPIC_COUNTS)),
        optionalString(json, MemoryJson.AGENT_ID), optionalString(json, MemoryJson.SESSION_ID),
        json.path(SUPERSEDED_COUNT.name()).asLong(0));
  }

  public static Health readHealth(JsonNode json) {
    Map<String, Health.Component> components = new LinkedHashMap<>();
    member(json, COMPONENTS).fields().forEachRemaining(entry -> components.put(entry.getKey(),
        new Health.Component(
            Health.Status.valueOf(string(entry.getValue(), HEALTH_STATUS)),
            Duration.ofNanos(Math.round(member(entry.getValue(), LATENCY_MS).asDouble() * 1e6)),
            string(entry.getValue(), DETAIL))));
    return new Health(Health.Status.valueOf(string(json, HEALTH_STATUS)), string(json, VERSION),
        components, instant(json, CHECKED_AT));
  }
}

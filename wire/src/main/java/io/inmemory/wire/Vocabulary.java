package io.inmemory.wire;

import static io.inmemory.wire.LabelsJson.METADATA;
import static io.inmemory.wire.LabelsJson.PEOPLE_IN;
import static io.inmemory.wire.LabelsJson.TAGS_IN;
import static io.inmemory.wire.MemoryJson.CONTENT;
import static io.inmemory.wire.MemoryJson.CREATED_AT;
import static io.inmemory.wire.MemoryJson.USER_ID;
import static io.inmemory.wire.Schemas.object;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named schemas of every object the server and the managed client share, built from the
 * codecs' {@link Member}s, for the {@code components.schemas} of the OpenAPI document (whose
 * {@code $ref}s name them). Stateless and thread-safe.
 */
public final class Vocabulary {
  private Vocabulary() {}

  /** Every shared object's schema by name, in the document's order; a new mutable map. */
  public static Map<String, Object> schemas() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("Memory", object(List.of(MemoryJson.ID, USER_ID, CONTENT, CREATED_AT,
            MemoryJson.UPDATED_AT),
        MemoryJson.ID, USER_ID, CONTENT, LabelsJson.TAGS, LabelsJson.PEOPLE, LabelsJson.TOPIC,
        METADATA, CREATED_AT, MemoryJson.UPDATED_AT));
    s.put("AddMemoryRequest", object(List.of(CONTENT, USER_ID),
        CONTENT, USER_ID, TAGS_IN, PEOPLE_IN, RequestJson.TOPIC_IN, METADATA, CREATED_AT));
    s.put("AddMemoriesRequest", object(List.of(RequestJson.MEMORIES), RequestJson.MEMORIES));
    s.put("AddResult", object(List.of(ResultJson.MEMORY), ResultJson.MEMORY));
    s.put("AddResults", object(List.of(ResultJson.RESULTS), ResultJson.RESULTS));
    s.put("UpdateMemoryRequest", object(List.of(),
        CONTENT, TAGS_IN, PEOPLE_IN, RequestJson.TOPIC_CHANGE, METADATA));
    s.put("SearchRequest", object(List.of(USER_ID),
        RequestJson.QUERY, USER_ID, RequestJson.LIMIT, RequestJson.THRESHOLD, TAGS_IN,
        RequestJson.TAG_MATCH, PEOPLE_IN, RequestJson.TOPIC_IN, METADATA,
        RequestJson.CREATED_AFTER, RequestJson.CREATED_BEFORE, RequestJson.TEMPORAL,
        RequestJson.REFERENCE_TIME, RequestJson.TIME_ZONE));
    s.put("TemporalSearchRequest", object(List.of(RequestJson.TEMPORAL, USER_ID),
        RequestJson.TEMPORAL, USER_ID, RequestJson.SEMANTIC_QUERY, RequestJson.LIMIT));
    s.put("TagSearchRequest", object(List.of(TAGS_IN, USER_ID),
        TAGS_IN, USER_ID, RequestJson.SEMANTIC_QUERY, RequestJson.MATCH_ALL, RequestJson.LIMIT));
    s.put("PeopleSearchRequest", object(List.of(RequestJson.PEOPLE, USER_ID),
        RequestJson.PEOPLE, USER_ID, RequestJson.SEMANTIC_QUERY, RequestJson.LIMIT));
    s.put("SearchResult", object(List.of(ResultJson.HITS, ResultJson.RANKING),
        ResultJson.HITS, ResultJson.RANKING, ResultJson.TIME_RANGE));
    s.put("MemoryPage", object(List.of(ResultJson.ITEMS, ResultJson.OFFSET, RequestJson.LIMIT,
            ResultJson.TOTAL, ResultJson.HAS_MORE),
        ResultJson.ITEMS, ResultJson.OFFSET, RequestJson.LIMIT, ResultJson.TOTAL,
        ResultJson.HAS_MORE));
    s.put("Deleted", object(List.of(ResultJson.DELETED), ResultJson.DELETED));
    s.put("DeletedCount", object(List.of(ResultJson.DELETED_COUNT), ResultJson.DELETED_COUNT));
    s.put("History", object(List.of(ResultJson.ENTRIES), ResultJson.ENTRIES));
    s.put("UserStats", object(List.of(USER_ID, ResultJson.MEMORY_COUNT),
        USER_ID, ResultJson.MEMORY_COUNT, ResultJson.FIRST_CREATED_AT,
        ResultJson.LAST_CREATED_AT, ResultJson.TAG_COUNTS, ResultJson.PEOPLE_COUNTS,
        ResultJson.TOPIC_COUNTS));
    s.put("Ping", object(List.of(ResultJson.STATUS), ResultJson.STATUS, ResultJson.VERSION));
    s.put("Health", object(List.of(ResultJson.HEALTH_STATUS, ResultJson.COMPONENTS),
        ResultJson.HEALTH_STATUS, ResultJson.VERSION, ResultJson.COMPONENTS, ResultJson.CHECKED_AT));
    s.put("Problem", object(List.of(ProblemJson.TYPE, ProblemJson.TITLE, ProblemJson.STATUS),
        ProblemJson.TYPE, ProblemJson.TITLE, ProblemJson.STATUS, ProblemJson.DETAIL,
        ProblemJson.INSTANCE, ProblemJson.REQUEST_ID, ProblemJson.VIOLATIONS,
        ProblemJson.RETRY_AFTER_SECONDS));
    return s;
  }
}

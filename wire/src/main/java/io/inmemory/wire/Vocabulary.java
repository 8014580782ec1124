package io.inmemory.wire;

import static io.inmemory.wire.FilterJson.FILTERS;
import static io.inmemory.wire.LabelsJson.METADATA;
import static io.inmemory.wire.LabelsJson.PEOPLE_IN;
import static io.inmemory.wire.LabelsJson.TAGS_IN;
import static io.inmemory.wire.MemoryJson.CONTENT;
import static io.inmemory.wire.MemoryJson.AGENT_ID;
import static io.inmemory.wire.MemoryJson.CREATED_AT;
import static io.inmemory.wire.MemoryJson.SESSION_ID;
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
    s.put("Memory", object(List.of(MemoryJson.ID, CONTENT, CREATED_AT, MemoryJson.UPDATED_AT),
        MemoryJson.ID, MemoryJson.USER_ID_OUT, CONTENT, LabelsJson.TAGS, LabelsJson.PEOPLE,
        LabelsJson.TOPIC, METADATA, CREATED_AT, MemoryJson.UPDATED_AT, MemoryJson.AGENT_ID_OUT,
        MemoryJson.SESSION_ID_OUT, MemoryJson.ROLE_OUT, MemoryJson.VALID_FROM,
        MemoryJson.INVALID_AT, MemoryJson.SUPERSEDED_BY));
    s.put("AddMemoryRequest", object(List.of(CONTENT),
        CONTENT, USER_ID, AGENT_ID, SESSION_ID, TAGS_IN, PEOPLE_IN, RequestJson.TOPIC_IN,
        METADATA, CREATED_AT, MemoryJson.ROLE, MemoryJson.VALID_FROM, RequestJson.DEDUPLICATE));
    s.put("Message", object(List.of(MemoryJson.ROLE, RequestJson.MESSAGE_CONTENT),
        MemoryJson.ROLE, RequestJson.MESSAGE_CONTENT, RequestJson.NAME, RequestJson.TIMESTAMP,
        MemoryJson.ID, METADATA));
    s.put("AddConversationRequest", object(List.of(RequestJson.MESSAGES),
        RequestJson.MESSAGES, USER_ID, AGENT_ID, SESSION_ID, TAGS_IN, RequestJson.TOPIC_IN,
        METADATA, RequestJson.ROLES, RequestJson.INFER, RequestJson.INSTRUCTIONS,
        RequestJson.STORE_RAW_ON_FAILURE, RequestJson.TIME_ZONE));
    s.put("AddMemoryOrConversationRequest", Schemas.map("description", "A memory"
        + " (memory_content) or a conversation (messages): exactly one of the two.", "oneOf",
        List.of(Schemas.ref("AddMemoryRequest"), Schemas.ref("AddConversationRequest"))));
    s.put("AddMemoriesRequest", object(List.of(RequestJson.MEMORIES), RequestJson.MEMORIES));
    s.put("AddResult", object(List.of(ResultJson.MEMORY), ResultJson.MEMORY,
        ResultJson.ADD_EVENT));
    s.put("ConversationResult", object(List.of(ResultJson.EVENTS, ResultJson.EXTRACTED,
            ResultJson.STORED_RAW),
        ResultJson.EVENTS, ResultJson.EXTRACTED, ResultJson.STORED_RAW,
        ResultJson.EXTRACTION_ERROR));
    s.put("AddMemoryOrConversationResult", Schemas.map("description", "An AddResult for a"
        + " memory, a ConversationResult for a conversation.", "oneOf",
        List.of(Schemas.ref("AddResult"), Schemas.ref("ConversationResult"))));
    s.put("AddResults", object(List.of(ResultJson.RESULTS), ResultJson.RESULTS));
    s.put("UpdateMemoryRequest", object(List.of(),
        CONTENT, TAGS_IN, PEOPLE_IN, RequestJson.TOPIC_CHANGE, METADATA));
    s.put("SearchRequest", object(List.of(),
        RequestJson.QUERY, USER_ID, AGENT_ID, SESSION_ID, RequestJson.LIMIT,
        RequestJson.THRESHOLD, TAGS_IN, RequestJson.TAG_MATCH, PEOPLE_IN, RequestJson.TOPIC_IN,
        METADATA, RequestJson.CREATED_AFTER, RequestJson.CREATED_BEFORE, RequestJson.TEMPORAL,
        RequestJson.REFERENCE_TIME, RequestJson.TIME_ZONE, FILTERS,
        RequestJson.INCLUDE_SUPERSEDED));
    s.put("TemporalSearchRequest", object(List.of(RequestJson.TEMPORAL),
        RequestJson.TEMPORAL, USER_ID, AGENT_ID, SESSION_ID, RequestJson.SEMANTIC_QUERY,
        RequestJson.LIMIT, FILTERS, RequestJson.INCLUDE_SUPERSEDED));
    s.put("TagSearchRequest", object(List.of(TAGS_IN),
        TAGS_IN, USER_ID, AGENT_ID, SESSION_ID, RequestJson.SEMANTIC_QUERY,
        RequestJson.MATCH_ALL, RequestJson.LIMIT, FILTERS, RequestJson.INCLUDE_SUPERSEDED));
    s.put("PeopleSearchRequest", object(List.of(RequestJson.PEOPLE),
        RequestJson.PEOPLE, USER_ID, AGENT_ID, SESSION_ID, RequestJson.SEMANTIC_QUERY,
        RequestJson.LIMIT, FILTERS, RequestJson.INCLUDE_SUPERSEDED));
    s.put("ListMemoriesRequest", object(List.of(),
        USER_ID, AGENT_ID, SESSION_ID, FILTERS, RequestJson.INCLUDE_SUPERSEDED,
        RequestJson.LIMIT, RequestJson.OFFSET));
    s.put("Filter", FilterJson.schema());
    s.put("SearchResult", object(List.of(ResultJson.HITS, ResultJson.RANKING),
        ResultJson.HITS, ResultJson.RANKING, ResultJson.TIME_RANGE));
    s.put("MemoryPage", object(List.of(ResultJson.ITEMS, ResultJson.OFFSET, RequestJson.LIMIT,
            ResultJson.TOTAL, ResultJson.HAS_MORE),
        ResultJson.ITEMS, ResultJson.OFFSET, RequestJson.LIMIT, ResultJson.TOTAL,
        ResultJson.HAS_MORE));
    s.put("Deleted", object(List.of(ResultJson.DELETED), ResultJson.DELETED));
    s.put("DeletedCount", object(List.of(ResultJson.DELETED_COUNT), ResultJson.DELETED_COUNT));
    s.put("History", object(List.of(ResultJson.ENTRIES), ResultJson.ENTRIES));
    s.put("UserStats", object(List.of(ResultJson.MEMORY_COUNT),
        MemoryJson.USER_ID_OUT, ResultJson.MEMORY_COUNT, ResultJson.FIRST_CREATED_AT,
        ResultJson.LAST_CREATED_AT, ResultJson.TAG_COUNTS, ResultJson.PEOPLE_COUNTS,
        ResultJson.TOPIC_COUNTS, MemoryJson.AGENT_ID_OUT, MemoryJson.SESSION_ID_OUT,
        ResultJson.SUPERSEDED_COUNT));
    s.put("Ping", object(List.of(ResultJson.STATUS), ResultJson.STATUS, ResultJson.VERSION));
    s.put("Health", object(List.of(ResultJson.HEALTH_STATUS, ResultJson.COMPONENTS),
        ResultJson.HEALTH_STATUS, ResultJson.VERSION, ResultJson.COMPONENTS, ResultJson.CHECKED_AT));
    s.put("Problem", object(List.of(ProblemJson.TYPE, ProblemJson.TITLE, ProblemJson.STATUS),
        ProblemJson.TYPE, ProblemJson.TITLE, ProblemJson.STATUS, ProblemJson.DETAIL,
        ProblemJson.INSTANCE, ProblemJson.REQUEST_ID, ProblemJson.VIOLATIONS,
        ProblemJson.RETRY_AFTER_SECONDS, ProblemJson.REASON, ProblemJson.UPSTREAM_STATUS));
    s.putAll(BatchJson.schemas());
    s.putAll(ArchiveJson.schemas());
    return s;
  }
}

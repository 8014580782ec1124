package io.inmemory;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A search within the memories of one scope: a user's (all of them, or one agent's or session's)
 * or an agent's own. Built with {@link #builder(Scope)} or {@link #builder(String)}; the constructor
 * validates and throws {@link InvalidRequestException} listing every problem (text with a lone
 * UTF-16 surrogate among them), so no filter or option is ever silently ignored. Sizes (the
 * query's, the temporal phrase's, the filters') are checked by the client against its configured
 * {@link Limits}.
 *
 * <p>With a {@code query}, hits are ranked by relevance (see {@link SearchResult.Ranking}); without
 * one, every memory that passes the filters is returned newest first. Filters combine with AND:
 * tags (all of them, or any with {@link TagMatch#ANY}), people (any of them, case-insensitive),
 * topic (exact, lower-cased), metadata (each given top-level key equal), creation time (within
 * {@code [createdAfter, createdBefore)} and within the {@code temporal} phrase's range). The
 * result is the true top {@code limit} among the memories that pass, however selective the
 * filters.
 *
 * @param query what to look for by meaning, or {@code null} to list by recency
 * @param userId whose memories to search, or {@code null} for an agent's own memories
 * @param limit how many hits at most, 1 to {@link #MAX_LIMIT}
 * @param threshold the minimum score a hit must reach, or {@code null}; needs a query
 * @param tags tags to filter by, possibly empty
 * @param tagMatch how {@code tags} combine
 * @param people people to filter by (any of them), possibly empty
 * @param topic the topic to filter by, or {@code null}
 * @param metadata metadata entries that must be equal, possibly empty
 * @param createdAfter inclusive lower bound on creation time, or {@code null}
 * @param createdBefore exclusive upper bound on creation time, or {@code null}
 * @param temporal a time phrase such as "yesterday" or "last week", or {@code null}
 * @param referenceTime the instant {@code temporal} is resolved against, or {@code null} for now
 * @param zone the time zone {@code temporal} is resolved in, or {@code null} for the configured one
 * @param agentId the agent whose memories to search (the owner when {@code userId} is
 *     {@code null}), or {@code null} for every agent's
 * @param sessionId the session whose memories to search, or {@code null} for every session's
 * @param filter a further condition the memories must meet, ANDed with the others, or
 *     {@code null}
 * @param includeSuperseded whether memories a newer fact superseded are searched too
 */
public record SearchRequest(
    @Nullable String query,
    @Nullable String userId,
    int limit,
    @Nullable Double threshold,
    List<String> tags,
    TagMatch tagMatch,
    List<String> people,
    @Nullable String topic,
    Map<String, Object> metadata,
    @Nullable Instant createdAfter,
    @Nullable Instant createdBefore,
    @Nullable String temporal,
    @Nullable Instant referenceTime,
    @Nullable ZoneId zone,
    @Nullable String agentId,
    @Nullable String sessionId,
    @Nullable MemoryFilter filter,
    boolean includeSuperseded) {

  /** The default number of hits. */
  public static final int DEFAULT_LIMIT = 10;
  /** The largest {@code limit} any search or listing accepts. */
  public static final int MAX_LIMIT = 1000;

  public SearchRequest {
    Values values = Values.forRequest();
    values.scope(userId, agentId, sessionId);
    if (query != null && query.isBlank()) {
      values.add("query", "must not be blank (omit it to list by recency)");
    }
    values.text("query", query);
    values.limit("limit", limit, MAX_LIMIT);
    if (threshold != null) {
      if (query == null) {
        values.add("threshold", "needs a query: without one, hits are not scored");
      }
      if (threshold.isNaN() || threshold < -1 || threshold > 1) {
        values.add("threshold", "must be between -1 and 1, was " + threshold);
      }
    }
    Labels.Normalized labels = Labels.normalize(values, tags, people, topic, metadata);
    tags = labels.tags();
    people = labels.people();
    topic = labels.topic();
    metadata = labels.metadata();
    if (tagMatch == null) {
      tagMatch = TagMatch.ALL;
    }
    createdAfter = values.instant("createdAfter", createdAfter);
    createdBefore = values.instant("createdBefore", createdBefore);
    if (createdAfter != null && createdBefore != null && !createdAfter.isBefore(createdBefore)) {
      values.add("createdBefore", "must be after createdAfter");
    }
    if (temporal != null && temporal.isBlank()) {
      values.add("temporal", "must not be blank (omit it for no time filter)");
    }
    values.text("temporal", temporal);
    if (temporal == null && referenceTime != null) {
      values.add("referenceTime", "needs a temporal phrase to resolve");
    }
    if (temporal == null && zone != null) {
      values.add("zone", "needs a temporal phrase to resolve");
    }
    values.throwIfAny();
  }

  /** A search of a user's memories, every agent and session, current memories only. */
  public SearchRequest(@Nullable String query, String userId, int limit,
      @Nullable Double threshold, List<String> tags, TagMatch tagMatch, List<String> people,
      @Nullable String topic, Map<String, Object> metadata, @Nullable Instant createdAfter,
      @Nullable Instant createdBefore, @Nullable String temporal, @Nullable Instant referenceTime,
      @Nullable ZoneId zone) {
    this(query, userId, limit, threshold, tags, tagMatch, people, topic, metadata, createdAfter,
        createdBefore, temporal, referenceTime, zone, null, null, null, false);
  }

  /**
   * Whether any filter beyond the owner is set: an agent or session restriction, a label, time or
   * {@link MemoryFilter} filter, or the inclusion of superseded memories.
   */
  public boolean hasFilters() {
    return !tags.isEmpty() || !people.isEmpty() || topic != null || !metadata.isEmpty()
        || createdAfter != null || createdBefore != null || temporal != null
        || (agentId != null && userId != null) || sessionId != null || filter != null
        || includeSuperseded;
  }

  /** Whose memories are searched. */
  public Scope scope() {
    return new Scope(userId, agentId, sessionId);
  }

  /** The tag, people, topic and metadata filters as one value. */
  public Labels labels() {
    return new Labels(tags, people, topic, metadata);
  }

  public static Builder builder(String userId) {
    return new Builder(userId, null, null);
  }

  /** A search of {@code scope}'s memories. */
  public static Builder builder(Scope scope) {
    return new Builder(scope.userId(), scope.agentId(), scope.sessionId());
  }

  /**
   * Memories created within a time phrase: ranked by {@code semanticQuery} when given, newest
   * first when it is {@code null}.
   */
  public static SearchRequest forTime(
      String temporalQuery, String userId, @Nullable String semanticQuery, int limit) {
    if (temporalQuery == null) {
      throw new InvalidRequestException("temporal", "is required, for example 'yesterday'");
    }
    return builder(userId).temporal(temporalQuery).query(semanticQuery).limit(limit).build();
  }

  /** Memories carrying all ({@code matchAll}) or any of the tags; see {@link #forTime}. */
  public static SearchRequest forTags(
      List<String> tags, String userId, @Nullable String semanticQuery, boolean matchAll,
      int limit) {
    if (tags == null || tags.isEmpty()) {
      throw new InvalidRequestException("tags", "must name at least one tag");
    }
    return builder(userId).tags(tags, matchAll ? TagMatch.ALL : TagMatch.ANY)
        .query(semanticQuery).limit(limit).build();
  }

  /** Memories mentioning any of the people (case-insensitive); see {@link #forTime}. */
  public static SearchRequest forPeople(
      List<String> people, String userId, @Nullable String semanticQuery, int limit) {
    if (people == null || people.isEmpty()) {
      throw new InvalidRequestException("people", "must name at least one person");
    }
    return builder(userId).people(people).query(semanticQuery).limit(limit).build();
  }

  /**
   * Builds a {@link SearchRequest}; not thread-safe. Memories must carry all the tags given
   * without a {@link TagMatch}, and mention at least one of the people.
   */
  public static final class Builder extends Labels.Setters<Builder> {
    private final @Nullable String userId;
    private final @Nullable String agentId;
    private final @Nullable String sessionId;
    private @Nullable String query;
    private int limit = DEFAULT_LIMIT;
    private @Nullable Double threshold;
    private @Nullable TagMatch tagMatch = TagMatch.ALL;
    private @Nullable Instant createdAfter;
    private @Nullable Instant createdBefore;
    private @Nullable String temporal;
    private @Nullable Instant referenceTime;
    private @Nullable ZoneId zone;
    private @Nullable MemoryFilter filter;
    private boolean includeSuperseded;

    private Builder(@Nullable String userId, @Nullable String agentId,
        @Nullable String sessionId) {
      super(List.of(), List.of(), Map.of());
      this.userId = userId;
      this.agentId = agentId;
      this.sessionId = sessionId;
    }

    public Builder query(@Nullable String query) {
      this.query = query;
      return this;
    }

    public Builder limit(int limit) {
      this.limit = limit;
      return this;
    }

    public Builder threshold(@Nullable Double threshold) {
      this.threshold = threshold;
      return this;
    }

    /** Memories must carry all of these tags. */
    @Override
    public Builder tags(@Nullable List<String> tags) {
      return tags(tags, TagMatch.ALL);
    }

    /** Memories must carry these tags as {@code match} says ({@code null}: all of them). */
    public Builder tags(@Nullable List<String> tags, @Nullable TagMatch match) {
      super.tags(tags);
      this.tagMatch = match;
      return this;
    }

    public Builder createdAfter(@Nullable Instant createdAfter) {
      this.createdAfter = createdAfter;
      return this;
    }

    public Builder createdBefore(@Nullable Instant createdBefore) {
      this.createdBefore = createdBefore;
      return this;
    }

    public Builder temporal(@Nullable String temporal) {
      this.temporal = temporal;
      return this;
    }

    public Builder referenceTime(@Nullable Instant referenceTime) {
      this.referenceTime = referenceTime;
      return this;
    }

    public Builder zone(@Nullable ZoneId zone) {
      this.zone = zone;
      return this;
    }

    /** A further condition, ANDed with the other filters. */
    public Builder filter(@Nullable MemoryFilter filter) {
      this.filter = filter;
      return this;
    }

    public Builder includeSuperseded(boolean includeSuperseded) {
      this.includeSuperseded = includeSuperseded;
      return this;
    }

    public SearchRequest build() {
      return new SearchRequest(query, userId, limit, threshold, givenTags(), tagMatch,
          givenPeople(), givenTopic(), givenMetadata(), createdAfter, createdBefore, temporal,
          referenceTime, zone, agentId, sessionId, filter, includeSuperseded);
    }
  }
}

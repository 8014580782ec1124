package io.inmemory;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * A search within one user's memories. Built with {@link #builder(String)}; the constructor
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
 * @param userId whose memories to search
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
 */
public record SearchRequest(
    String query,
    String userId,
    int limit,
    Double threshold,
    List<String> tags,
    TagMatch tagMatch,
    List<String> people,
    String topic,
    Map<String, Object> metadata,
    Instant createdAfter,
    Instant createdBefore,
    String temporal,
    Instant referenceTime,
    ZoneId zone) {

  /** The default number of hits. */
  public static final int DEFAULT_LIMIT = 10;
  /** The largest {@code limit} any search or listing accepts. */
  public static final int MAX_LIMIT = 1000;

  public SearchRequest {
    Values values = Values.forRequest();
    values.userId("userId", userId);
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
    tags = values.tags("tags", tags);
    if (tagMatch == null) {
      tagMatch = TagMatch.ALL;
    }
    people = values.people("people", people);
    topic = values.topic("topic", topic);
    metadata = values.metadata("metadata", metadata);
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
    createdAfter = Values.millis(createdAfter);
    createdBefore = Values.millis(createdBefore);
  }

  /** Whether any filter beyond the user is set. */
  public boolean hasFilters() {
    return !tags.isEmpty() || !people.isEmpty() || topic != null || !metadata.isEmpty()
        || createdAfter != null || createdBefore != null || temporal != null;
  }

  public static Builder builder(String userId) {
    return new Builder(userId);
  }

  /**
   * Memories created within a time phrase: ranked by {@code semanticQuery} when given, newest
   * first when it is {@code null}.
   */
  public static SearchRequest forTime(
      String temporalQuery, String userId, String semanticQuery, int limit) {
    if (temporalQuery == null) {
      throw new InvalidRequestException("temporal", "is required, for example 'yesterday'");
    }
    return builder(userId).temporal(temporalQuery).query(semanticQuery).limit(limit).build();
  }

  /** Memories carrying all ({@code matchAll}) or any of the tags; see {@link #forTime}. */
  public static SearchRequest forTags(
      List<String> tags, String userId, String semanticQuery, boolean matchAll, int limit) {
    if (tags == null || tags.isEmpty()) {
      throw new InvalidRequestException("tags", "must name at least one tag");
    }
    return builder(userId).tags(tags, matchAll ? TagMatch.ALL : TagMatch.ANY)
        .query(semanticQuery).limit(limit).build();
  }

  /** Memories mentioning any of the people (case-insensitive); see {@link #forTime}. */
  public static SearchRequest forPeople(
      List<String> people, String userId, String semanticQuery, int limit) {
    if (people == null || people.isEmpty()) {
      throw new InvalidRequestException("people", "must name at least one person");
    }
    return builder(userId).people(people).query(semanticQuery).limit(limit).build();
  }

  /** Builds a {@link SearchRequest}; not thread-safe. */
  public static final class Builder {
    private final String userId;
    private String query;
    private int limit = DEFAULT_LIMIT;
    private Double threshold;
    private List<String> tags = List.of();
    private TagMatch tagMatch = TagMatch.ALL;
    private List<String> people = List.of();
    private String topic;
    private Map<String, ?> metadata = Map.of();
    private Instant createdAfter;
    private Instant createdBefore;
    private String temporal;
    private Instant referenceTime;
    private ZoneId zone;

    private Builder(String userId) {
      this.userId = userId;
    }

    public Builder query(String query) {
      this.query = query;
      return this;
    }

    public Builder limit(int limit) {
      this.limit = limit;
      return this;
    }

    public Builder threshold(Double threshold) {
      this.threshold = threshold;
      return this;
    }

    /** Memories must carry all of these tags. */
    public Builder tags(List<String> tags) {
      return tags(tags, TagMatch.ALL);
    }

    public Builder tags(List<String> tags, TagMatch match) {
      this.tags = tags;
      this.tagMatch = match;
      return this;
    }

    /** Memories must mention at least one of these people. */
    public Builder people(List<String> people) {
      this.people = people;
      return this;
    }

    public Builder topic(String topic) {
      this.topic = topic;
      return this;
    }

    public Builder metadata(Map<String, ?> metadata) {
      this.metadata = metadata;
      return this;
    }

    public Builder createdAfter(Instant createdAfter) {
      this.createdAfter = createdAfter;
      return this;
    }

    public Builder createdBefore(Instant createdBefore) {
      this.createdBefore = createdBefore;
      return this;
    }

    public Builder temporal(String temporal) {
      this.temporal = temporal;
      return this;
    }

    public Builder referenceTime(Instant referenceTime) {
      this.referenceTime = referenceTime;
      return this;
    }

    public Builder zone(ZoneId zone) {
      this.zone = zone;
      return this;
    }

    @SuppressWarnings("unchecked")
    public SearchRequest build() {
      return new SearchRequest(query, userId, limit, threshold, tags, tagMatch, people, topic,
          (Map<String, Object>) metadata, createdAfter, createdBefore, temporal, referenceTime, zone);
    }
  }
}

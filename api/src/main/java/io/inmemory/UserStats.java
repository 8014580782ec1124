package io.inmemory;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the memories of one scope hold: a user's (all agents and sessions, or one agent's or
 * session's), or an agent's own. Counts are of current memories; superseded ones are counted
 * apart. Immutable.
 *
 * @param userId the user, or {@code null} for an agent's own memories
 * @param memoryCount how many current memories the scope has
 * @param firstCreatedAt the oldest memory's creation time, or {@code null} with no memories
 * @param lastCreatedAt the newest memory's creation time, or {@code null} with no memories
 * @param tagCounts memories per tag, most frequent first (ties by name)
 * @param peopleCounts memories per person (case-insensitive; the spelling of the earliest
 *     mention), most frequent first
 * @param topicCounts memories per topic, most frequent first
 * @param agentId the agent of the scope, or {@code null}
 * @param sessionId the session of the scope, or {@code null}
 * @param supersededCount how many memories of the scope a newer fact superseded
 */
public record UserStats(
    @Nullable String userId,
    long memoryCount,
    @Nullable Instant firstCreatedAt,
    @Nullable Instant lastCreatedAt,
    Map<String, Long> tagCounts,
    Map<String, Long> peopleCounts,
    Map<String, Long> topicCounts,
    @Nullable String agentId,
    @Nullable String sessionId,
    long supersededCount) {

  public UserStats {
    if (userId == null && agentId == null) {
      throw new NullPointerException("userId (or agentId, for an agent's own memories)");
    }
    tagCounts = ordered(tagCounts);
    peopleCounts = ordered(peopleCounts);
    topicCounts = ordered(topicCounts);
  }

  /** The statistics of a user's memories, with no agent, session or superseded memory. */
  public UserStats(String userId, long memoryCount, @Nullable Instant firstCreatedAt,
      @Nullable Instant lastCreatedAt, Map<String, Long> tagCounts, Map<String, Long> peopleCounts,
      Map<String, Long> topicCounts) {
    this(Objects.requireNonNull(userId, "userId"), memoryCount, firstCreatedAt, lastCreatedAt,
        tagCounts, peopleCounts, topicCounts, null, null, 0);
  }

  /**
   * The oldest memory's creation time as an {@code Optional}, empty with no memories: a view of
   * the record component {@link #firstCreatedAt()}, which holds the same value as a nullable
   * {@code Instant}.
   */
  public Optional<Instant> firstCreated() {
    return Optional.ofNullable(firstCreatedAt);
  }

  /**
   * The newest memory's creation time as an {@code Optional}, empty with no memories: a view of
   * the record component {@link #lastCreatedAt()}, which holds the same value as a nullable
   * {@code Instant}.
   */
  public Optional<Instant> lastCreated() {
    return Optional.ofNullable(lastCreatedAt);
  }

  private static Map<String, Long> ordered(Map<String, Long> counts) {
    Map<String, Long> copy = new LinkedHashMap<>();
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed()
            .thenComparing(Map.Entry.comparingByKey()))
        .forEach(entry -> copy.put(entry.getKey(), entry.getValue()));
    return Collections.unmodifiableMap(copy);
  }
}

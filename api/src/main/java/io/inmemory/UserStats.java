package io.inmemory;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What one user's memories hold.
 *
 * @param userId the user
 * @param memoryCount how many memories the user has
 * @param firstCreatedAt the oldest memory's creation time, or {@code null} with no memories
 * @param lastCreatedAt the newest memory's creation time, or {@code null} with no memories
 * @param tagCounts memories per tag, most frequent first (ties by name)
 * @param peopleCounts memories per person (case-insensitive; the spelling of the earliest
 *     mention), most frequent first
 * @param topicCounts memories per topic, most frequent first
 */
public record UserStats(
    String userId,
    long memoryCount,
    @Nullable Instant firstCreatedAt,
    @Nullable Instant lastCreatedAt,
    Map<String, Long> tagCounts,
    Map<String, Long> peopleCounts,
    Map<String, Long> topicCounts) {

  public UserStats {
    Objects.requireNonNull(userId, "userId");
    tagCounts = ordered(tagCounts);
    peopleCounts = ordered(peopleCounts);
    topicCounts = ordered(topicCounts);
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

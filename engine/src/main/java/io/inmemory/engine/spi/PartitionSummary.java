package io.inmemory.engine.spi;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * One partition as {@link MemoryStore#partitions} lists it: how many memories it holds (current
 * and superseded; deleted ones are gone) and when the newest of them was created. Immutable.
 *
 * @param partition the partition
 * @param memories how many memories it holds, at least 1 (a partition holding none is not listed)
 * @param lastCreated the latest {@link io.inmemory.MemoryRecord#createdAt()} among them
 */
public record PartitionSummary(PartitionKey partition, long memories, Instant lastCreated) {
  /** The most partitions one call to {@link MemoryStore#partitions} answers. */
  public static final int MAX_LIMIT = 1000;

  public PartitionSummary {
    Objects.requireNonNull(partition, "partition");
    Objects.requireNonNull(lastCreated, "lastCreated");
    if (memories < 1) {
      throw new IllegalArgumentException("a listed partition holds at least one memory, not "
          + memories + " (" + partition.ownerDescription() + ")");
    }
  }

  /**
   * The summary of {@code stored}, the memories of {@code partition}; empty when there are none.
   */
  public static Optional<PartitionSummary> of(PartitionKey partition,
      Collection<StoredMemory> stored) {
    return stored.stream().map(memory -> memory.memory().createdAt()).max(Instant::compareTo)
        .map(last -> new PartitionSummary(partition, stored.size(), last));
  }

  /**
   * Checks the arguments of {@link MemoryStore#partitions}.
   *
   * @throws IllegalArgumentException when {@code namespace} is blank or {@code limit} is not
   *     between 1 and {@value #MAX_LIMIT}
   */
  public static void checkPage(String namespace, int limit) {
    Objects.requireNonNull(namespace, "namespace");
    if (namespace.isBlank()) {
      throw new IllegalArgumentException("namespace must not be blank");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", not "
          + limit);
    }
  }

  /**
   * {@link MemoryStore#partitions} for a store that knows its partitions' keys without reading
   * them: the keys of {@code namespace} with an owner after {@code after}, in owner order, each
   * summarized by {@code summarize} (empty for a partition holding no memory, which is skipped),
   * until {@code limit} summaries. Only the partitions on the page and the empty ones before its
   * end are summarized.
   *
   * @throws IllegalArgumentException as {@link #checkPage}
   */
  public static <T> List<T> page(Collection<PartitionKey> keys, String namespace,
      @Nullable String after, int limit, Function<PartitionKey, Optional<T>> summarize) {
    checkPage(namespace, limit);
    return keys.stream()
        .filter(key -> key.namespace().equals(namespace)
            && (after == null || key.owner().compareTo(after) > 0))
        .sorted(Comparator.comparing(PartitionKey::owner))
        .map(summarize)
        .flatMap(Optional::stream)
        .limit(limit)
        .toList();
  }

  /**
   * {@link MemoryStore#historyPartitions} for a store that knows its partitions' keys: the keys of
   * {@code namespace} with an owner after {@code after} that {@code holds} accepts, in owner
   * order, until {@code limit}.
   *
   * @throws IllegalArgumentException as {@link #checkPage}
   */
  public static List<PartitionKey> keys(Collection<PartitionKey> keys, String namespace,
      @Nullable String after, int limit, Predicate<PartitionKey> holds) {
    return page(keys, namespace, after, limit,
        key -> holds.test(key) ? Optional.of(key) : Optional.empty());
  }
}

package io.inmemory.engine.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One settled write of one partition, as a {@link ChangeFeed} delivers it to other processes.
 * It names what changed, never the content: a reader re-reads the named memories' current state
 * from the store ({@link MemoryStore#load(PartitionKey, java.util.Collection)}), so applying a
 * change twice, or out of order, leaves the same result. Immutable.
 *
 * @param position where the change is in its feed (a sequence number or a resume token), non-blank
 * @param partition the partition written
 * @param kind the write that made it
 * @param memoryIds the ids written (1 to {@link #MAX_IDS}, no duplicates), or {@code null} when the
 *     write touched more than {@link #MAX_IDS}: then the whole partition is to be re-read
 * @param processId the {@link ChangeFeed#processId()} of the writer, non-blank
 * @param at when the writer recorded the change, by its own clock (staleness is measured from it)
 */
public record Change(String position, PartitionKey partition, ChangeKind kind,
    @Nullable List<String> memoryIds, String processId, Instant at) {
  /** The most ids one change names; a write of more is recorded as a whole-partition change. */
  public static final int MAX_IDS = 1000;

  public Change {
    requireNonBlank(position, "position");
    Objects.requireNonNull(partition, "partition");
    Objects.requireNonNull(kind, "kind");
    requireNonBlank(processId, "processId");
    Objects.requireNonNull(at, "at");
    if (memoryIds != null) {
      memoryIds = List.copyOf(memoryIds);
      if (memoryIds.isEmpty() || memoryIds.size() > MAX_IDS) {
        throw new IllegalArgumentException("a change names 1 to " + MAX_IDS + " memory ids, not "
            + memoryIds.size() + " (null means the whole partition)");
      }
      if (memoryIds.stream().distinct().count() != memoryIds.size()) {
        throw new IllegalArgumentException("a change names a memory id twice: " + memoryIds);
      }
    }
  }

  /**
   * The ids to name for a write of {@code ids}: a copy of them, or {@code null} (the whole
   * partition) when there are more than {@link #MAX_IDS} — what every writer records.
   */
  public static @Nullable List<String> idsOf(List<String> ids) {
    List<String> distinct = ids.stream().distinct().toList();
    return distinct.size() > MAX_IDS ? null : distinct;
  }

  /** Whether the reader must re-read the whole partition rather than some of its memories. */
  public boolean wholePartition() {
    return memoryIds == null;
  }

  private static void requireNonBlank(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}

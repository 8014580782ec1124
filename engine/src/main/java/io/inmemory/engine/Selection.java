package io.inmemory.engine;

import io.inmemory.MemoryRecord;
import java.util.Locale;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Which memories a search or listing sees: the request's scope restriction, its filters and its
 * {@link io.inmemory.MemoryFilter} as one exact test, plus the {@link Source} a partition can
 * answer from its indexes to find candidates without testing every memory, and whether superseded
 * memories are hidden. Built by {@link Filters}; immutable and thread-safe.
 *
 * <p>The hiding of superseded memories is kept apart from the other conditions so that a
 * selection that hides them and narrows nothing else ({@link #narrows()} false) can be answered
 * without building the set of matching ids.
 *
 * @param condition every condition but currency, or null when there is none
 * @param source where every memory passing {@code condition} lies, or null when only a scan tells
 * @param currentOnly whether memories superseded by a newer fact are hidden
 */
record Selection(@Nullable Predicate<MemoryRecord> condition, @Nullable Source source,
    boolean currentOnly) implements Predicate<MemoryRecord> {

  @Override
  public boolean test(MemoryRecord record) {
    return (!currentOnly || record.isCurrent()) && (condition == null || condition.test(record));
  }

  /** Whether a condition beyond currency narrows the memories. */
  boolean narrows() {
    return condition != null;
  }

  /** How {@link MemoryRecord#mentions} compares people: trimmed, lower-cased. */
  static String personKey(String person) {
    return person.trim().toLowerCase(Locale.ROOT);
  }
}

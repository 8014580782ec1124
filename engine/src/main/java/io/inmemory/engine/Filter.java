package io.inmemory.engine;

import io.inmemory.MemoryRecord;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A search request's filters: the exact test a match must pass, plus the parts of it that a
 * partition can answer from its postings and time order — tags, people, a createdAt range — to
 * find candidates without testing every memory. Every memory that passes the test carries the
 * tags, mentions one of the people and lies in the range, so testing only those candidates loses
 * nothing. Built by {@link Filters}; immutable and thread-safe.
 *
 * @param test the exact test, every filter of the request included
 * @param tags tags a match carries (all, or any one: see {@code allTags}); empty when none
 * @param allTags whether a match carries every one of {@code tags}, rather than at least one
 * @param people {@link #personKey person keys}, at least one of which a match mentions; empty when
 *     none
 * @param from inclusive lower bound of a match's createdAt, or null
 * @param to exclusive upper bound of a match's createdAt, or null
 */
record Filter(Predicate<MemoryRecord> test, List<String> tags, boolean allTags,
    List<String> people, @Nullable Instant from, @Nullable Instant to)
    implements Predicate<MemoryRecord> {

  Filter {
    Objects.requireNonNull(test, "test");
    tags = List.copyOf(tags);
    people = List.copyOf(people);
  }

  @Override
  public boolean test(MemoryRecord record) {
    return test.test(record);
  }

  /** How {@link MemoryRecord#mentions} compares people: trimmed, lower-cased. */
  static String personKey(String person) {
    return person.trim().toLowerCase(Locale.ROOT);
  }
}

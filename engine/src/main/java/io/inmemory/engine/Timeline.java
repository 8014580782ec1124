package io.inmemory.engine;

import io.inmemory.MemoryRecord;
import io.inmemory.Page;
import io.inmemory.Scope;
import io.inmemory.SearchHit;
import io.inmemory.UserStats;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A partition's records newest first, for listings, searches without a query, createdAt ranges
 * and statistics. Not thread-safe: the {@link Partition}'s lock guards it.
 */
final class Timeline {
  /** Newest first; ties by id so listings are stable. */
  static final Comparator<MemoryRecord> NEWEST_FIRST =
      Comparator.comparing(MemoryRecord::createdAt).reversed().thenComparing(MemoryRecord::id);
  /** The earliest instant a lower time bound can be probed for; earlier ones bound nothing. */
  private static final Instant EARLIEST = Instant.MIN.plusMillis(1);

  private final NavigableSet<MemoryRecord> newestFirst = new TreeSet<>(NEWEST_FIRST);

  void add(MemoryRecord record) {
    newestFirst.add(record);
  }

  void remove(MemoryRecord record) {
    newestFirst.remove(record);
  }

  /**
   * One page of the memories that pass, newest first.
   *
   * @param total how many memories pass, when the caller knows (the walk then ends with the
   *     page), or -1 to count them while walking the whole timeline
   */
  Page<MemoryRecord> page(int limit, int offset, Predicate<MemoryRecord> passing, long total) {
    List<MemoryRecord> items = new ArrayList<>(Math.min(limit, newestFirst.size()));
    long passed = 0;
    for (MemoryRecord record : newestFirst) {
      if (total >= 0 && items.size() == limit) {
        break;
      }
      if (passing.test(record)) {
        if (passed >= offset && items.size() < limit) {
          items.add(record);
        }
        passed++;
      }
    }
    return new Page<>(items, offset, limit, total >= 0 ? total : passed);
  }

  /** The newest {@code limit} memories that pass the filter, each scored 1. */
  List<SearchHit> newest(Predicate<MemoryRecord> filter, int limit) {
    List<SearchHit> hits = new ArrayList<>();
    for (MemoryRecord record : newestFirst) {
      if (hits.size() == limit) {
        break;
      }
      if (filter.test(record)) {
        hits.add(new SearchHit(record, 1.0));
      }
    }
    return hits;
  }

  /**
   * The memories that may lie in {@code [from, to)} (either null for open), newest first: every
   * one that does, and possibly some of the same milliseconds — filters test the exact bounds.
   */
  NavigableSet<MemoryRecord> range(@Nullable Instant from, @Nullable Instant to) {
    // A probe sorts before every memory of its millisecond (ids are never empty), so the range
    // runs from the probe of to's millisecond up to, excluding, the probe of the one before from's.
    NavigableSet<MemoryRecord> range = newestFirst;
    MemoryRecord newest = to == null ? null : probe(to);
    MemoryRecord beyond = from == null || !from.isAfter(EARLIEST) ? null
        : probe(from.truncatedTo(ChronoUnit.MILLIS).minusMillis(1));
    if (newest != null && beyond != null) {
      return NEWEST_FIRST.compare(newest, beyond) > 0 ? new TreeSet<>(NEWEST_FIRST)
          : range.subSet(newest, true, beyond, false);
    }
    if (newest != null) {
      return range.tailSet(newest, true);
    }
    return beyond == null ? range : range.headSet(beyond, false);
  }

  private static MemoryRecord probe(Instant createdAt) {
    return new MemoryRecord("", "", "", List.of(), List.of(), null, Map.of(), createdAt, createdAt);
  }

  /**
   * The statistics of the memories {@code selection} passes, labelled with {@code scope}: the
   * current ones counted and described, the superseded ones only counted.
   */
  UserStats stats(Predicate<MemoryRecord> selection, Scope scope) {
    Map<String, Long> tags = new HashMap<>();
    Map<String, Long> topics = new HashMap<>();
    Map<String, Long> peopleByKey = new LinkedHashMap<>();
    Map<String, String> spelling = new HashMap<>();
    Instant first = null;
    Instant last = null;
    long count = 0;
    long superseded = 0;
    // Oldest first, so each person is shown with the spelling of their earliest mention.
    for (MemoryRecord record : newestFirst.descendingSet()) {
      if (!selection.test(record)) {
        continue;
      }
      if (!record.isCurrent()) {
        superseded++;
        continue;
      }
      count++;
      first = first == null ? record.createdAt() : first;
      last = record.createdAt();
      record.tags().forEach(tag -> tags.merge(tag, 1L, Long::sum));
      if (record.topic() != null) {
        topics.merge(record.topic(), 1L, Long::sum);
      }
      for (String person : record.people()) {
        String personKey = person.toLowerCase(Locale.ROOT);
        spelling.putIfAbsent(personKey, person);
        peopleByKey.merge(personKey, 1L, Long::sum);
      }
    }
    Map<String, Long> people = new HashMap<>();
    peopleByKey.forEach((personKey, memories) -> people.put(spelling.get(personKey), memories));
    return new UserStats(scope.userId(), count, first, last, tags, people, topics,
        scope.agentId(), scope.sessionId(), superseded);
  }
}

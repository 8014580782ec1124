package io.inmemory.engine;

import io.inmemory.MemoryRecord;
import io.inmemory.SearchRequest;
import io.inmemory.TagMatch;
import io.inmemory.TimeRange;
import io.inmemory.engine.temporal.TemporalExpression;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/** Turns a request's filters into one {@link Filter}; every filter the request names is applied. */
final class Filters {
  private Filters() {}

  static Filter of(SearchRequest request, Optional<TemporalExpression> temporal) {
    List<Predicate<MemoryRecord>> all = new ArrayList<>();
    if (!request.tags().isEmpty()) {
      List<String> tags = request.tags();
      all.add(request.tagMatch() == TagMatch.ALL
          ? record -> record.tags().containsAll(tags)
          : record -> tags.stream().anyMatch(record.tags()::contains));
    }
    if (!request.people().isEmpty()) {
      List<String> people = request.people();
      all.add(record -> people.stream().anyMatch(record::mentions));
    }
    if (request.topic() != null) {
      String topic = request.topic();
      all.add(record -> topic.equals(record.topic()));
    }
    for (Map.Entry<String, Object> entry : request.metadata().entrySet()) {
      all.add(record -> Objects.equals(record.metadata().get(entry.getKey()), entry.getValue()));
    }
    if (request.createdAfter() != null) {
      all.add(record -> !record.createdAt().isBefore(request.createdAfter()));
    }
    if (request.createdBefore() != null) {
      all.add(record -> record.createdAt().isBefore(request.createdBefore()));
    }
    temporal.ifPresent(expression -> all.add(record -> expression.matches(record.createdAt())));
    Predicate<MemoryRecord> test = record -> {
      for (Predicate<MemoryRecord> predicate : all) {
        if (!predicate.test(record)) {
          return false;
        }
      }
      return true;
    };
    return new Filter(test, request.tags(), request.tagMatch() == TagMatch.ALL,
        request.people().stream().map(Filter::personKey).distinct().toList(),
        start(request, temporal), end(request, temporal));
  }

  /**
   * The intersection of the temporal phrase's bounds and the explicit bounds: empty if neither
   * bounds creation time (a purely recurring phrase such as "weekends" does not), {@code null} if
   * they exclude each other, so that nothing can match.
   */
  static @Nullable Optional<TimeRange> timeRange(SearchRequest request,
      Optional<TemporalExpression> temporal) {
    Instant start = start(request, temporal);
    Instant end = end(request, temporal);
    if (start == null && end == null) {
      return Optional.empty();
    }
    if (start != null && end != null && !start.isBefore(end)) {
      return null;
    }
    return Optional.of(new TimeRange(start, end));
  }

  /** The later of the explicit lower bound and the phrase's, or null when neither bounds. */
  private static @Nullable Instant start(SearchRequest request,
      Optional<TemporalExpression> temporal) {
    Instant start = request.createdAfter();
    Instant bound = temporal.map(expression -> expression.bounds().start()).orElse(null);
    return start == null ? bound : bound == null ? start : start.isAfter(bound) ? start : bound;
  }

  /** The earlier of the explicit upper bound and the phrase's, or null when neither bounds. */
  private static @Nullable Instant end(SearchRequest request,
      Optional<TemporalExpression> temporal) {
    Instant end = request.createdBefore();
    Instant bound = temporal.map(expression -> expression.bounds().end()).orElse(null);
    return end == null ? bound : bound == null ? end : end.isBefore(bound) ? end : bound;
  }
}

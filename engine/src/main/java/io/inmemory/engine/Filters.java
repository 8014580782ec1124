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
    Instant from = request.createdAfter();
    Instant to = request.createdBefore();
    if (from != null) {
      all.add(record -> !record.createdAt().isBefore(request.createdAfter()));
    }
    if (to != null) {
      all.add(record -> record.createdAt().isBefore(request.createdBefore()));
    }
    if (temporal.isPresent()) {
      TemporalExpression expression = temporal.get();
      all.add(record -> expression.matches(record.createdAt()));
      TimeRange bounds = expression.bounds();
      from = bounds.start() != null && (from == null || bounds.start().isAfter(from))
          ? bounds.start() : from;
      to = bounds.end() != null && (to == null || bounds.end().isBefore(to)) ? bounds.end() : to;
    }
    Predicate<MemoryRecord> test = record -> {
      for (Predicate<MemoryRecord> predicate : all) {
        if (!predicate.test(record)) {
          return false;
        }
      }
      return true;
    };
    return new Filter(test, request.tags(), request.tagMatch() == TagMatch.ALL,
        request.people().stream().map(Filter::personKey).distinct().toList(), from, to);
  }
}

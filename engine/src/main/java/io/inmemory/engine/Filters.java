package io.inmemory.engine;

import io.inmemory.MemoryFilter;
import io.inmemory.MemoryRecord;
import io.inmemory.Scope;
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

/**
 * Turns a request's scope restriction, filters and {@link MemoryFilter} into one
 * {@link Selection}; every restriction and filter the request names is applied, none dropped.
 */
final class Filters {
  private Filters() {}

  static Selection of(SearchRequest request, Optional<TemporalExpression> temporal) {
    Conditions conditions = new Conditions();
    conditions.scope(request.userId(), request.agentId(), request.sessionId());
    if (!request.tags().isEmpty()) {
      List<String> tags = request.tags();
      if (request.tagMatch() == TagMatch.ALL) {
        conditions.add(record -> record.tags().containsAll(tags),
            Source.all(tags.stream().<Source>map(tag ->
                new Source.Posted(Source.Index.TAGS, List.of(tag))).toList()));
      } else {
        conditions.add(record -> tags.stream().anyMatch(record.tags()::contains),
            new Source.Posted(Source.Index.TAGS, tags));
      }
    }
    if (!request.people().isEmpty()) {
      List<String> people = request.people();
      conditions.add(record -> people.stream().anyMatch(record::mentions),
          new Source.Posted(Source.Index.PEOPLE,
              people.stream().map(Selection::personKey).distinct().toList()));
    }
    if (request.topic() != null) {
      String topic = request.topic();
      conditions.add(record -> topic.equals(record.topic()), null);
    }
    for (Map.Entry<String, Object> entry : request.metadata().entrySet()) {
      conditions.add(record -> Objects.equals(record.metadata().get(entry.getKey()),
          entry.getValue()), null);
    }
    Instant from = start(request, temporal);
    Instant to = end(request, temporal);
    if (request.createdAfter() != null) {
      conditions.add(record -> !record.createdAt().isBefore(request.createdAfter()), null);
    }
    if (request.createdBefore() != null) {
      conditions.add(record -> record.createdAt().isBefore(request.createdBefore()), null);
    }
    temporal.ifPresent(expression ->
        conditions.add(record -> expression.matches(record.createdAt()), null));
    if (from != null || to != null) {
      conditions.add(null, new Source.Range(from, to));
    }
    conditions.filter(request.filter());
    return conditions.selection(!request.includeSuperseded());
  }

  /**
   * The memories of a listing or statistics: those of {@code scope} (within its owner's partition)
   * that pass {@code filter} (null for none), current ones only when {@code currentOnly}.
   */
  static Selection of(Scope scope, @Nullable MemoryFilter filter, boolean currentOnly) {
    Conditions conditions = new Conditions();
    conditions.scope(scope.userId(), scope.agentId(), scope.sessionId());
    conditions.filter(filter);
    return conditions.selection(currentOnly);
  }

  /** The conditions of a request as they are found, with the sources of their candidates. */
  private static final class Conditions {
    private final List<Predicate<MemoryRecord>> tests = new ArrayList<>();
    private final List<Source> sources = new ArrayList<>();

    /**
     * The restriction of a scope within its owner's partition: a user's memories of one agent,
     * of one session. An agent's own partition holds only that agent's memories, so its agent
     * restricts nothing further.
     */
    void scope(@Nullable String userId, @Nullable String agentId, @Nullable String sessionId) {
      if (userId != null && agentId != null) {
        add(record -> agentId.equals(record.agentId()),
            new Source.Posted(Source.Index.AGENTS, List.of(agentId)));
      }
      if (sessionId != null) {
        add(record -> sessionId.equals(record.sessionId()),
            new Source.Posted(Source.Index.SESSIONS, List.of(sessionId)));
      }
    }

    void filter(@Nullable MemoryFilter filter) {
      if (filter != null) {
        FilterCompiler.Compiled compiled = FilterCompiler.compile(filter);
        add(compiled.test(), compiled.source());
      }
    }

    /** A condition (null: the source's own bounds say it all) and its candidates' source. */
    void add(@Nullable Predicate<MemoryRecord> test, @Nullable Source source) {
      if (test != null) {
        tests.add(test);
      }
      if (source != null) {
        sources.add(source);
      }
    }

    Selection selection(boolean currentOnly) {
      return new Selection(tests.isEmpty() ? null : FilterCompiler.allOf(tests),
          Source.all(sources), currentOnly);
    }
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

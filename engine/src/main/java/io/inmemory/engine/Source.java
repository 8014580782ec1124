package io.inmemory.engine;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A necessary condition of a {@link Selection} that a partition answers from its indexes: every
 * memory that passes the selection lies in the source's candidates, so testing only those loses
 * nothing. Immutable and thread-safe.
 */
sealed interface Source {

  /** The posting lists a partition keeps. */
  enum Index { TAGS, PEOPLE, AGENTS, SESSIONS }

  /**
   * The memories carrying at least one of {@code keys} in {@code index}; keys normalized as the
   * index keeps them (tags as on records, people by {@link Selection#personKey person key}).
   */
  record Posted(Index index, List<String> keys) implements Source {
    public Posted {
      Objects.requireNonNull(index, "index");
      keys = List.copyOf(keys);
    }
  }

  /** The memories created within {@code [from, to)}; either bound null for open. */
  record Range(@Nullable Instant from, @Nullable Instant to) implements Source {}

  /** The memories of any of {@code sources}: the source of an OR whose every branch has one. */
  record Union(List<Source> sources) implements Source {
    public Union {
      sources = List.copyOf(sources);
    }
  }

  /**
   * The memories of whichever of {@code sources} is smallest: each is necessary (the conditions
   * of an AND), so any one of them holds every match.
   */
  record Smallest(List<Source> sources) implements Source {
    public Smallest {
      sources = List.copyOf(sources);
    }
  }

  /**
   * The source that holds every memory passing all of the conditions {@code sources} come from:
   * the smallest of them, null when there is none.
   */
  static @Nullable Source all(List<Source> sources) {
    return sources.isEmpty() ? null : sources.size() == 1 ? sources.get(0) : new Smallest(sources);
  }
}

package io.inmemory;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A half-open range of instants {@code [start, end)}; either side may be open.
 *
 * @param start inclusive start, or {@code null} for no lower bound
 * @param end exclusive end, or {@code null} for no upper bound
 */
public record TimeRange(@Nullable Instant start, @Nullable Instant end) {
  public TimeRange {
    if (start != null && end != null && !start.isBefore(end)) {
      throw new IllegalArgumentException("start " + start + " must be before end " + end);
    }
  }

  /**
   * The start as an {@code Optional}, empty for no lower bound: a view of the record component
   * {@link #start()}, which holds the same value as a nullable {@code Instant}.
   */
  public Optional<Instant> startInstant() {
    return Optional.ofNullable(start);
  }

  /**
   * The end as an {@code Optional}, empty for no upper bound: a view of the record component
   * {@link #end()}, which holds the same value as a nullable {@code Instant}.
   */
  public Optional<Instant> endInstant() {
    return Optional.ofNullable(end);
  }

  public boolean contains(Instant instant) {
    return (start == null || !instant.isBefore(start)) && (end == null || instant.isBefore(end));
  }
}

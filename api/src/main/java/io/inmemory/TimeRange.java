package io.inmemory;

import java.time.Instant;
import java.util.Optional;

/**
 * A half-open range of instants {@code [start, end)}; either side may be open.
 *
 * @param start inclusive start, or {@code null} for no lower bound
 * @param end exclusive end, or {@code null} for no upper bound
 */
public record TimeRange(Instant start, Instant end) {
  public TimeRange {
    if (start != null && end != null && !start.isBefore(end)) {
      throw new IllegalArgumentException("start " + start + " must be before end " + end);
    }
  }

  public Optional<Instant> startInstant() {
    return Optional.ofNullable(start);
  }

  public Optional<Instant> endInstant() {
    return Optional.ofNullable(end);
  }

  public boolean contains(Instant instant) {
    return (start == null || !instant.isBefore(start)) && (end == null || instant.isBefore(end));
  }
}

package io.inmemory.engine.temporal;

import java.time.Instant;
import java.time.LocalDate;
import org.jspecify.annotations.Nullable;

/**
 * A resolved period {@code [start, end)}; either side may be open ({@code null}) for ranges such
 * as "since X".
 *
 * @param start inclusive start, or {@code null}
 * @param end exclusive end, or {@code null}
 * @param day the calendar day this span is exactly, or {@code null}; a part of the day attached
 *     to such a span becomes that part on that day
 * @param instant whether the phrase named a single instant (an ISO date-time): as a range
 *     endpoint it then stands for {@code start} on both sides
 */
record Span(@Nullable Instant start, @Nullable Instant end, @Nullable LocalDate day,
    boolean instant) {
  Span {
    if (start != null && end != null && !start.isBefore(end)) {
      throw new IllegalStateException("empty span [" + start + ", " + end + ")");
    }
  }

  static Span of(@Nullable Instant start, @Nullable Instant end) {
    return new Span(start, end, null, false);
  }

  boolean bounded() {
    return start != null && end != null;
  }

  /** Where "since"/"between" start when this span is their endpoint. */
  Instant first() {
    return start;
  }

  /** Where "after"/"until"/"between … and" end when this span is their endpoint. */
  Instant last() {
    return instant ? start : end;
  }
}

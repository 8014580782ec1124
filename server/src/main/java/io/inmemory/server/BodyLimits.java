package io.inmemory.server;

import java.time.Duration;
import java.util.Objects;

/**
 * How much of a request body the server reads, and how slowly it lets it arrive. Immutable and
 * thread-safe.
 *
 * @param maxSize the largest body kept for a handler, in bytes ({@code INMEMORY_MAX_REQUEST_SIZE})
 * @param minDataRate the fewest bytes per second, averaged from the request's start, a body must
 *     arrive at once {@code grace} has passed; 0 for no minimum
 *     ({@code INMEMORY_MIN_REQUEST_DATA_RATE})
 * @param grace how long a body may take before {@code minDataRate} applies, so that a small body
 *     sent in two pieces with a pause between them is never mistaken for a slow one
 * @param maxDiscard the most bytes read and thrown away of a body still arriving after the answer
 *     was sent, so that the client reads the answer instead of losing it to a reset connection
 *     ({@code INMEMORY_MAX_DISCARD_SIZE})
 */
record BodyLimits(long maxSize, long minDataRate, Duration grace, long maxDiscard) {
  /** The grace before the minimum data rate applies; Kestrel's default for the same check. */
  static final Duration GRACE = Duration.ofSeconds(5);

  BodyLimits {
    if (maxSize < 0 || minDataRate < 0 || maxDiscard < 0) {
      throw new IllegalArgumentException("body limits must not be negative");
    }
    Objects.requireNonNull(grace, "grace");
  }

  /**
   * Whether {@code read} bytes after {@code elapsedNanos} are too few: true only past the grace,
   * below the minimum rate.
   */
  boolean tooSlow(long read, long elapsedNanos) {
    if (minDataRate == 0 || elapsedNanos <= grace.toNanos()) {
      return false;
    }
    return read < minDataRate * (elapsedNanos / 1e9);
  }
}

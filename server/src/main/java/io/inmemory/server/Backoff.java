package io.inmemory.server;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * When a failed webhook delivery is tried again: after {@code min(max, base·2^(n−1))}, times a
 * jitter factor between 0.5 and 1 (so receivers recovering from an outage are not hit by every
 * server at once), and never sooner than the receiver's {@code Retry-After} (itself at most
 * {@code max}). With the defaults (30 s, 4 h, 15 attempts) the last attempt comes about a day
 * after the first. Immutable; thread-safe when {@code jitter} is.
 *
 * @param base the delay after the first failure, before jitter; positive
 * @param max the longest delay; at least {@code base}
 * @param maxAttempts the attempts of one delivery, 1 or more; after the last fails the hook is
 *     disabled
 * @param jitter gives numbers in [0, 1), uniformly in production; a test may fix it
 */
record Backoff(Duration base, Duration max, int maxAttempts, DoubleSupplier jitter) {

  Backoff {
    if (base.isNegative() || base.isZero()) {
      throw new IllegalArgumentException("the backoff base must be positive, was " + base);
    }
    if (max.compareTo(base) < 0) {
      throw new IllegalArgumentException("the longest backoff " + max + " is under its base "
          + base);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("at least one attempt, was " + maxAttempts);
    }
    Objects.requireNonNull(jitter, "jitter");
  }

  /** With uniform jitter. */
  Backoff(Duration base, Duration max, int maxAttempts) {
    this(base, max, maxAttempts, () -> ThreadLocalRandom.current().nextDouble());
  }

  /**
   * The wait after the {@code attempt}-th failed attempt (1 for the first).
   *
   * @param retryAfter what the receiver asked for, or {@code null}
   */
  Duration delay(int attempt, @Nullable Duration retryAfter) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempts count from 1, was " + attempt);
    }
    // stop doubling before the sign bit: any max is reached long before
    long doubled = base.toMillis() << Math.min(attempt - 1, Long.numberOfLeadingZeros(
        base.toMillis()) - 1);
    long capped = Math.min(max.toMillis(), doubled);
    long delay = Math.round(capped * (0.5 + jitter.getAsDouble() / 2));
    if (retryAfter != null && !retryAfter.isNegative()) {
      delay = Math.max(delay, Math.min(retryAfter.toMillis(), max.toMillis()));
    }
    return Duration.ofMillis(delay);
  }

  /** Whether a delivery that has failed {@code attempts} times is given up. */
  boolean exhausted(int attempts) {
    return attempts >= maxAttempts;
  }
}

package io.inmemory;

import java.time.Duration;
import java.util.Objects;

/** Too many requests (HTTP 429). Retry after {@link #retryAfter()}. */
public class RateLimitedException extends InMemoryException {
  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  public RateLimitedException(String message, Duration retryAfter) {
    super(message);
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
  }

  /** How long to wait before the next attempt can succeed. */
  public Duration retryAfter() {
    return retryAfter;
  }
}

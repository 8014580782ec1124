package io.inmemory;

import java.time.Duration;
import java.util.Objects;

/**
 * Too many requests: the caller's rate limit (HTTP 429), or a server shedding load (HTTP 503
 * {@code overloaded}: too much work in flight). Nothing was done; retry after
 * {@link #retryAfter()}.
 */
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

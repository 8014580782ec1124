package io.inmemory.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.inmemory.RateLimitedException;
import java.time.Duration;

/**
 * Requests per API key, as a token bucket (Bucket4j): {@code capacity} requests at once, refilled
 * greedily at {@code capacity} per minute. Buckets of keys idle for an hour are dropped.
 * Thread-safe.
 */
final class RateLimiter {
  private final int perMinute;
  private final Cache<String, Bucket> buckets =
      Caffeine.newBuilder().expireAfterAccess(Duration.ofHours(1)).build();

  /** @param perMinute requests per key and minute; 0 disables limiting */
  RateLimiter(int perMinute) {
    this.perMinute = perMinute;
  }

  /**
   * Takes one request from the key's bucket.
   *
   * @return the requests left in the bucket, or -1 when limiting is off
   * @throws RateLimitedException when the bucket is empty, with the wait until the next token
   */
  long acquire(String keyId) {
    if (perMinute == 0) {
      return -1;
    }
    Bucket bucket = buckets.get(keyId, id -> Bucket.builder()
        .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)))
        .build());
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    if (probe.isConsumed()) {
      return probe.getRemainingTokens();
    }
    Duration wait = Duration.ofNanos(probe.getNanosToWaitForRefill());
    throw new RateLimitedException("Rate limit of " + perMinute + " requests per minute exceeded",
        wait);
  }
}

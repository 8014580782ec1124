package io.inmemory.server;

import io.inmemory.engine.tenant.AccessStore;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells {@link ApiKeys} when its cached keys may be stale because another process sharing the
 * store revoked one: it polls {@link AccessStore#accessVersion()} every interval, and each time
 * the version moves it starts a new {@linkplain #generation() generation} and runs the given
 * invalidation. A cache entry remembers the generation its load started in, and one from an
 * older generation is a miss, so a load that read a key just before its revocation cannot put
 * the stale record back after the invalidation.
 *
 * <p>When the store cannot be polled for the {@linkplain #bound(Duration) bound}, the cache is
 * not {@linkplain #trusted() trusted} until a poll succeeds again: keys are then read from the
 * store on every request (failing with it), so a revocation made meanwhile never outlives the
 * bound. A store used by one process only ({@code accessVersion()} empty) is not polled; its
 * revocations happen in this process, which invalidates its own entry at once.
 *
 * <p>Thread-safe; {@link #close()} stops the polling.
 */
final class KeyRevocations implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KeyRevocations.class);

  private final AccessStore access;
  private final Runnable invalidateAll;
  private final LongSupplier nanoTime;
  private final long boundNanos;
  private final AtomicLong generation = new AtomicLong();
  private final ScheduledExecutorService poller;
  private volatile long lastSeen;
  private volatile long lastSuccess;
  private volatile boolean failing;

  private KeyRevocations(AccessStore access, long initial, Duration interval,
      Runnable invalidateAll, LongSupplier nanoTime) {
    this.access = access;
    this.invalidateAll = invalidateAll;
    this.nanoTime = nanoTime;
    this.boundNanos = bound(interval).toNanos();
    this.lastSeen = initial;
    this.lastSuccess = nanoTime.getAsLong();
    this.poller = Timers.daemon("inmemory-key-revocations");
    long millis = interval.toMillis();
    poller.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
  }

  /**
   * Watches {@code access}'s revocations every {@code interval}, or returns null when the store
   * is used by one process only.
   *
   * @param invalidateAll drops every cached key; run on the poller's thread
   */
  static KeyRevocations watch(AccessStore access, Duration interval, Runnable invalidateAll) {
    return watch(access, interval, invalidateAll, System::nanoTime);
  }

  /** As {@link #watch(AccessStore, Duration, Runnable)}, on the given clock, for tests. */
  static KeyRevocations watch(AccessStore access, Duration interval, Runnable invalidateAll,
      LongSupplier nanoTime) {
    OptionalLong version = access.accessVersion();
    return version.isEmpty() ? null
        : new KeyRevocations(access, version.getAsLong(), interval, invalidateAll, nanoTime);
  }

  /**
   * How long the cache is trusted without a successful poll: four intervals, at least a second
   * (one slow round trip to the store is not an outage).
   */
  static Duration bound(Duration interval) {
    Duration four = interval.multipliedBy(4);
    return four.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : four;
  }

  /** The current generation: it grows each time the store's access version is seen to move. */
  long generation() {
    return generation.get();
  }

  /** Whether a poll succeeded within the bound, so cached keys may be used. */
  boolean trusted() {
    return nanoTime.getAsLong() - lastSuccess <= boundNanos;
  }

  /** One poll; package-private so tests can run it without waiting for the timer. */
  void poll() {
    long version;
    try {
      version = access.accessVersion().orElseThrow();
    } catch (RuntimeException e) {
      if (!failing) {
        failing = true;
        LOG.warn("Watching the store for key revocations failed; cached API keys are not used"
            + " after {} ms without an answer: {}", boundNanos / 1_000_000, e.toString());
      }
      return;
    }
    if (version != lastSeen) {
      generation.incrementAndGet();
      lastSeen = version;
      invalidateAll.run();
    }
    lastSuccess = nanoTime.getAsLong();
    if (failing) {
      failing = false;
      LOG.info("Watching the store for key revocations works again");
    }
  }

  /** Stops polling. */
  @Override
  public void close() {
    poller.shutdownNow();
  }
}

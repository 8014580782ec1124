package io.inmemory.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.inmemory.InvalidRequestException;
import io.inmemory.engine.tenant.IdempotencyId;
import io.inmemory.engine.tenant.IdempotencyRecord;
import io.inmemory.engine.tenant.IdempotencyStore;
import io.inmemory.wire.ProblemType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idempotency keys of the adding routes: the first successful answer to a request carrying an
 * {@code Idempotency-Key} is kept for a while and replayed (with {@value #REPLAYED_HEADER}) to
 * every later request of the same project with the same key and the same method, path and body,
 * so that a retried add is never stored twice. The same key with another request is a 409
 * {@link ProblemType#IDEMPOTENCY_KEY_REUSED}. A duplicate arriving while the first is still being
 * handled waits for its answer (up to a minute, then 409 {@link ProblemType#CONFLICT}); when the
 * first fails (any non-2xx answer or an exception) nothing is kept and the next request with the
 * key runs afresh.
 *
 * <p><b>Where the records live.</b> In an {@link IdempotencyStore}: the store's own when several
 * server processes share it, so a retry through another process is answered from the record the
 * first one kept. A request claims its key in the store before it runs and renews the claim every
 * third of its lease while it runs, so a claim outlives its process by one lease at most; a
 * duplicate in this process waits on the first one directly, a duplicate in another process polls
 * the store. Answers are kept gzipped ({@link StoredReply}); one over the records' limit
 * ({@link IdempotencyRecord#checkedAnswer}) is replayed by this process only, and another process
 * answers its retries with a 409 {@link ProblemType#CONFLICT}. Answers this process gave or
 * replayed are also cached here, bounded by their size, so a replay costs no store read.
 *
 * <p>Thread-safe. {@link #close()} stops the heartbeats and the purge of expired records.
 */
final class Idempotency implements AutoCloseable {
  static final String HEADER = "Idempotency-Key";
  static final String REPLAYED_HEADER = "Idempotent-Replayed";
  private static final Logger LOG = LoggerFactory.getLogger(Idempotency.class);
  /** How long a duplicate waits for the first request before it gives up with a 409. */
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** The first and the longest pause between two looks at another process's running claim. */
  private static final long FIRST_POLL_MS = 20;
  private static final long LONGEST_POLL_MS = 500;
  /** How often and how many expired records are deleted from the store. */
  private static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);
  private static final int PURGE_LIMIT = 1000;
  /** What a cached answer costs besides its body, roughly. */
  private static final int OVERHEAD = 512;

  private final IdempotencyStore store;
  private final String owner;
  private final Duration ttl;
  private final Duration lease;
  private final Clock clock;
  /** Answers given or replayed here, until they expire or are evicted. */
  private final Cache<IdempotencyId, Answered> answered;
  /**
   * Requests of this process being handled or awaited in the store; never evicted (a bounded
   * cache could drop one and let a duplicate run), bounded by the requests handled at once.
   */
  private final ConcurrentMap<IdempotencyId, Attempt> running = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;

  /**
   * @param store where the records are kept
   * @param owner this process's id in the records it claims
   * @param ttl how long an answer is replayed after it was given
   * @param lease how long a claim holds without being renewed
   * @param localCacheBytes the most answer bytes cached in this process; least recently used go
   * @param clock the time of the records
   */
  Idempotency(IdempotencyStore store, String owner, Duration ttl, Duration lease,
      long localCacheBytes, Clock clock) {
    this.store = store;
    this.owner = owner;
    this.ttl = ttl;
    this.lease = lease;
    this.clock = clock;
    this.answered = Caffeine.newBuilder()
        .expireAfterWrite(ttl)
        .maximumWeight(localCacheBytes)
        .weigher((IdempotencyId id, Answered answer) -> OVERHEAD + id.key().length()
            + answer.reply().body().length)
        .build();
    this.timer = Timers.daemon("inmemory-idempotency");
    long purge = PURGE_INTERVAL.toMillis();
    timer.scheduleWithFixedDelay(this::purgeQuietly, purge, purge, TimeUnit.MILLISECONDS);
  }

  /**
   * Runs {@code action} once per project, key and request; see the class comment.
   *
   * @param project the caller's project (null for the admin key)
   * @param key the header's value, checked here
   * @param method the request's method
   * @param path the request's path
   * @param body the request's body
   */
  Reply run(@Nullable String project, String key, String method, String path, byte[] body,
      Supplier<Reply> action) {
    if (!IdempotencyId.isValidKey(key) || key.isBlank()) {
      throw new InvalidRequestException(List.of(new InvalidRequestException.Violation(HEADER,
          "must be 1 to 255 printable ASCII characters")));
    }
    IdempotencyId id = new IdempotencyId(project == null ? IdempotencyId.ADMIN_SCOPE : project,
        key);
    byte[] fingerprint = fingerprint(method, path, body);
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      Answered done = cached(id);
      if (done != null) {
        return replay(done.fingerprint(), done.reply(), fingerprint);
      }
      Attempt mine = new Attempt(fingerprint, new CompletableFuture<>());
      Attempt first = running.putIfAbsent(id, mine);
      if (first != null) {
        checkSameRequest(first.fingerprint(), fingerprint);
        Optional<Reply> answer = await(first);
        if (answer.isPresent()) {
          return replay(first.fingerprint(), answer.get(), fingerprint);
        }
        continue; // the first attempt failed and kept nothing: this one runs afresh
      }
      Optional<Reply> outcome = Optional.empty();
      try {
        if (cached(id) != null) {
          continue; // answered between the look-up and the claim: replayed on the next round
        }
        Instant now = clock.instant();
        Optional<IdempotencyRecord> holder = store.claim(IdempotencyRecord.pending(id,
            fingerprint, owner, now, now.plus(lease), now.plus(ttl)), now);
        if (holder.isEmpty()) {
          Reply reply = runClaimed(id, fingerprint, action);
          outcome = reply.status() / 100 == 2 ? Optional.of(reply) : Optional.empty();
          return reply;
        }
        outcome = awaitOtherProcess(holder.get(), fingerprint, deadline);
        if (outcome.isPresent()) {
          return replay(fingerprint, outcome.get(), fingerprint);
        }
        // the other process failed, or its claim lapsed: claimed afresh on the next round
      } finally {
        running.remove(id, mine);
        mine.answer().complete(outcome);
      }
    }
  }

  /** Runs the claimed request, renewing the claim meanwhile, and keeps a 2xx answer. */
  private Reply runClaimed(IdempotencyId id, byte[] fingerprint, Supplier<Reply> action) {
    long every = Math.max(1, lease.toMillis() / 3);
    ScheduledFuture<?> heartbeat = timer.scheduleWithFixedDelay(() -> renew(id), every, every,
        TimeUnit.MILLISECONDS);
    Reply reply = null;
    try {
      // kept as bytes: an add's answer is bounded by its request, which is bounded
      reply = action.get().materialized();
      return reply;
    } finally {
      heartbeat.cancel(false);
      if (reply != null && reply.status() / 100 == 2) {
        keep(id, fingerprint, reply);
      } else {
        releaseQuietly(id);
      }
    }
  }

  /** Completes the claim with {@code reply}; cached here before the claim is let go. */
  private void keep(IdempotencyId id, byte[] fingerprint, Reply reply) {
    Instant expiresAt = clock.instant().plus(ttl);
    answered.put(id, new Answered(fingerprint, reply, expiresAt));
    byte[] encoded = StoredReply.encode(reply);
    try {
      if (!store.complete(id, owner, storable(encoded), expiresAt)) {
        LOG.warn("The claim on an Idempotency-Key was lost while its request ran (this process"
            + " stalled past its lease); the request may have been stored twice");
      }
    } catch (RuntimeException e) {
      // the request is done and answered; a retry through another process may run it again
      LOG.warn("Keeping the answer to a request with an Idempotency-Key failed: {}",
          e.toString());
    }
  }

  /** The encoded answer when a record can hold it, else null: replayed by this process only. */
  private static byte @Nullable [] storable(byte[] encoded) {
    try {
      return IdempotencyRecord.checkedAnswer(encoded);
    } catch (IllegalArgumentException tooLarge) {
      return null;
    }
  }

  private void renew(IdempotencyId id) {
    try {
      if (!store.renew(id, owner, clock.instant().plus(lease))) {
        LOG.warn("The claim on an Idempotency-Key lapsed while its request ran");
      }
    } catch (RuntimeException e) {
      LOG.warn("Renewing the claim on an Idempotency-Key failed: {}", e.toString());
    }
  }

  private void releaseQuietly(IdempotencyId id) {
    try {
      store.release(id, owner);
    } catch (RuntimeException e) {
      // the claim lapses with its lease
      LOG.warn("Releasing the claim on an Idempotency-Key failed: {}", e.toString());
    }
  }

  /**
   * Waits for the request of another process holding the key: its answer once it is kept, empty
   * once the record is gone (failed or lapsed).
   */
  private Optional<Reply> awaitOtherProcess(IdempotencyRecord holder, byte[] fingerprint,
      long deadline) {
    checkSameRequest(holder.fingerprint(), fingerprint);
    long pause = FIRST_POLL_MS;
    Optional<IdempotencyRecord> record = Optional.of(holder);
    while (record.isPresent() && record.get().state() == IdempotencyRecord.State.PENDING) {
      if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pause) > deadline) {
        throw stillInProgress();
      }
      sleep(pause);
      pause = Math.min(LONGEST_POLL_MS, pause * 2);
      record = store.find(holder.id(), clock.instant());
    }
    if (record.isEmpty()) {
      return Optional.empty();
    }
    byte[] answer = record.get().answer();
    if (answer == null) {
      throw new ProblemException(ProblemType.CONFLICT, "A request with this " + HEADER
          + " was answered, but its answer was too large to keep for replay; list the memories"
          + " to see what it stored");
    }
    Reply reply = StoredReply.decode(answer);
    answered.put(holder.id(), new Answered(holder.fingerprint(), reply,
        record.get().expiresAt()));
    return Optional.of(reply);
  }

  private @Nullable Answered cached(IdempotencyId id) {
    Answered done = answered.getIfPresent(id);
    if (done != null && done.expiresAt().isBefore(clock.instant())) {
      answered.invalidate(id);
      return null;
    }
    return done;
  }

  private void purgeQuietly() {
    try {
      store.purgeExpired(clock.instant(), PURGE_LIMIT);
    } catch (RuntimeException e) {
      LOG.warn("Deleting expired idempotency records failed; will retry: {}", e.toString());
    }
  }

  /** Stops the heartbeats and the purge; requests still running keep their claims' leases. */
  @Override
  public void close() {
    timer.shutdownNow();
  }

  private static Reply replay(byte[] firstFingerprint, Reply first, byte[] fingerprint) {
    checkSameRequest(firstFingerprint, fingerprint);
    Map<String, String> headers = new LinkedHashMap<>(first.headers());
    headers.put(REPLAYED_HEADER, "true");
    return first.withHeaders(headers);
  }

  private static void checkSameRequest(byte[] first, byte[] fingerprint) {
    if (!MessageDigest.isEqual(first, fingerprint)) {
      throw new ProblemException(ProblemType.IDEMPOTENCY_KEY_REUSED, "This " + HEADER
          + " was already used with another request; use a new key for a new request");
    }
  }

  private static ProblemException stillInProgress() {
    return new ProblemException(ProblemType.CONFLICT, "A request with this " + HEADER
        + " is still in progress; retry later");
  }

  private static Optional<Reply> await(Attempt first) {
    try {
      return first.answer().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw stillInProgress();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for a duplicate request", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("never completed exceptionally", e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for a duplicate request", e);
    }
  }

  private static byte[] fingerprint(String method, String path, byte[] body) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((method + ' ' + path + '\n').getBytes(StandardCharsets.UTF_8));
      return sha.digest(body);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  /**
   * A request of this process being handled, or awaited in the store; its answer is empty when
   * it failed, absent while it runs.
   */
  private record Attempt(byte[] fingerprint, CompletableFuture<Optional<Reply>> answer) {}

  /** A successful answer, the request it answered, and when it stops being replayed. */
  private record Answered(byte[] fingerprint, Reply reply, Instant expiresAt) {}
}

package io.inmemory.engine.tenant;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Answers to requests sent with an {@code Idempotency-Key}, kept where every process sharing the
 * store sees them, so that a retry through another process replays the first answer instead of
 * running the request again (see {@link AccessStore#idempotency()}).
 *
 * <p>A request first {@link #claim claims} its id: the first claim wins, and every other caller
 * gets the winner's record until it lapses. The owner {@link #renew renews} its lease while the
 * request runs, then {@link #complete completes} the record with the answer or {@link #release
 * releases} it. A record whose {@link IdempotencyRecord#expiresAt()} passed, or a
 * {@link IdempotencyRecord.State#PENDING PENDING} one whose lease passed, counts as absent: it is
 * never returned, and the next claim takes its place.
 *
 * <p>Thread-safe; each call is one atomic store operation, and what it wrote is seen by every
 * later call from any process. {@code now} comes from the caller, so one clock decides. Durable
 * as the store's memory writes. Storage failures are {@link io.inmemory.StorageException}; calls
 * after the store is closed throw {@link IllegalStateException}.
 */
public interface IdempotencyStore {
  /**
   * Claims {@code pending}'s id for its owner unless a live record holds it.
   *
   * @param pending a {@link IdempotencyRecord.State#PENDING PENDING} record
   * @return the live record holding the id, or empty when the claim is the caller's
   * @throws IllegalArgumentException when {@code pending} is not PENDING
   */
  Optional<IdempotencyRecord> claim(IdempotencyRecord pending, Instant now);

  /**
   * Turns the owner's PENDING claim into DONE with {@code answer}, kept until {@code expiresAt}.
   *
   * @param answer the encoded answer, or {@code null} when it is not kept
   * @return false when the owner no longer holds the claim (another process took it over after
   *     its lease lapsed, or it expired); nothing changes then
   * @throws IllegalArgumentException when {@code answer} is over {@link IdempotencyRecord#MAX_ANSWER_BYTES}
   */
  boolean complete(IdempotencyId id, String owner, byte @Nullable [] answer, Instant expiresAt);

  /**
   * Moves the owner's lease on its PENDING claim to {@code leaseUntil}.
   *
   * @return false when the owner no longer holds the claim; nothing changes then
   */
  boolean renew(IdempotencyId id, String owner, Instant leaseUntil);

  /**
   * Drops the owner's PENDING claim (the request failed: nothing is kept, the next one runs
   * afresh); does nothing when the owner no longer holds it.
   */
  void release(IdempotencyId id, String owner);

  /** The record of {@code id} if it is live at {@code now}. */
  Optional<IdempotencyRecord> find(IdempotencyId id, Instant now);

  /**
   * Deletes up to {@code limit} records whose {@link IdempotencyRecord#expiresAt()} is before
   * {@code now}.
   *
   * @return how many were deleted
   * @throws IllegalArgumentException when {@code limit} is not positive
   */
  int purgeExpired(Instant now, int limit);

  /** Checks {@link #claim}'s argument, for implementations. */
  static IdempotencyRecord requirePending(IdempotencyRecord pending) {
    if (pending.state() != IdempotencyRecord.State.PENDING) {
      throw new IllegalArgumentException("only a PENDING record can claim an id, got "
          + pending.state());
    }
    return pending;
  }

  /** Checks {@link #purgeExpired}'s limit, for implementations. */
  static int requirePositiveLimit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    return limit;
  }
}

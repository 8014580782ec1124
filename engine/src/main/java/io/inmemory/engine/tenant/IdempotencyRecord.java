package io.inmemory.engine.tenant;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link IdempotencyStore} keeps of one keyed request: a claim while it runs
 * ({@link State#PENDING}), then its answer ({@link State#DONE}). Instants have millisecond
 * precision. Immutable: the byte arrays are copied in and out, and equality compares their
 * contents.
 *
 * @param id the request's scope and key
 * @param fingerprint SHA-256 of what the request asked for (its method, route and body), 32
 *     bytes: the same key with another fingerprint is a reused key, not a retry
 * @param state running or answered
 * @param owner the process that claimed it, same rules as {@link Project#id()}
 * @param createdAt when it was claimed
 * @param leaseUntil while {@link State#PENDING}, when the claim lapses unless renewed (its owner
 *     is then presumed dead); not used once {@link State#DONE}
 * @param expiresAt when the record stops counting, whatever its state
 * @param answer the encoded answer, opaque to the store, at most
 *     {@link #MAX_ANSWER_BYTES}; {@code null} while pending, and for an answer
 *     its owner kept no copy of (too large)
 */
public record IdempotencyRecord(IdempotencyId id, byte[] fingerprint, State state, String owner,
    Instant createdAt, Instant leaseUntil, Instant expiresAt, byte @Nullable [] answer) {
  public static final int FINGERPRINT_BYTES = 32;
  /** The largest answer kept, under MongoDB's 16 MB document limit. */
  public static final int MAX_ANSWER_BYTES = 15 << 20;

  /** Where a keyed request is. */
  public enum State {
    /** Claimed; its owner is running the request. */
    PENDING,
    /** Answered; the answer (if kept) is replayed to retries. */
    DONE
  }

  public IdempotencyRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(fingerprint, "fingerprint");
    if (fingerprint.length != FINGERPRINT_BYTES) {
      throw new IllegalArgumentException("fingerprint must be " + FINGERPRINT_BYTES
          + " bytes (SHA-256), got " + fingerprint.length);
    }
    fingerprint = fingerprint.clone();
    Objects.requireNonNull(state, "state");
    AccessValues.id(owner, "owner");
    createdAt = AccessValues.millis(createdAt, "createdAt");
    leaseUntil = AccessValues.millis(leaseUntil, "leaseUntil");
    expiresAt = AccessValues.millis(expiresAt, "expiresAt");
    if (answer != null) {
      if (state == State.PENDING) {
        throw new IllegalArgumentException("a PENDING record has no answer yet");
      }
      answer = checkedAnswer(answer).clone();
    }
  }

  /** A new claim by {@code owner} at {@code now}, running until {@code leaseUntil}. */
  public static IdempotencyRecord pending(IdempotencyId id, byte[] fingerprint, String owner,
      Instant now, Instant leaseUntil, Instant expiresAt) {
    return new IdempotencyRecord(id, fingerprint, State.PENDING, owner, now, leaseUntil, expiresAt,
        null);
  }

  /** This claim answered: {@link State#DONE} with {@code answer} until {@code expiresAt}. */
  public IdempotencyRecord done(byte @Nullable [] answer, Instant expiresAt) {
    return new IdempotencyRecord(id, fingerprint, State.DONE, owner, createdAt, leaseUntil,
        expiresAt, answer);
  }

  /** This claim with its lease moved to {@code leaseUntil}. */
  public IdempotencyRecord renewed(Instant leaseUntil) {
    return new IdempotencyRecord(id, fingerprint, state, owner, createdAt, leaseUntil, expiresAt,
        answer);
  }

  /**
   * Whether the record still counts at {@code now}: not expired, and not a claim whose lease
   * lapsed. A record that does not count is treated by every store as absent.
   */
  public boolean isLiveAt(Instant now) {
    return !expiresAt.isBefore(now) && !(state == State.PENDING && leaseUntil.isBefore(now));
  }

  /** Whether {@code owner} holds this record as a running claim. */
  public boolean isPendingFor(String owner) {
    return state == State.PENDING && this.owner.equals(owner);
  }

  @Override
  public byte[] fingerprint() {
    return fingerprint.clone();
  }

  @Override
  public byte @Nullable [] answer() {
    return answer == null ? null : answer.clone();
  }

  /** The answer's length in bytes, 0 without one; no copy. */
  int answerSize() {
    return answer == null ? 0 : answer.length;
  }

  /**
   * Checks an answer's size, for stores and the server alike.
   *
   * @throws IllegalArgumentException when it is over {@link #MAX_ANSWER_BYTES}
   */
  public static byte[] checkedAnswer(byte[] answer) {
    if (answer.length > MAX_ANSWER_BYTES) {
      throw new IllegalArgumentException("an idempotent answer is at most "
          + MAX_ANSWER_BYTES + " bytes, got " + answer.length);
    }
    return answer;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof IdempotencyRecord that && id.equals(that.id)
        && Arrays.equals(fingerprint, that.fingerprint) && state == that.state
        && owner.equals(that.owner) && createdAt.equals(that.createdAt)
        && leaseUntil.equals(that.leaseUntil) && expiresAt.equals(that.expiresAt)
        && Arrays.equals(answer, that.answer);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, Arrays.hashCode(fingerprint), state, owner, createdAt, leaseUntil,
        expiresAt, Arrays.hashCode(answer));
  }

  @Override
  public String toString() {
    return "IdempotencyRecord[id=" + id + ", fingerprint=" + HexFormat.of().formatHex(fingerprint)
        + ", state=" + state + ", owner=" + owner + ", createdAt=" + createdAt + ", leaseUntil="
        + leaseUntil + ", expiresAt=" + expiresAt + ", answer="
        + (answer == null ? "none" : answer.length + " bytes") + "]";
  }
}

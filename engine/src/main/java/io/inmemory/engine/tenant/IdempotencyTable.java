package io.inmemory.engine.tenant;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * An {@link IdempotencyStore} in this process's heap, for stores used by one process only (their
 * {@link AccessStore#idempotency()} is empty): same contract, but its records are lost when the
 * process ends, and its answers are bounded: once the answers kept exceed the table's
 * {@code maxAnswerBytes}, the answered records expiring first are dropped (a retry of one of them
 * then runs again, as one after its expiry would). Records stay until then, or until
 * {@link #purgeExpired} drops them. Thread-safe; each call is one atomic map operation on its id.
 */
public final class IdempotencyTable implements IdempotencyStore {
  private final Map<IdempotencyId, IdempotencyRecord> records = new ConcurrentHashMap<>();
  private final long maxAnswerBytes;
  /** The answer bytes of {@link #records}, changed in the same atomic operation as the map. */
  private final AtomicLong answerBytes = new AtomicLong();

  /** A table whose answers are bounded by the records' expiry only. */
  public IdempotencyTable() {
    this(Long.MAX_VALUE);
  }

  /**
   * A table keeping at most {@code maxAnswerBytes} of answers (see the class comment).
   *
   * @throws IllegalArgumentException when it is negative
   */
  public IdempotencyTable(long maxAnswerBytes) {
    if (maxAnswerBytes < 0) {
      throw new IllegalArgumentException("maxAnswerBytes must not be negative, got "
          + maxAnswerBytes);
    }
    this.maxAnswerBytes = maxAnswerBytes;
  }

  @Override
  public Optional<IdempotencyRecord> claim(IdempotencyRecord pending, Instant now) {
    IdempotencyStore.requirePending(pending);
    AtomicReference<@Nullable IdempotencyRecord> holder = new AtomicReference<>();
    records.compute(pending.id(), (id, existing) -> {
      if (existing != null && existing.isLiveAt(now)) {
        holder.set(existing);
        return existing;
      }
      return counted(existing, pending);
    });
    return Optional.ofNullable(holder.get());
  }

  @Override
  public boolean complete(IdempotencyId id, String owner, byte @Nullable [] answer,
      Instant expiresAt) {
    if (answer != null) {
      IdempotencyRecord.checkedAnswer(answer);
    }
    boolean completed = updatePending(id, owner, claim -> claim.done(answer, expiresAt));
    if (answerBytes.get() > maxAnswerBytes) {
      evictAnswers();
    }
    return completed;
  }

  @Override
  public boolean renew(IdempotencyId id, String owner, Instant leaseUntil) {
    return updatePending(id, owner, claim -> claim.renewed(leaseUntil));
  }

  @Override
  public void release(IdempotencyId id, String owner) {
    records.computeIfPresent(id,
        (key, existing) -> existing.isPendingFor(owner) ? counted(existing, null) : existing);
  }

  @Override
  public Optional<IdempotencyRecord> find(IdempotencyId id, Instant now) {
    return Optional.ofNullable(records.get(id)).filter(record -> record.isLiveAt(now));
  }

  @Override
  public int purgeExpired(Instant now, int limit) {
    IdempotencyStore.requirePositiveLimit(limit);
    int purged = 0;
    for (IdempotencyRecord record : records.values()) {
      if (purged == limit) {
        break;
      }
      if (record.expiresAt().isBefore(now) && remove(record)) {
        purged++;
      }
    }
    return purged;
  }

  /** Drops answered records, those expiring first first, until the answers fit the bound. */
  private void evictAnswers() {
    List<IdempotencyRecord> answered = records.values().stream()
        .filter(record -> record.answerSize() > 0)
        .sorted(Comparator.comparing(IdempotencyRecord::expiresAt)).toList();
    for (IdempotencyRecord record : answered) {
      if (answerBytes.get() <= maxAnswerBytes) {
        return;
      }
      remove(record);
    }
  }

  /** Removes {@code record} unless its id holds another record by now (a new claim stays). */
  private boolean remove(IdempotencyRecord record) {
    AtomicBoolean removed = new AtomicBoolean();
    records.computeIfPresent(record.id(), (key, existing) -> {
      if (existing != record) {
        return existing;
      }
      removed.set(true);
      return counted(existing, null);
    });
    return removed.get();
  }

  private boolean updatePending(IdempotencyId id, String owner,
      UnaryOperator<IdempotencyRecord> change) {
    AtomicBoolean updated = new AtomicBoolean();
    records.computeIfPresent(id, (key, existing) -> {
      if (!existing.isPendingFor(owner)) {
        return existing;
      }
      updated.set(true);
      return counted(existing, change.apply(existing));
    });
    return updated.get();
  }

  /** {@code after}, which replaces {@code before} in the map, with the answer bytes counted. */
  private @Nullable IdempotencyRecord counted(@Nullable IdempotencyRecord before,
      @Nullable IdempotencyRecord after) {
    answerBytes.addAndGet(answerSize(after) - answerSize(before));
    return after;
  }

  private static long answerSize(@Nullable IdempotencyRecord record) {
    return record == null ? 0 : record.answerSize();
  }
}

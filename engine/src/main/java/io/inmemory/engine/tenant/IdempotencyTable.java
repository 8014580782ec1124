package io.inmemory.engine.tenant;

import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * An {@link IdempotencyStore} in this process's heap, for stores used by one process only (their
 * {@link AccessStore#idempotency()} is empty): same contract, but its records are lost when the
 * process ends, and it holds every record until {@link #purgeExpired} drops it. Thread-safe; each
 * call is one atomic map operation on its id.
 */
public final class IdempotencyTable implements IdempotencyStore {
  private final Map<IdempotencyId, IdempotencyRecord> records = new ConcurrentHashMap<>();

  @Override
  public Optional<IdempotencyRecord> claim(IdempotencyRecord pending, Instant now) {
    IdempotencyStore.requirePending(pending);
    AtomicReference<@Nullable IdempotencyRecord> holder = new AtomicReference<>();
    records.compute(pending.id(), (id, existing) -> {
      if (existing != null && existing.isLiveAt(now)) {
        holder.set(existing);
        return existing;
      }
      return pending;
    });
    return Optional.ofNullable(holder.get());
  }

  @Override
  public boolean complete(IdempotencyId id, String owner, byte @Nullable [] answer,
      Instant expiresAt) {
    if (answer != null) {
      IdempotencyRecord.checkedAnswer(answer);
    }
    return updatePending(id, owner, claim -> claim.done(answer, expiresAt));
  }

  @Override
  public boolean renew(IdempotencyId id, String owner, Instant leaseUntil) {
    return updatePending(id, owner, claim -> claim.renewed(leaseUntil));
  }

  @Override
  public void release(IdempotencyId id, String owner) {
    records.computeIfPresent(id, (key, existing) -> existing.isPendingFor(owner) ? null : existing);
  }

  @Override
  public Optional<IdempotencyRecord> find(IdempotencyId id, Instant now) {
    return Optional.ofNullable(records.get(id)).filter(record -> record.isLiveAt(now));
  }

  @Override
  public int purgeExpired(Instant now, int limit) {
    IdempotencyStore.requirePositiveLimit(limit);
    int purged = 0;
    for (Iterator<IdempotencyRecord> it = records.values().iterator();
        it.hasNext() && purged < limit; ) {
      IdempotencyRecord record = it.next();
      // remove(key, value): a record replaced meanwhile by a new claim stays
      if (record.expiresAt().isBefore(now) && records.remove(record.id(), record)) {
        purged++;
      }
    }
    return purged;
  }

  private boolean updatePending(IdempotencyId id, String owner,
      UnaryOperator<IdempotencyRecord> change) {
    AtomicBoolean updated = new AtomicBoolean();
    records.computeIfPresent(id, (key, existing) -> {
      if (!existing.isPendingFor(owner)) {
        return existing;
      }
      updated.set(true);
      return change.apply(existing);
    });
    return updated.get();
  }
}

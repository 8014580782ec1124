package io.inmemory.engine.tenant;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The server's webhooks, kept by the same storage as the memories (see
 * {@link AccessStore#webhooks()}): the hooks, an outbox of memory changes not yet fanned out, each
 * hook's deliveries (its log), and named leases that let one process at a time fan out or send to
 * a hook.
 *
 * <p><b>Where events come from.</b> A store opened with
 * {@link io.inmemory.engine.spi.EventSettings#RECORD} on marks every history entry it writes as a
 * pending event <em>in the same write as the memory</em>: a memory change is durable exactly when
 * its event is, with no extra round trip. Entries written with events off (a restore, see
 * {@link io.inmemory.engine.spi.MemoryStore#insert(List, List, boolean)}) are never events. A
 * dispatcher reads {@link #pendingEvents}, makes one {@link DeliveryRecord} per subscribed hook and
 * hands both to {@link #fanOut}, which clears the marks. Deliveries have unique ids, so fanning
 * out an event twice (a race, or a redo after a crash) keeps one delivery per hook.
 *
 * <p><b>Guarantees.</b> Thread-safe; each call is all or nothing, and what it wrote is seen by
 * every later call from any process sharing the store. Writes are as durable as the store's memory
 * writes once the call returns. {@code now} comes from the caller, so one clock decides leases.
 * Storage failures are {@link io.inmemory.StorageException}; calls after the store is closed throw
 * {@link IllegalStateException}.
 */
public interface WebhookStore {
  /** The lease held while fanning events out. */
  String FANOUT_LEASE = "fanout";
  /** The lease held while purging. */
  String PURGE_LEASE = "purge";
  /** The most items one page of {@link #deliveries} or {@link #pendingEvents} returns. */
  int MAX_LIMIT = 1000;

  /** The lease held while sending to hook {@code hookId}, checked by {@link #recordAttempt}. */
  static String hookLease(String hookId) {
    return "hook:" + hookId;
  }

  /**
   * Stores a new hook.
   *
   * @throws io.inmemory.ConflictException when a hook with its id exists; nothing changes
   */
  void createHook(WebhookRecord hook);

  /** The hook with this id. */
  Optional<WebhookRecord> hook(String id);

  /** The hooks of a project, enabled or not, oldest first (ties by id). */
  List<WebhookRecord> hooks(String projectId);

  /** Every enabled hook of every project, oldest first (ties by id). */
  List<WebhookRecord> enabledHooks();

  /**
   * Replaces {@code expected} by {@code next} if the stored hook is still {@code expected}'s
   * version (compare-and-set).
   *
   * @return false when the hook is gone or its stored version is not {@code expected.version()};
   *     nothing changes then
   * @throws IllegalArgumentException when {@code next} has another id or project, or its version
   *     is not {@code expected.version() + 1}
   */
  boolean replaceHook(WebhookRecord expected, WebhookRecord next);

  /**
   * Deletes a hook with all its deliveries.
   *
   * @return false when no hook has this id
   */
  boolean deleteHook(String id);

  /**
   * Up to {@code limit} marked events, oldest first, that are ready to fan out at {@code now}. A
   * store whose writes can be seen before they are complete (MongoDB, which has no transactions
   * here) returns only events whose memory write is visible, and clears, never returns, the marks
   * of writes that never completed (their writer died) once they are older than the pending
   * timeout.
   *
   * @throws IllegalArgumentException when {@code limit} is not 1 to {@value #MAX_LIMIT}
   */
  List<OutboxEvent> pendingEvents(int limit, Instant now);

  /**
   * In one write: stores {@code created} and clears the marks of {@code done}. Deliveries whose
   * id exists already, or whose hook no longer exists, are skipped; events already cleared are
   * ignored. So a redo, or two processes racing, never duplicate a delivery.
   */
  void fanOut(List<OutboxEvent> done, List<DeliveryRecord> created);

  /**
   * Stores deliveries of events made by the server ({@link WebhookEventType#IMPORT_FINISHED},
   * {@link WebhookEventType#WEBHOOK_TEST}), with the same skipping as {@link #fanOut}.
   */
  void enqueue(List<DeliveryRecord> created);

  /** The hook's {@link DeliveryState#PENDING} delivery with the lowest sequence, due or not. */
  Optional<DeliveryRecord> head(String hookId);

  /**
   * In one write, replaces a delivery by {@code next} and its hook by {@code hookNext} (the
   * outcome of an attempt: the delivery's state and the hook's failure count or disabling), if
   * {@code leaseOwner} holds the hook's {@link #hookLease lease} (lapsed or not: nobody else
   * claimed it) and the stored hook is {@code hookNext}'s previous version.
   *
   * @return false, changing nothing, when the lease is another's or nobody's, the delivery or the
   *     hook is gone, or the hook changed meanwhile (re-read it and try again)
   * @throws IllegalArgumentException when {@code next} is not a delivery of {@code hookNext}
   */
  boolean recordAttempt(DeliveryRecord next, WebhookRecord hookNext, String leaseOwner);

  /**
   * The hook's delivery log, newest (highest sequence) first.
   *
   * @param beforeSequence only deliveries with a lower sequence (the last of the previous page);
   *     {@code null} from the newest
   * @param limit the most to return
   * @throws IllegalArgumentException when {@code limit} is not 1 to {@value #MAX_LIMIT}
   */
  List<DeliveryRecord> deliveries(String hookId, @Nullable Long beforeSequence, int limit);

  /**
   * Reserves {@code count} consecutive sequence numbers, each higher than any reserved before in
   * this store, and returns the first. (A store used by one process at a time may, after a
   * restart, only guarantee numbers higher than every stored delivery's: numbers reserved but
   * never stored can come again, which is harmless.)
   *
   * @throws IllegalArgumentException when {@code count} is not positive
   */
  long nextSequences(int count);

  /**
   * Deletes {@link DeliveryState#DELIVERED} deliveries last attempted before
   * {@code deliveredBefore}, and turns {@link DeliveryState#PENDING} deliveries of disabled hooks
   * made before {@code pendingBefore} into {@link DeliveryState#EXPIRED} ones, which stay in the
   * log (never dropped unseen) until their hook is deleted.
   *
   * @return how many deliveries were deleted plus how many expired
   */
  int purge(Instant deliveredBefore, Instant pendingBefore);

  /**
   * Takes or renews the lease {@code name} for {@code owner} until {@code until}: it succeeds
   * when nobody holds the lease, {@code owner} does, or the holder's lease ended before
   * {@code now}.
   *
   * @return whether {@code owner} holds the lease now
   */
  boolean claim(String name, String owner, Instant until, Instant now);

  /** Gives the lease {@code name} up if {@code owner} holds it; otherwise does nothing. */
  void release(String name, String owner);

  /** Checks a page limit, for implementations. */
  static int requireLimit(int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", got " + limit);
    }
    return limit;
  }

  /** Checks {@link #replaceHook}'s arguments, for implementations. */
  static void requireSuccessor(WebhookRecord expected, WebhookRecord next) {
    if (!next.id().equals(expected.id()) || !next.projectId().equals(expected.projectId())
        || next.version() != expected.version() + 1) {
      throw new IllegalArgumentException("hook " + next.id() + " version " + next.version()
          + " does not follow hook " + expected.id() + " version " + expected.version()
          + " of the same project");
    }
  }

  /** Checks {@link #recordAttempt}'s arguments, for implementations. */
  static void requireDeliveryOf(DeliveryRecord delivery, WebhookRecord hook) {
    if (!delivery.hookId().equals(hook.id())) {
      throw new IllegalArgumentException("delivery " + delivery.id() + " is not of hook "
          + hook.id());
    }
  }

  /** Checks a lease's name and owner, for implementations. */
  static void requireLease(String name, String owner) {
    if (Objects.requireNonNull(name, "name").isBlank()
        || Objects.requireNonNull(owner, "owner").isBlank()) {
      throw new IllegalArgumentException("a lease's name and owner must not be blank");
    }
  }
}

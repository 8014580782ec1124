package io.inmemory.engine.tenant;

import io.inmemory.ConflictException;
import io.inmemory.HistoryEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A {@link WebhookStore} held in the heap, for stores that keep their records in memory and
 * persist each change themselves (the volatile store; the file store's log). Pending events are
 * {@link #record recorded} by the store in the same step as the memory write, keyed by the
 * write's position so that a store replaying its log in order keys them again the same way.
 * Every change is expressed as an {@link Effect} handed to the {@link Journal} after validation
 * and before the table changes, so a journal that throws leaves the table as it was;
 * {@link #replay} applies a logged effect back. Effects are upserts and removals by id, so
 * replaying one over a state that already holds it changes nothing. Leases live in the heap only:
 * such a store is used by one process at a time.
 *
 * <p>Thread-safe: every method runs under the table's monitor, journal calls included, so the
 * journal sees changes in the order the table applies them. After {@link #close()} every method
 * throws {@link IllegalStateException}.
 */
public final class WebhookTable implements WebhookStore {
  private static final Comparator<WebhookRecord> HOOK_ORDER =
      Comparator.comparing(WebhookRecord::createdAt).thenComparing(WebhookRecord::id);

  /**
   * Persists changes before the table applies them. Called under the table's monitor, one change
   * at a time in the table's order; a write that throws leaves the table unchanged, so it must
   * not be half-durable either.
   */
  public interface Journal {
    /** Persists one change, all or nothing. */
    void write(Effect effect);
  }

  /** A journal that persists nothing, for stores whose records live only in the heap. */
  public static final Journal NO_JOURNAL = effect -> {};

  /**
   * One change of the table, as absolute values: what {@link Journal#write} persists and
   * {@link #replay} applies.
   *
   * @param hook a new or changed hook, or {@code null}
   * @param deletedHook the id of a hook deleted with all its deliveries, or {@code null}
   * @param clearedEvents the tokens of events fanned out
   * @param deliveries new or changed deliveries
   * @param deletedDeliveries the ids of deliveries purged
   */
  public record Effect(@Nullable WebhookRecord hook, @Nullable String deletedHook,
      List<String> clearedEvents, List<DeliveryRecord> deliveries,
      List<String> deletedDeliveries) {
    public Effect {
      clearedEvents = List.copyOf(clearedEvents);
      deliveries = List.copyOf(deliveries);
      deletedDeliveries = List.copyOf(deletedDeliveries);
    }

    static Effect ofHook(WebhookRecord hook) {
      return new Effect(hook, null, List.of(), List.of(), List.of());
    }

    static Effect ofDeliveries(List<DeliveryRecord> deliveries, @Nullable WebhookRecord hook) {
      return new Effect(hook, null, List.of(), deliveries, List.of());
    }
  }

  /**
   * Everything the table holds but its leases, for a store's snapshot. An immutable value (the
   * lists are copied), non-null throughout.
   *
   * @param lastSequence the last delivery sequence reserved (0 before the first)
   * @param events the pending events, oldest first
   * @param hooks every hook
   * @param deliveries every delivery
   */
  public record Contents(long lastSequence, List<OutboxEvent> events, List<WebhookRecord> hooks,
      List<DeliveryRecord> deliveries) {
    public Contents {
      events = List.copyOf(events);
      hooks = List.copyOf(hooks);
      deliveries = List.copyOf(deliveries);
    }
  }

  private record Lease(String owner, Instant until) {}

  private final Journal journal;
  /**
   * By token; tokens sort in the order the events were written. Concurrent, so that
   * {@link #record} needs no monitor.
   */
  private final NavigableMap<String, OutboxEvent> events = new ConcurrentSkipListMap<>();
  private final Map<String, WebhookRecord> hooks = new HashMap<>();
  /** Per hook, its deliveries by sequence. */
  private final Map<String, NavigableMap<Long, DeliveryRecord>> deliveries = new HashMap<>();
  private final Map<String, Long> sequenceById = new HashMap<>();
  private final Map<String, Lease> leases = new HashMap<>();
  /** Positions of {@link #record(String, List)}; not persisted (that is for volatile stores). */
  private final AtomicLong lastPosition = new AtomicLong();
  private long lastSequence;
  private volatile boolean closed;

  public WebhookTable(Journal journal) {
    this.journal = Objects.requireNonNull(journal, "journal");
  }

  /**
   * Records history entries of {@code namespace} just written as pending events, in a heap-only
   * store: positions are counted by the table.
   */
  public void record(String namespace, List<HistoryEntry> entries) {
    record(namespace, entries, String.format("%016x", lastPosition.incrementAndGet()));
  }

  /**
   * Records history entries of {@code namespace} just written as pending events, in the same step
   * as the write (and again when replaying it). {@code position} identifies the write in the
   * store, and positions of later writes sort after it as strings (fixed-width hex, say): an
   * event's token is its position and its index in {@code entries}, its id {@code evt_} and the
   * token. Takes no monitor of the table's, so a store may call it while holding the locks of its
   * write path (which the table's own writes take after its monitor, through the journal).
   */
  public void record(String namespace, List<HistoryEntry> entries, String position) {
    ensureOpen();
    for (int i = 0; i < entries.size(); i++) {
      String token = position + String.format("%08x", i);
      events.put(token, new OutboxEvent("evt_" + token, namespace, entries.get(i), token));
    }
  }

  /** Everything but the leases, for a snapshot. */
  public synchronized Contents contents() {
    ensureOpen();
    List<DeliveryRecord> all = new ArrayList<>();
    deliveries.values().forEach(log -> all.addAll(log.values()));
    return new Contents(lastSequence, List.copyOf(events.values()), List.copyOf(hooks.values()),
        all);
  }

  /** Adds a snapshot's {@code contents} (over an empty table, or one holding older values). */
  public synchronized void restore(Contents contents) {
    ensureOpen();
    lastSequence = Math.max(lastSequence, contents.lastSequence());
    contents.events().forEach(event -> events.put(event.token(), event));
    contents.hooks().forEach(hook -> hooks.put(hook.id(), hook));
    contents.deliveries().forEach(this::put);
  }

  /** Applies a logged effect without journaling it, for a store's replay. */
  public synchronized void replay(Effect effect) {
    ensureOpen();
    if (effect.deletedHook() != null) {
      hooks.remove(effect.deletedHook());
      NavigableMap<Long, DeliveryRecord> log = deliveries.remove(effect.deletedHook());
      if (log != null) {
        log.values().forEach(delivery -> sequenceById.remove(delivery.id()));
      }
    }
    effect.clearedEvents().forEach(events::remove);
    effect.deliveries().forEach(this::put);
    for (String id : effect.deletedDeliveries()) {
      Long sequence = sequenceById.remove(id);
      if (sequence != null) {
        deliveries.get(id.substring(0, id.indexOf(':'))).remove(sequence);
      }
    }
    if (effect.hook() != null) {
      hooks.put(effect.hook().id(), effect.hook());
    }
  }

  /** Journals {@code effect}, then applies it. */
  private void apply(Effect effect) {
    journal.write(effect);
    replay(effect);
  }

  @Override
  public synchronized void createHook(WebhookRecord hook) {
    ensureOpen();
    if (hooks.containsKey(hook.id())) {
      throw new ConflictException("webhook " + hook.id() + " already exists");
    }
    apply(Effect.ofHook(hook));
  }

  @Override
  public synchronized Optional<WebhookRecord> hook(String id) {
    ensureOpen();
    return Optional.ofNullable(hooks.get(id));
  }

  @Override
  public synchronized List<WebhookRecord> hooks(String projectId) {
    return hooksWhere(hook -> hook.projectId().equals(projectId));
  }

  @Override
  public synchronized List<WebhookRecord> enabledHooks() {
    return hooksWhere(WebhookRecord::enabled);
  }

  @Override
  public synchronized boolean replaceHook(WebhookRecord expected, WebhookRecord next) {
    ensureOpen();
    WebhookStore.requireSuccessor(expected, next);
    WebhookRecord stored = hooks.get(expected.id());
    if (stored == null || stored.version() != expected.version()) {
      return false;
    }
    apply(Effect.ofHook(next));
    return true;
  }

  @Override
  public synchronized boolean deleteHook(String id) {
    ensureOpen();
    if (!hooks.containsKey(id)) {
      return false;
    }
    apply(new Effect(null, id, List.of(), List.of(), List.of()));
    return true;
  }

  @Override
  public synchronized List<OutboxEvent> pendingEvents(int limit, Instant now) {
    ensureOpen();
    WebhookStore.requireLimit(limit);
    return events.values().stream().limit(limit).toList();
  }

  @Override
  public synchronized void fanOut(List<OutboxEvent> done, List<DeliveryRecord> created) {
    ensureOpen();
    List<String> cleared = done.stream().map(OutboxEvent::token).filter(events::containsKey)
        .distinct().toList();
    List<DeliveryRecord> fresh = fresh(created);
    if (!cleared.isEmpty() || !fresh.isEmpty()) {
      apply(new Effect(null, null, cleared, fresh, List.of()));
    }
  }

  @Override
  public synchronized void enqueue(List<DeliveryRecord> created) {
    ensureOpen();
    List<DeliveryRecord> fresh = fresh(created);
    if (!fresh.isEmpty()) {
      apply(Effect.ofDeliveries(fresh, null));
    }
  }

  @Override
  public synchronized Optional<DeliveryRecord> head(String hookId) {
    ensureOpen();
    return deliveries.getOrDefault(hookId, new TreeMap<>()).values().stream()
        .filter(delivery -> delivery.state() == DeliveryState.PENDING).findFirst();
  }

  @Override
  public synchronized boolean recordAttempt(DeliveryRecord next, WebhookRecord hookNext,
      String leaseOwner) {
    ensureOpen();
    WebhookStore.requireDeliveryOf(next, hookNext);
    Lease lease = leases.get(WebhookStore.hookLease(hookNext.id()));
    WebhookRecord stored = hooks.get(hookNext.id());
    if (lease == null || !lease.owner().equals(leaseOwner) || stored == null
        || stored.version() != hookNext.version() - 1 || !sequenceById.containsKey(next.id())) {
      return false;
    }
    apply(Effect.ofDeliveries(List.of(next), hookNext));
    return true;
  }

  @Override
  public synchronized List<DeliveryRecord> deliveries(String hookId,
      @Nullable Long beforeSequence, int limit) {
    ensureOpen();
    WebhookStore.requireLimit(limit);
    NavigableMap<Long, DeliveryRecord> log = deliveries.getOrDefault(hookId, new TreeMap<>());
    NavigableMap<Long, DeliveryRecord> page =
        beforeSequence == null ? log : log.headMap(beforeSequence, false);
    return page.descendingMap().values().stream().limit(limit).toList();
  }

  @Override
  public synchronized long nextSequences(int count) {
    ensureOpen();
    if (count < 1) {
      throw new IllegalArgumentException("count must be positive, got " + count);
    }
    long first = lastSequence + 1;
    lastSequence += count;
    return first;
  }

  @Override
  public synchronized int purge(Instant deliveredBefore, Instant pendingBefore) {
    ensureOpen();
    List<String> deleted = new ArrayList<>();
    List<DeliveryRecord> expired = new ArrayList<>();
    for (NavigableMap<Long, DeliveryRecord> log : deliveries.values()) {
      for (DeliveryRecord delivery : log.values()) {
        WebhookRecord hook = hooks.get(delivery.hookId());
        if (delivery.state() == DeliveryState.DELIVERED && delivery.lastAttemptAt() != null
            && delivery.lastAttemptAt().isBefore(deliveredBefore)) {
          deleted.add(delivery.id());
        } else if (delivery.state() == DeliveryState.PENDING && hook != null && !hook.enabled()
            && delivery.createdAt().isBefore(pendingBefore)) {
          expired.add(delivery.inState(DeliveryState.EXPIRED));
        }
      }
    }
    if (!deleted.isEmpty() || !expired.isEmpty()) {
      apply(new Effect(null, null, List.of(), expired, deleted));
    }
    return deleted.size() + expired.size();
  }

  @Override
  public synchronized boolean claim(String name, String owner, Instant until, Instant now) {
    ensureOpen();
    WebhookStore.requireLease(name, owner);
    Lease held = leases.get(name);
    if (held != null && !held.owner().equals(owner) && !held.until().isBefore(now)) {
      return false;
    }
    leases.put(name, new Lease(owner, until));
    return true;
  }

  @Override
  public synchronized void release(String name, String owner) {
    ensureOpen();
    WebhookStore.requireLease(name, owner);
    leases.computeIfPresent(name, (key, held) -> held.owner().equals(owner) ? null : held);
  }

  /** Makes every later call throw {@link IllegalStateException} and drops the records. */
  public synchronized void close() {
    closed = true;
    events.clear();
    hooks.clear();
    deliveries.clear();
    sequenceById.clear();
    leases.clear();
  }

  private List<WebhookRecord> hooksWhere(Predicate<WebhookRecord> wanted) {
    ensureOpen();
    return hooks.values().stream().filter(wanted).sorted(HOOK_ORDER).toList();
  }

  /** The deliveries of {@code created} not stored yet whose hook exists, first of each id. */
  private List<DeliveryRecord> fresh(List<DeliveryRecord> created) {
    Map<String, DeliveryRecord> fresh = new HashMap<>();
    List<DeliveryRecord> ordered = new ArrayList<>();
    for (DeliveryRecord delivery : created) {
      if (hooks.containsKey(delivery.hookId()) && !sequenceById.containsKey(delivery.id())
          && fresh.putIfAbsent(delivery.id(), delivery) == null) {
        ordered.add(delivery);
      }
    }
    return ordered;
  }

  private void put(DeliveryRecord delivery) {
    Long previous = sequenceById.put(delivery.id(), delivery.sequence());
    NavigableMap<Long, DeliveryRecord> log =
        deliveries.computeIfAbsent(delivery.hookId(), id -> new TreeMap<>());
    if (previous != null) {
      log.remove(previous);
    }
    log.put(delivery.sequence(), delivery);
    lastSequence = Math.max(lastSequence, delivery.sequence());
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the store is closed");
    }
  }
}

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
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A {@link WebhookStore} held in the heap, for stores that keep their records in memory and
 * persist each change themselves (the volatile store; the file store's log). Pending events are
 * numbered in the order {@link #record} is called, from 1, so a store that replays its log in order
 * numbers them again the same way. Every change is expressed as an effect handed to the
 * {@link Journal} after validation and before the table changes, so a journal that throws leaves
 * the table as it was; {@link #replayer()} applies logged effects back without journaling them.
 * Leases live in the heap only: such a store is used by one process at a time.
 *
 * <p>Thread-safe: every method runs under the table's monitor, journal calls included, so the
 * journal sees changes in the order the table applies them. After {@link #close()} every method
 * throws {@link IllegalStateException}.
 */
public final class WebhookTable implements WebhookStore {
  private static final Comparator<WebhookRecord> HOOK_ORDER =
      Comparator.comparing(WebhookRecord::createdAt).thenComparing(WebhookRecord::id);

  /** Persists changes before the table applies them; the same effects replay them. */
  public interface Journal {
    /** Persists a new or changed hook. */
    void putHook(WebhookRecord hook);

    /** Persists a hook's deletion, with its deliveries. */
    void deleteHook(String id);

    /** Persists a fan-out: the events (by number) cleared and the deliveries made, together. */
    void fanOut(List<Long> events, List<DeliveryRecord> created);

    /** Persists new or changed deliveries and, when not null, their hook's change, together. */
    void putDeliveries(List<DeliveryRecord> deliveries, @Nullable WebhookRecord hook);

    /** Persists a {@link WebhookStore#purge}, which replays to the same effect. */
    void purge(Instant deliveredBefore, Instant pendingBefore);
  }

  /** A journal that persists nothing, for stores whose records live only in the heap. */
  public static final Journal NO_JOURNAL = new Journal() {
    @Override
    public void putHook(WebhookRecord hook) {}

    @Override
    public void deleteHook(String id) {}

    @Override
    public void fanOut(List<Long> events, List<DeliveryRecord> created) {}

    @Override
    public void putDeliveries(List<DeliveryRecord> deliveries, @Nullable WebhookRecord hook) {}

    @Override
    public void purge(Instant deliveredBefore, Instant pendingBefore) {}
  };

  /**
   * Everything the table holds but its leases, for a store's snapshot.
   *
   * @param lastEvent the number of the last event recorded (0 before the first)
   * @param lastSequence the last delivery sequence reserved (0 before the first)
   * @param events the pending events, oldest first
   * @param hooks every hook
   * @param deliveries every delivery
   */
  public record Contents(long lastEvent, long lastSequence, List<OutboxEvent> events,
      List<WebhookRecord> hooks, List<DeliveryRecord> deliveries) {
    public Contents {
      events = List.copyOf(events);
      hooks = List.copyOf(hooks);
      deliveries = List.copyOf(deliveries);
    }
  }

  private record Lease(String owner, Instant until) {}

  private final Journal journal;
  private final Journal replayer = new Replayer();
  private final NavigableMap<Long, OutboxEvent> events = new TreeMap<>();
  private final Map<String, WebhookRecord> hooks = new HashMap<>();
  /** Per hook, its deliveries by sequence. */
  private final Map<String, NavigableMap<Long, DeliveryRecord>> deliveries = new HashMap<>();
  private final Map<String, Long> sequenceById = new HashMap<>();
  private final Map<String, Lease> leases = new HashMap<>();
  private long lastEvent;
  private long lastSequence;
  private boolean closed;

  public WebhookTable(Journal journal) {
    this.journal = Objects.requireNonNull(journal, "journal");
  }

  /**
   * Records history entries of {@code namespace} just written as pending events, numbered on from
   * the last one. The store calls it in the same step as the write (and again when replaying it).
   */
  public synchronized void record(String namespace, List<HistoryEntry> entries) {
    ensureOpen();
    for (HistoryEntry entry : entries) {
      long number = ++lastEvent;
      events.put(number, new OutboxEvent("evt_" + number, namespace, entry,
          Long.toString(number)));
    }
  }

  /** Applies logged effects to this table without journaling them, for a store's replay. */
  public Journal replayer() {
    return replayer;
  }

  /** Everything but the leases, for a snapshot. */
  public synchronized Contents contents() {
    ensureOpen();
    List<DeliveryRecord> all = new ArrayList<>();
    deliveries.values().forEach(log -> all.addAll(log.values()));
    return new Contents(lastEvent, lastSequence, List.copyOf(events.values()),
        List.copyOf(hooks.values()), all);
  }

  /** Replaces everything but the leases by a snapshot's {@code contents}. */
  public synchronized void restore(Contents contents) {
    ensureOpen();
    events.clear();
    hooks.clear();
    deliveries.clear();
    sequenceById.clear();
    lastEvent = contents.lastEvent();
    lastSequence = contents.lastSequence();
    contents.events().forEach(event -> events.put(Long.parseLong(event.token()), event));
    contents.hooks().forEach(hook -> hooks.put(hook.id(), hook));
    contents.deliveries().forEach(this::put);
  }

  @Override
  public synchronized void createHook(WebhookRecord hook) {
    ensureOpen();
    if (hooks.containsKey(hook.id())) {
      throw new ConflictException("webhook " + hook.id() + " already exists");
    }
    journal.putHook(hook);
    hooks.put(hook.id(), hook);
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
    journal.putHook(next);
    hooks.put(next.id(), next);
    return true;
  }

  @Override
  public synchronized boolean deleteHook(String id) {
    ensureOpen();
    if (!hooks.containsKey(id)) {
      return false;
    }
    journal.deleteHook(id);
    replayer.deleteHook(id);
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
    List<Long> cleared = done.stream().map(event -> Long.parseLong(event.token()))
        .filter(events::containsKey).distinct().toList();
    List<DeliveryRecord> fresh = fresh(created);
    if (cleared.isEmpty() && fresh.isEmpty()) {
      return;
    }
    journal.fanOut(cleared, fresh);
    replayer.fanOut(cleared, fresh);
  }

  @Override
  public synchronized void enqueue(List<DeliveryRecord> created) {
    ensureOpen();
    List<DeliveryRecord> fresh = fresh(created);
    if (!fresh.isEmpty()) {
      journal.putDeliveries(fresh, null);
      fresh.forEach(this::put);
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
    journal.putDeliveries(List.of(next), hookNext);
    replayer.putDeliveries(List.of(next), hookNext);
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
    int affected = purged(deliveredBefore, pendingBefore).size();
    if (affected > 0) {
      journal.purge(deliveredBefore, pendingBefore);
      replayer.purge(deliveredBefore, pendingBefore);
    }
    return affected;
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

  /** The deliveries a purge deletes (DELIVERED) or expires (PENDING), in no order. */
  private List<DeliveryRecord> purged(Instant deliveredBefore, Instant pendingBefore) {
    List<DeliveryRecord> affected = new ArrayList<>();
    for (NavigableMap<Long, DeliveryRecord> log : deliveries.values()) {
      for (DeliveryRecord delivery : log.values()) {
        WebhookRecord hook = hooks.get(delivery.hookId());
        boolean old = switch (delivery.state()) {
          case DELIVERED -> delivery.lastAttemptAt() != null
              && delivery.lastAttemptAt().isBefore(deliveredBefore);
          case PENDING -> hook != null && !hook.enabled()
              && delivery.createdAt().isBefore(pendingBefore);
          case EXPIRED -> false;
        };
        if (old) {
          affected.add(delivery);
        }
      }
    }
    return affected;
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

  private void remove(DeliveryRecord delivery) {
    sequenceById.remove(delivery.id());
    deliveries.get(delivery.hookId()).remove(delivery.sequence());
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the store is closed");
    }
  }

  /** Applies effects to the table directly; callers hold the table's monitor or replay alone. */
  private final class Replayer implements Journal {
    @Override
    public void putHook(WebhookRecord hook) {
      synchronized (WebhookTable.this) {
        hooks.put(hook.id(), hook);
      }
    }

    @Override
    public void deleteHook(String id) {
      synchronized (WebhookTable.this) {
        hooks.remove(id);
        NavigableMap<Long, DeliveryRecord> log = deliveries.remove(id);
        if (log != null) {
          log.values().forEach(delivery -> sequenceById.remove(delivery.id()));
        }
      }
    }

    @Override
    public void fanOut(List<Long> cleared, List<DeliveryRecord> created) {
      synchronized (WebhookTable.this) {
        cleared.forEach(events::remove);
        created.forEach(WebhookTable.this::put);
      }
    }

    @Override
    public void putDeliveries(List<DeliveryRecord> changed, @Nullable WebhookRecord hook) {
      synchronized (WebhookTable.this) {
        changed.forEach(WebhookTable.this::put);
        if (hook != null) {
          hooks.put(hook.id(), hook);
        }
      }
    }

    @Override
    public void purge(Instant deliveredBefore, Instant pendingBefore) {
      synchronized (WebhookTable.this) {
        for (DeliveryRecord delivery : purged(deliveredBefore, pendingBefore)) {
          if (delivery.state() == DeliveryState.DELIVERED) {
            remove(delivery);
          } else {
            put(delivery.inState(DeliveryState.EXPIRED));
          }
        }
      }
    }
  }
}

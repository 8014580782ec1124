package io.inmemory.server;

import io.inmemory.engine.tenant.DeliveryRecord;
import io.inmemory.engine.tenant.DeliveryState;
import io.inmemory.engine.tenant.OutboxEvent;
import io.inmemory.engine.tenant.WebhookRecord;
import io.inmemory.engine.tenant.WebhookStore;
import io.inmemory.server.WebhookHttp.Attempt;
import io.inmemory.server.WebhookHttp.Outcome;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers webhooks: every poll interval, or at once when {@link #nudge() nudged} after a write,
 * it (1) holding the store's fan-out lease, turns pending events into one delivery per subscribed
 * hook of the event's project (disabled hooks included: theirs wait for {@code enable}), in event
 * order; (2) for each enabled hook whose oldest pending delivery is due, holding the hook's lease,
 * sends its deliveries one at a time in order (at most {@link WebhookSettings#concurrency()} hooks
 * at once) and records each attempt; (3) hourly, holding the purge lease, purges the log. Leases
 * live in the store, so replicas sharing it never send to one hook at once; a process that dies
 * holds its leases for {@link WebhookSettings#lease()} at most, and the delivery it was sending is
 * sent again then (at least once, with the same {@code webhook-id}).
 *
 * <p><b>Attempts.</b> A 2xx answer delivers. Anything else (3xx included: redirects are not
 * followed) is a failure, tried again after {@link Backoff}, with the receiver's
 * {@code Retry-After} as a floor. The hook is disabled, with the reason kept on it, when a
 * delivery fails {@link Backoff#maxAttempts()} times in a row, at once on 410 Gone, or when its
 * URL now resolves to a refused address ({@link WebhookTargets}); its deliveries stay queued.
 * A hook whose failures are zero (just enabled) has its oldest delivery due at once.
 *
 * <p>Thread-safe. {@link #close()} sends nothing new, lets attempts in flight finish (bounded by
 * the attempt timeout) and releases its leases.
 */
final class WebhookDispatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
  /**
   * Events fanned out per store round trip: each carries its history entry, contents included
   * (up to twice the largest memory), so a batch is kept small enough for a small heap; a full
   * batch is followed by the next at once.
   */
  static final int FAN_OUT_BATCH = 32;
  private static final Duration PURGE_EVERY = Duration.ofHours(1);
  /** Tries to record an attempt while the hook keeps changing under it. */
  private static final int RECORD_TRIES = 16;

  private final WebhookStore store;
  private final WebhookSettings settings;
  private final WebhookTargets targets;
  private final WebhookHttp http;
  private final WebhookMeters meters;
  private final Clock clock;
  private final String owner;
  private final ExecutorService senders;
  private final Thread loop;
  private final Set<String> sending = ConcurrentHashMap.newKeySet();
  private final Semaphore wake = new Semaphore(0);
  private volatile boolean running = true;
  private Instant nextPurge = Instant.MIN;

  /**
   * A dispatcher, not yet started.
   *
   * @param owner this process's name in the leases it holds
   */
  WebhookDispatcher(WebhookStore store, WebhookSettings settings, WebhookTargets targets,
      WebhookMeters meters, Clock clock, String owner) {
    this.store = store;
    this.settings = settings;
    this.targets = targets;
    this.http = new WebhookHttp();
    this.meters = meters;
    this.clock = clock;
    this.owner = owner;
    AtomicInteger threads = new AtomicInteger();
    this.senders = Executors.newFixedThreadPool(settings.concurrency(), runnable -> {
      Thread thread = new Thread(runnable, "inmemory-webhook-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    this.loop = new Thread(this::run, "inmemory-webhooks");
    loop.setDaemon(true);
  }

  /** Starts polling. */
  void start() {
    loop.start();
  }

  /** Looks for events and due deliveries now rather than at the next poll. */
  void nudge() {
    if (wake.availablePermits() == 0) {
      wake.release();
    }
  }

  private void run() {
    while (running) {
      try {
        fanOut();
        dispatchDue();
        purgeWhenDue();
      } catch (RuntimeException e) {
        LOG.warn("Webhook dispatch failed; trying again in {} ms", settings.poll().toMillis(), e);
      }
      try {
        if (wake.tryAcquire(settings.poll().toMillis(), TimeUnit.MILLISECONDS)) {
          wake.drainPermits();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  // ------------------------------------------------------------------ fan-out

  private void fanOut() {
    Instant now = clock.instant();
    if (!store.claim(WebhookStore.FANOUT_LEASE, owner, now.plus(settings.lease()), now)) {
      return;
    }
    try {
      while (running) {
        List<OutboxEvent> events = store.pendingEvents(FAN_OUT_BATCH, clock.instant());
        if (events.isEmpty()) {
          return;
        }
        store.fanOut(events, deliveries(events));
        now = clock.instant();
        if (events.size() < FAN_OUT_BATCH
            || !store.claim(WebhookStore.FANOUT_LEASE, owner, now.plus(settings.lease()), now)) {
          return;
        }
      }
    } finally {
      store.release(WebhookStore.FANOUT_LEASE, owner);
    }
  }

  /** One delivery per event and subscribed hook, numbered in event order. */
  private List<DeliveryRecord> deliveries(List<OutboxEvent> events) {
    Map<String, List<WebhookRecord>> hooks = new HashMap<>();
    List<Map.Entry<OutboxEvent, WebhookRecord>> pairs = new ArrayList<>();
    for (OutboxEvent event : events) {
      for (WebhookRecord hook : hooks.computeIfAbsent(event.namespace(), store::hooks)) {
        if (hook.wants(event.type())) {
          pairs.add(Map.entry(event, hook));
        }
      }
    }
    if (pairs.isEmpty()) {
      return List.of();
    }
    long sequence = store.nextSequences(pairs.size());
    Instant now = clock.instant();
    List<DeliveryRecord> created = new ArrayList<>(pairs.size());
    for (Map.Entry<OutboxEvent, WebhookRecord> pair : pairs) {
      OutboxEvent event = pair.getKey();
      WebhookRecord hook = pair.getValue();
      created.add(DeliveryRecord.pending(hook.id(), hook.projectId(), event.id(), event.type(),
          sequence++, WebhookPayloads.memoryEvent(event.type().wireName(), event.namespace(),
              event.entry(), hook.includeContent()), now));
    }
    return created;
  }

  // ------------------------------------------------------------------ sending

  private void dispatchDue() {
    Instant now = clock.instant();
    for (WebhookRecord hook : store.enabledHooks()) {
      if (!running || sending.size() >= settings.concurrency()) {
        return;
      }
      if (sending.contains(hook.id())) {
        continue;
      }
      Optional<DeliveryRecord> head = store.head(hook.id());
      if (head.isPresent() && due(hook, head.get(), now) && sending.add(hook.id())) {
        try {
          senders.execute(() -> {
            try {
              send(hook.id());
            } catch (RuntimeException e) {
              LOG.warn("Sending to webhook {} failed; trying again later", hook.id(), e);
            } finally {
              sending.remove(hook.id());
            }
          });
        } catch (RejectedExecutionException stopping) {
          sending.remove(hook.id());
          return;
        }
      }
    }
  }

  /** Whether the head is due: its time has come, or the hook has no failures to back off from. */
  private static boolean due(WebhookRecord hook, DeliveryRecord head, Instant now) {
    return hook.consecutiveFailures() == 0 || !head.nextAttemptAt().isAfter(now);
  }

  /** Sends the hook's due deliveries in order while it holds the hook's lease. */
  private void send(String hookId) {
    String lease = WebhookStore.hookLease(hookId);
    try {
      while (running) {
        Instant now = clock.instant();
        // renewed before each attempt, so an attempt (shorter than the lease) never outlives it
        if (!store.claim(lease, owner, now.plus(settings.lease()), now)) {
          return;
        }
        Optional<WebhookRecord> hook = store.hook(hookId);
        if (hook.isEmpty() || !hook.get().enabled()) {
          return;
        }
        Optional<DeliveryRecord> head = store.head(hookId);
        if (head.isEmpty() || !due(hook.get(), head.get(), now)
            || !attempt(hook.get(), head.get(), lease)) {
          return;
        }
      }
    } finally {
      store.release(lease, owner);
    }
  }

  /** Sends the head once and records how it went; false when sending should stop. */
  private boolean attempt(WebhookRecord hook, DeliveryRecord head, String lease) {
    Instant at = clock.instant();
    Attempt result;
    try {
      URI url = targets.check(hook.url());
      byte[] body = head.payload().getBytes(StandardCharsets.UTF_8);
      long timestamp = at.getEpochSecond();
      result = http.post(url, Map.of(WebhookSigner.ID, head.eventId(),
          WebhookSigner.TIMESTAMP, Long.toString(timestamp),
          WebhookSigner.SIGNATURE, WebhookSigner.signatures(secrets(hook, at), head.eventId(),
              timestamp, body)), body, settings.timeout());
    } catch (WebhookTargets.Refused e) {
      // a name that does not resolve now may again later; one that resolves to a refused
      // address is not sent to at all
      result = new Attempt(e.unresolved() ? Outcome.CONNECTION_ERROR : Outcome.REFUSED, null, 0,
          "the URL is refused: " + e.getMessage(), null);
    }
    meters.attempted(result);
    return record(hook, head, at, result, lease);
  }

  /** The secrets that sign now: the current one, and the previous one during its overlap. */
  private static List<String> secrets(WebhookRecord hook, Instant at) {
    Instant until = hook.previousSecretUntil();
    return hook.previousSecret() != null && until != null && at.isBefore(until)
        ? List.of(hook.secret(), hook.previousSecret()) : List.of(hook.secret());
  }

  private boolean record(WebhookRecord hook, DeliveryRecord head, Instant at, Attempt result,
      String lease) {
    for (int i = 0; i < RECORD_TRIES; i++) {
      Instant now = clock.instant();
      boolean success = result.outcome() == Outcome.SUCCESS;
      int failures = success ? 0 : hook.consecutiveFailures() + 1;
      String disabled = success ? null : disableReason(result, failures);
      DeliveryRecord next = success
          ? head.attempted(DeliveryState.DELIVERED, at, result.millis(), result.status(), null,
              at)
          : head.attempted(DeliveryState.PENDING, at, result.millis(), result.status(),
              error(result), now.plus(settings.backoff().delay(failures, result.retryAfter())));
      WebhookRecord hookNext = disabled != null
          ? Webhooks.withState(hook, now, false, disabled, failures)
          : Webhooks.withState(hook, now, hook.enabled(), hook.disabledReason(), failures);
      if (store.recordAttempt(next, hookNext, owner)) {
        if (disabled != null) {
          LOG.warn("Webhook {} of project {} disabled: {}", hook.id(), hook.projectId(),
              disabled);
          meters.disabled(result.outcome() == Outcome.REFUSED ? "refused"
              : Integer.valueOf(410).equals(result.status()) ? "gone" : "attempts");
        }
        return disabled == null;
      }
      // The hook changed meanwhile (edited, rotated, disabled) or is gone, or the lease was
      // lost: record on the fresh hook while the lease is still this process's.
      Optional<WebhookRecord> fresh = store.hook(hook.id());
      Optional<DeliveryRecord> freshHead = store.head(hook.id());
      if (fresh.isEmpty() || freshHead.isEmpty() || !freshHead.get().id().equals(head.id())
          || !store.claim(lease, owner, now.plus(settings.lease()), now)) {
        return false;
      }
      hook = fresh.get();
      head = freshHead.get();
    }
    LOG.warn("Webhook {}: the attempt at {} could not be recorded; it will be sent again",
        hook.id(), at);
    return false;
  }

  /** Why the hook is disabled after this failure, or {@code null} when it is tried again. */
  private @Nullable String disableReason(Attempt result, int failures) {
    if (result.outcome() == Outcome.REFUSED) {
      return result.excerpt();
    }
    if (Integer.valueOf(410).equals(result.status())) {
      return "the receiver answered 410 Gone";
    }
    if (settings.backoff().exhausted(failures)) {
      return failures + " attempts failed in a row; the last: " + error(result);
    }
    return null;
  }

  private static String error(Attempt result) {
    if (result.status() == null) {
      return result.excerpt();
    }
    return "HTTP " + result.status() + (result.excerpt().isBlank() ? ""
        : ": " + result.excerpt());
  }

  // ------------------------------------------------------------------ purge

  private void purgeWhenDue() {
    Instant now = clock.instant();
    if (now.isBefore(nextPurge)) {
      return;
    }
    nextPurge = now.plus(PURGE_EVERY);
    if (store.claim(WebhookStore.PURGE_LEASE, owner, now.plus(settings.lease()), now)) {
      try {
        Instant before = now.minus(settings.retention());
        int purged = store.purge(before, before);
        if (purged > 0) {
          LOG.info("Webhook log: {} deliveries purged or expired (older than {})", purged,
              before);
        }
      } finally {
        store.release(WebhookStore.PURGE_LEASE, owner);
      }
    }
  }

  /**
   * Stops: nothing new is sent, attempts in flight finish (each within the attempt timeout) and
   * their leases are released. Idempotent.
   */
  @Override
  public void close() {
    running = false;
    wake.release();
    senders.shutdown();
    try {
      long wait = settings.timeout().plusSeconds(5).toMillis();
      loop.join(wait);
      if (!senders.awaitTermination(wait, TimeUnit.MILLISECONDS)) {
        LOG.warn("Webhook attempts still running after {} ms; they are sent again after the"
            + " lease ({} s)", wait, settings.lease().toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      http.close();
    }
  }
}

package io.inmemory.server;

import io.inmemory.ConflictException;
import io.inmemory.InvalidRequestException;
import io.inmemory.NotFoundException;
import io.inmemory.engine.tenant.DeliveryRecord;
import io.inmemory.engine.tenant.DeliveryState;
import io.inmemory.engine.tenant.Project;
import io.inmemory.engine.tenant.WebhookEventType;
import io.inmemory.engine.tenant.WebhookRecord;
import io.inmemory.engine.tenant.WebhookStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The webhooks of projects as the API (and the command line) manage them: create (the secret is
 * returned once; listings show a hint), list, get, change, delete, enable (failures forgotten, the
 * queued deliveries sent again in order at once), disable, rotate the secret (the old one still
 * signs alongside for {@link #ROTATION_OVERLAP}), send a test event, read the delivery log. Every
 * call names the caller's project, and a hook of another project is "not found". URLs are checked
 * by {@link WebhookTargets} ({@link InvalidRequestException} on {@code url} with the reason).
 * Changes race with the {@link WebhookDispatcher}'s records of attempts, so they are
 * compare-and-set on the hook's version, tried again when the hook moved. Thread-safe.
 */
final class Webhooks {
  /** How long a rotated secret keeps signing beside the new one. */
  static final Duration ROTATION_OVERLAP = Duration.ofHours(24);
  private static final int ID_LENGTH = 20;
  /** Compare-and-set tries before giving up: the dispatcher bumps a hook once per attempt. */
  private static final int TRIES = 32;

  /**
   * A hook and its secret, shown this once.
   *
   * @param hook the hook as stored
   * @param secret its (new) signing secret
   */
  record Created(WebhookRecord hook, String secret) {}

  /**
   * What a change replaces; {@code null} members stay as they are.
   *
   * @param url a new URL, checked like a new hook's
   * @param events the events wanted, not empty
   * @param description a display text; empty text removes it
   * @param includeContent whether payloads carry contents
   */
  record Changes(@Nullable String url, @Nullable Set<WebhookEventType> events,
      @Nullable String description, @Nullable Boolean includeContent) {}

  /**
   * One page of a hook's deliveries, newest first.
   *
   * @param items the deliveries
   * @param hasMore whether older ones exist (ask again with the last one's sequence)
   */
  record Page(List<DeliveryRecord> items, boolean hasMore) {}

  private final WebhookStore store;
  private final WebhookSettings settings;
  private final WebhookTargets targets;
  private final Clock clock;
  private final Runnable nudge;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param nudge tells the dispatcher that deliveries may be due now
   */
  Webhooks(WebhookStore store, WebhookSettings settings, WebhookTargets targets, Clock clock,
      Runnable nudge) {
    this.store = Objects.requireNonNull(store, "store");
    this.settings = settings;
    this.targets = targets;
    this.clock = clock;
    this.nudge = nudge;
  }

  /**
   * A new enabled hook.
   *
   * @throws InvalidRequestException when the URL is refused, with why
   * @throws ConflictException when the project has {@link WebhookSettings#perProject()} hooks
   */
  Created create(String projectId, String url, Set<WebhookEventType> events,
      @Nullable String description, boolean includeContent) {
    checkUrl(url);
    requireEvents(events);
    if (store.hooks(projectId).size() >= settings.perProject()) {
      throw new ConflictException("Project " + projectId + " has " + settings.perProject()
          + " webhooks, the most allowed (" + WebhookSettings.PER_PROJECT.envName()
          + "); delete one first");
    }
    Instant now = now();
    String secret = WebhookSigner.newSecret(random);
    WebhookRecord hook = valid(() -> new WebhookRecord("wh_" + RandomIds.base62(random,
        ID_LENGTH), projectId, url, events, secret, null, null, blankToNull(description),
        includeContent, true, null, null, 0, now, now, 0));
    store.createHook(hook);
    return new Created(hook, secret);
  }

  /** The project's hooks, oldest first. */
  List<WebhookRecord> list(String projectId) {
    return store.hooks(projectId);
  }

  /**
   * The hook {@code id} of the project.
   *
   * @throws NotFoundException when the project has no such hook
   */
  WebhookRecord get(String projectId, String id) {
    Optional<WebhookRecord> found = Project.isValidId(id) ? store.hook(id) : Optional.empty();
    return found.filter(hook -> hook.projectId().equals(projectId))
        .orElseThrow(() -> new NotFoundException("Webhook " + id + " not found"));
  }

  /** The hook with {@code changes} applied. */
  WebhookRecord update(String projectId, String id, Changes changes) {
    if (changes.url() != null) {
      checkUrl(changes.url());
    }
    if (changes.events() != null) {
      requireEvents(changes.events());
    }
    return change(projectId, id, hook -> new WebhookRecord(hook.id(), hook.projectId(),
        changes.url() != null ? changes.url() : hook.url(),
        changes.events() != null ? changes.events() : hook.events(), hook.secret(),
        hook.previousSecret(), hook.previousSecretUntil(),
        changes.description() != null ? blankToNull(changes.description()) : hook.description(),
        changes.includeContent() != null ? changes.includeContent() : hook.includeContent(),
        hook.enabled(), hook.disabledReason(), hook.disabledAt(), hook.consecutiveFailures(),
        hook.createdAt(), now(), hook.version() + 1));
  }

  /** Deletes the hook and its deliveries. */
  void delete(String projectId, String id) {
    get(projectId, id);
    if (!store.deleteHook(id)) {
      throw new NotFoundException("Webhook " + id + " not found");
    }
  }

  /**
   * Enables the hook: its failures are forgotten, so its queued deliveries are due at once, in
   * order (see {@link WebhookDispatcher}).
   */
  WebhookRecord enable(String projectId, String id) {
    WebhookRecord enabled = change(projectId, id, hook -> withState(hook, now(), true, null, 0));
    nudge.run();
    return enabled;
  }

  /** Disables the hook by hand; deliveries are still queued for it. */
  WebhookRecord disable(String projectId, String id) {
    return change(projectId, id, hook -> withState(hook, now(), false, null,
        hook.consecutiveFailures()));
  }

  /**
   * A new secret; the current one becomes the previous one and keeps signing beside it for
   * {@link #ROTATION_OVERLAP}.
   */
  Created rotateSecret(String projectId, String id) {
    String secret = WebhookSigner.newSecret(random);
    Instant now = now();
    WebhookRecord rotated = change(projectId, id, hook -> new WebhookRecord(hook.id(),
        hook.projectId(), hook.url(), hook.events(), secret, hook.secret(),
        now.plus(ROTATION_OVERLAP), hook.description(), hook.includeContent(), hook.enabled(),
        hook.disabledReason(), hook.disabledAt(), hook.consecutiveFailures(), hook.createdAt(),
        now, hook.version() + 1));
    return new Created(rotated, secret);
  }

  /**
   * Queues a {@link WebhookEventType#WEBHOOK_TEST} delivery to the hook, whatever its events,
   * after everything queued before it.
   */
  DeliveryRecord test(String projectId, String id) {
    WebhookRecord hook = get(projectId, id);
    Instant now = now();
    String eventId = "evt_test_" + RandomIds.base62(random, ID_LENGTH);
    DeliveryRecord delivery = DeliveryRecord.pending(hook.id(), projectId, eventId,
        WebhookEventType.WEBHOOK_TEST, store.nextSequences(1),
        WebhookPayloads.body(WebhookEventType.WEBHOOK_TEST.wireName(), now,
            Map.of("project_id", projectId, "webhook_id", hook.id())), now);
    store.enqueue(List.of(delivery));
    nudge.run();
    return delivery;
  }

  /**
   * Queues an event the server makes (such as {@link WebhookEventType#IMPORT_FINISHED}) to every
   * hook of the project that wants it, enabled or not.
   *
   * @param eventId the event's id, the same for every hook: the receivers' deduplication key
   * @return how many deliveries were queued
   */
  int announce(String projectId, WebhookEventType type, String eventId, Map<String, ?> data) {
    List<WebhookRecord> hooks = store.hooks(projectId).stream().filter(hook -> hook.wants(type))
        .toList();
    if (hooks.isEmpty()) {
      return 0;
    }
    Instant now = now();
    String payload = WebhookPayloads.body(type.wireName(), now, data);
    long sequence = store.nextSequences(hooks.size());
    List<DeliveryRecord> deliveries = new ArrayList<>();
    for (WebhookRecord hook : hooks) {
      deliveries.add(DeliveryRecord.pending(hook.id(), projectId, eventId, type, sequence++,
          payload, now));
    }
    store.enqueue(deliveries);
    nudge.run();
    return deliveries.size();
  }

  /**
   * A page of the hook's delivery log, newest first.
   *
   * @param state only deliveries in this state, or {@code null} for all
   * @param before only deliveries with a lower sequence, or {@code null} from the newest
   * @param limit the most to return, 1 to {@link WebhookStore#MAX_LIMIT}
   */
  Page deliveries(String projectId, String id, @Nullable DeliveryState state,
      @Nullable Long before, int limit) {
    get(projectId, id);
    List<DeliveryRecord> items = new ArrayList<>();
    Long cursor = before;
    // a state filter may skip whole pages: read on until the page is full or the log ends
    while (true) {
      List<DeliveryRecord> page = store.deliveries(id, cursor, WebhookStore.MAX_LIMIT);
      for (DeliveryRecord delivery : page) {
        if (state == null || delivery.state() == state) {
          if (items.size() == limit) {
            return new Page(items, true);
          }
          items.add(delivery);
        }
      }
      if (page.size() < WebhookStore.MAX_LIMIT) {
        return new Page(items, false);
      }
      cursor = page.get(page.size() - 1).sequence();
    }
  }

  /**
   * The hook in a new state: version and {@code updatedAt} moved; {@code disabledAt} kept while it
   * stays disabled.
   */
  static WebhookRecord withState(WebhookRecord hook, Instant at, boolean enabled,
      @Nullable String reason, int failures) {
    Instant disabledAt = enabled ? null : hook.enabled() ? at : hook.disabledAt();
    return new WebhookRecord(hook.id(), hook.projectId(), hook.url(), hook.events(),
        hook.secret(), hook.previousSecret(), hook.previousSecretUntil(), hook.description(),
        hook.includeContent(), enabled, enabled ? null : reason(reason), disabledAt, failures,
        hook.createdAt(), at, hook.version() + 1);
  }

  /** A reason as a hook keeps it: at most 200 characters. */
  private static @Nullable String reason(@Nullable String reason) {
    return reason == null || reason.length() <= 200 ? reason : reason.substring(0, 199) + "…";
  }

  private WebhookRecord change(String projectId, String id, UnaryOperator<WebhookRecord> next) {
    for (int i = 0; i < TRIES; i++) {
      WebhookRecord hook = get(projectId, id);
      WebhookRecord changed = valid(() -> next.apply(hook));
      if (store.replaceHook(hook, changed)) {
        return changed;
      }
    }
    throw new ConflictException("Webhook " + id + " kept changing; try again");
  }

  private void checkUrl(String url) {
    try {
      targets.check(url);
    } catch (WebhookTargets.Refused e) {
      throw new InvalidRequestException("url", "is refused: " + e.getMessage());
    }
  }

  private static void requireEvents(Set<WebhookEventType> events) {
    if (events.isEmpty()) {
      throw new InvalidRequestException("events", "must name at least one event");
    }
  }

  /** The record, or the problem its validation found as a 400. */
  private static WebhookRecord valid(Supplier<WebhookRecord> record) {
    try {
      return record.get();
    } catch (IllegalArgumentException e) {
      String message = Optional.ofNullable(e.getMessage()).orElse("is invalid");
      String field = message.split(" ", 2)[0];
      throw new InvalidRequestException(field, message.substring(field.length()).trim());
    }
  }

  private static @Nullable String blankToNull(@Nullable String text) {
    return text == null || text.isBlank() ? null : text;
  }

  private Instant now() {
    return clock.instant();
  }
}

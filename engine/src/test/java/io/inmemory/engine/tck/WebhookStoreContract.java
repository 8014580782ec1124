package io.inmemory.engine.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inmemory.ConflictException;
import io.inmemory.HistoryEntry;
import io.inmemory.HistoryEntry.Event;
import io.inmemory.MemoryRecord;
import io.inmemory.engine.spi.ChangeSet;
import io.inmemory.engine.spi.MemoryStore;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tenant.DeliveryRecord;
import io.inmemory.engine.tenant.DeliveryState;
import io.inmemory.engine.tenant.OutboxEvent;
import io.inmemory.engine.tenant.WebhookEventType;
import io.inmemory.engine.tenant.WebhookRecord;
import io.inmemory.engine.tenant.WebhookStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every store's {@link WebhookStore} must meet, with the events its memory writes
 * mark. A store's test extends this class and opens a fresh, empty store in
 * {@link #openStore(boolean)}, recording events or not; durable stores also override
 * {@link #reopenStore} so the suite checks that hooks, deliveries and unfanned events survive.
 * Time is passed in, never read from a clock, except for {@link WebhookStore#pendingEvents}'s
 * {@code now}, which only matters for writes that never completed.
 */
public abstract class WebhookStoreContract {
  protected static final String PROJECT = "webhook-contract";
  private static final Instant T0 = Instant.parse("2024-05-01T10:15:30.123Z");
  private static final Duration LEASE = Duration.ofSeconds(30);

  protected @Nullable MemoryStore store;

  /** A new, empty store that records its memory writes as events when {@code recordEvents}. */
  protected abstract MemoryStore openStore(boolean recordEvents);

  /**
   * Closes {@code current} and opens the same storage again, recording events. Volatile stores
   * return {@code current} unchanged (and the durability check becomes a plain read-back).
   */
  protected MemoryStore reopenStore(MemoryStore current) {
    return current;
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  private WebhookStore open(boolean recordEvents) {
    store = openStore(recordEvents);
    return webhooks();
  }

  private WebhookStore webhooks() {
    return store.access().webhooks().orElseThrow();
  }

  private static StoredMemory memory(String userId, String content) {
    MemoryRecord record = new MemoryRecord(UUID.randomUUID().toString(), userId, content,
        List.of(), List.of(), null, Map.of(), T0, T0);
    return new StoredMemory(PROJECT, record, new float[] {0.6f, 0.8f}, "test-embedder:1");
  }

  private static StoredMemory changed(StoredMemory memory, String content,
      @Nullable String supersededBy, Instant at) {
    MemoryRecord r = memory.memory();
    return new StoredMemory(PROJECT, new MemoryRecord(r.id(), r.userId(), content, r.tags(),
        r.people(), r.topic(), r.metadata(), r.createdAt(), at, r.agentId(), r.sessionId(),
        r.role(), r.validFrom(), supersededBy == null ? null : at, supersededBy),
        memory.embedding(), memory.embedderId());
  }

  private static HistoryEntry entry(StoredMemory memory, Event event, @Nullable String before,
      @Nullable String after, Instant at, @Nullable String relatedId) {
    return new HistoryEntry(memory.id(), memory.memory().userId(), event, before, after, at, null,
        relatedId);
  }

  private static HistoryEntry added(StoredMemory memory) {
    return entry(memory, Event.ADD, null, memory.memory().content(), T0, null);
  }

  private static PartitionKey alice() {
    return new PartitionKey(PROJECT, "alice");
  }

  private static WebhookRecord hook(String id, boolean enabled) {
    return new WebhookRecord(id, PROJECT, "https://example.com/hooks/" + id,
        Set.of(WebhookEventType.MEMORY_ADDED, WebhookEventType.MEMORY_DELETED), "whsec_c2VjcmV0",
        null, null, "contract hook", true, enabled, enabled ? null : "disabled by hand",
        enabled ? null : T0, 0, T0, T0, 1);
  }

  private static DeliveryRecord delivery(String hookId, String eventId, long sequence) {
    return DeliveryRecord.pending(hookId, PROJECT, eventId, WebhookEventType.MEMORY_ADDED,
        sequence, "{\"event\":\"" + eventId + "\"}", T0);
  }

  /** The deliveries of {@code events} to {@code hookId}, numbered from a fresh reservation. */
  private static List<DeliveryRecord> deliveries(WebhookStore webhooks, String hookId,
      List<OutboxEvent> events) {
    long first = webhooks.nextSequences(events.size());
    List<DeliveryRecord> made = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      made.add(delivery(hookId, events.get(i).id(), first + i));
    }
    return made;
  }

  private static List<OutboxEvent> pending(WebhookStore webhooks) {
    return webhooks.pendingEvents(WebhookStore.MAX_LIMIT, Instant.now());
  }

  @Test
  void memoryWritesOfEveryKindAreMarkedInOrder() {
    WebhookStore webhooks = open(true);
    StoredMemory first = memory("alice", "I live in Paris");
    StoredMemory second = memory("alice", "I like tea");
    List<HistoryEntry> adds = List.of(added(first), added(second));
    store.insert(List.of(first, second), adds);
    Instant t1 = T0.plusSeconds(1);
    HistoryEntry update = entry(second, Event.UPDATE, "I like tea", "I like green tea", t1, null);
    store.replace(changed(second, "I like green tea", null, t1), update);
    StoredMemory next = memory("alice", "I live in Lyon");
    Instant t2 = T0.plusSeconds(2);
    List<HistoryEntry> supersede = List.of(
        entry(next, Event.ADD, null, "I live in Lyon", t2, first.id()),
        entry(first, Event.SUPERSEDE, "I live in Paris", null, t2, next.id()));
    store.commit(new ChangeSet(alice(), List.of(next),
        List.of(changed(first, "I live in Paris", next.id(), t2)), supersede));
    HistoryEntry deletion = entry(next, Event.DELETE, "I live in Lyon", null, T0.plusSeconds(3),
        null);
    store.delete(alice(), List.of(next.id(), "never-stored"), List.of(deletion));

    List<OutboxEvent> events = pending(webhooks);
    assertThat(events).extracting(OutboxEvent::entry).containsExactly(adds.get(0), adds.get(1),
        update, supersede.get(0), supersede.get(1), deletion);
    assertThat(events).extracting(OutboxEvent::type).containsExactly(
        WebhookEventType.MEMORY_ADDED, WebhookEventType.MEMORY_ADDED,
        WebhookEventType.MEMORY_UPDATED, WebhookEventType.MEMORY_ADDED,
        WebhookEventType.MEMORY_SUPERSEDED, WebhookEventType.MEMORY_DELETED);
    assertThat(events).extracting(OutboxEvent::namespace).containsOnly(PROJECT);
    assertThat(events).extracting(OutboxEvent::id).doesNotHaveDuplicates();
    assertThat(pending(webhooks)).as("reading does not consume").isEqualTo(events);
    assertThat(webhooks.pendingEvents(2, Instant.now())).isEqualTo(events.subList(0, 2));
  }

  @Test
  void nothingIsMarkedWhenRecordingIsOff() {
    WebhookStore webhooks = open(false);
    StoredMemory memory = memory("alice", "I like tea");
    store.insert(List.of(memory), List.of(added(memory)));
    store.delete(alice(), List.of(memory.id()),
        List.of(entry(memory, Event.DELETE, "I like tea", null, T0, null)));

    assertThat(pending(webhooks)).isEmpty();
  }

  @Test
  void writesMadeWithoutEventsAreNotMarked() {
    WebhookStore webhooks = open(true);
    StoredMemory restored = memory("alice", "restored from an export");
    store.insert(List.of(restored), List.of(added(restored)), false);
    StoredMemory committed = memory("alice", "restored conversation");
    store.commit(new ChangeSet(alice(), List.of(committed), List.of(), List.of(added(committed)),
        false));
    StoredMemory deleted = memory("alice", "deleted in the export");
    store.insert(List.of(deleted), List.of(added(deleted)), false);
    store.delete(alice(), List.of(deleted.id()),
        List.of(entry(deleted, Event.DELETE, "deleted in the export", null, T0, null)), false);
    StoredMemory live = memory("alice", "written live");
    store.insert(List.of(live), List.of(added(live)));

    assertThat(pending(webhooks)).extracting(OutboxEvent::entry).containsExactly(added(live));
  }

  @Test
  void hooksAreCreatedReadReplacedByVersionAndDeletedWithTheirDeliveries() {
    WebhookStore webhooks = open(true);
    WebhookRecord first = hook("hook-1", true);
    WebhookRecord second = hook("hook-2", false);
    webhooks.createHook(first);
    webhooks.createHook(second);
    assertThatThrownBy(() -> webhooks.createHook(hook("hook-1", false)))
        .isInstanceOf(ConflictException.class);

    assertThat(webhooks.hook("hook-1")).contains(first);
    assertThat(webhooks.hook("nope")).isEmpty();
    assertThat(webhooks.hooks(PROJECT)).containsExactly(first, second);
    assertThat(webhooks.hooks("other-project")).isEmpty();
    assertThat(webhooks.enabledHooks()).containsExactly(first);

    WebhookRecord next = first.nextVersion(T0.plusSeconds(5));
    assertThat(webhooks.replaceHook(first, next)).isTrue();
    assertThat(webhooks.replaceHook(first, next)).as("stale expected version").isFalse();
    assertThat(webhooks.hook("hook-1")).contains(next);
    assertThatThrownBy(() -> webhooks.replaceHook(next, next))
        .isInstanceOf(IllegalArgumentException.class);

    webhooks.enqueue(List.of(delivery("hook-1", "evt_a", webhooks.nextSequences(1))));
    assertThat(webhooks.deleteHook("hook-1")).isTrue();
    assertThat(webhooks.deleteHook("hook-1")).isFalse();
    assertThat(webhooks.hook("hook-1")).isEmpty();
    assertThat(webhooks.deliveries("hook-1", null, 10)).isEmpty();
    assertThat(webhooks.head("hook-1")).isEmpty();
    assertThat(webhooks.replaceHook(next, next.nextVersion(T0))).isFalse();
  }

  @Test
  void fanningOutTwiceKeepsOneDeliveryPerHookAndClearsTheMarks() {
    WebhookStore webhooks = open(true);
    webhooks.createHook(hook("hook-1", true));
    webhooks.createHook(hook("hook-2", false));
    StoredMemory first = memory("alice", "one");
    StoredMemory second = memory("alice", "two");
    store.insert(List.of(first, second), List.of(added(first), added(second)));
    List<OutboxEvent> events = pending(webhooks);

    List<DeliveryRecord> made = new ArrayList<>(deliveries(webhooks, "hook-1", events));
    made.addAll(deliveries(webhooks, "hook-2", events));
    made.addAll(deliveries(webhooks, "deleted-hook", events));
    webhooks.fanOut(events, made);
    webhooks.fanOut(events, deliveries(webhooks, "hook-1", events));

    assertThat(pending(webhooks)).isEmpty();
    assertThat(webhooks.deliveries("hook-1", null, 10)).extracting(DeliveryRecord::eventId)
        .containsExactly(events.get(1).id(), events.get(0).id());
    assertThat(webhooks.deliveries("hook-1", null, 10)).containsExactly(made.get(1), made.get(0));
    assertThat(webhooks.deliveries("hook-2", null, 10)).hasSize(2);
    assertThat(webhooks.deliveries("deleted-hook", null, 10)).isEmpty();

    StoredMemory third = memory("alice", "three");
    store.insert(List.of(third), List.of(added(third)));
    assertThat(pending(webhooks)).extracting(OutboxEvent::entry).containsExactly(added(third))
        .as("a later event has a new id");
    assertThat(pending(webhooks).get(0).id()).isNotIn(events.get(0).id(), events.get(1).id());
  }

  @Test
  void theHeadIsTheFirstPendingDeliveryBySequenceAndTheLogPagesNewestFirst() {
    WebhookStore webhooks = open(true);
    webhooks.createHook(hook("hook-1", true));
    long first = webhooks.nextSequences(4);
    assertThat(webhooks.nextSequences(1)).isEqualTo(first + 4);
    webhooks.enqueue(List.of(delivery("hook-1", "evt_c", first + 2),
        delivery("hook-1", "evt_a", first), delivery("hook-1", "evt_d", first + 3),
        delivery("hook-1", "evt_b", first + 1)));
    webhooks.enqueue(List.of(delivery("hook-1", "evt_a", first + 9)));

    assertThat(webhooks.head("hook-1")).map(DeliveryRecord::eventId).contains("evt_a");
    assertThat(webhooks.deliveries("hook-1", null, 3)).extracting(DeliveryRecord::eventId)
        .containsExactly("evt_d", "evt_c", "evt_b");
    assertThat(webhooks.deliveries("hook-1", first + 1, 3)).extracting(DeliveryRecord::eventId)
        .containsExactly("evt_a");
    assertThatThrownBy(() -> webhooks.deliveries("hook-1", null, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> webhooks.pendingEvents(WebhookStore.MAX_LIMIT + 1, T0))
        .isInstanceOf(IllegalArgumentException.class);

    WebhookRecord hook = webhooks.hook("hook-1").orElseThrow();
    String lease = WebhookStore.hookLease("hook-1");
    assertThat(webhooks.claim(lease, "worker-1", T0.plus(LEASE), T0)).isTrue();
    DeliveryRecord head = webhooks.head("hook-1").orElseThrow();
    DeliveryRecord sent = head.attempted(DeliveryState.DELIVERED, T0.plusSeconds(1), 12, 200, null,
        head.nextAttemptAt());
    assertThat(webhooks.recordAttempt(sent, hook.nextVersion(T0.plusSeconds(1)), "worker-1"))
        .isTrue();
    assertThat(webhooks.head("hook-1")).map(DeliveryRecord::eventId).contains("evt_b");
    assertThat(webhooks.deliveries("hook-1", first + 1, 1)).containsExactly(sent);
  }

  @Test
  void anAttemptIsRecordedOnlyUnderTheHooksLeaseAndItsLatestVersion() {
    WebhookStore webhooks = open(true);
    WebhookRecord hook = hook("hook-1", true);
    webhooks.createHook(hook);
    webhooks.enqueue(List.of(delivery("hook-1", "evt_a", webhooks.nextSequences(1))));
    DeliveryRecord head = webhooks.head("hook-1").orElseThrow();
    DeliveryRecord failed = head.attempted(DeliveryState.PENDING, T0, 40, 500, "server error",
        T0.plusSeconds(30));
    WebhookRecord failing = new WebhookRecord(hook.id(), PROJECT, hook.url(), hook.events(),
        hook.secret(), null, null, hook.description(), true, true, null, null, 1, T0, T0, 2);
    String lease = WebhookStore.hookLease("hook-1");

    assertThat(webhooks.recordAttempt(failed, failing, "worker-1")).as("no lease").isFalse();
    assertThat(webhooks.claim(lease, "worker-1", T0.plus(LEASE), T0)).isTrue();
    assertThat(webhooks.recordAttempt(failed, failing.nextVersion(T0), "worker-1"))
        .as("not the next version").isFalse();
    assertThat(webhooks.recordAttempt(failed, failing, "worker-2")).as("not the owner").isFalse();
    assertThat(webhooks.head("hook-1")).contains(head);
    assertThatThrownBy(() -> webhooks.recordAttempt(delivery("hook-2", "evt_a", 1), failing,
        "worker-1")).isInstanceOf(IllegalArgumentException.class);

    assertThat(webhooks.recordAttempt(failed, failing, "worker-1")).isTrue();
    assertThat(webhooks.head("hook-1")).contains(failed);
    assertThat(webhooks.hook("hook-1")).contains(failing);

    Instant lapsed = T0.plus(LEASE).plusMillis(1);
    assertThat(webhooks.claim(lease, "worker-2", lapsed.plus(LEASE), lapsed)).isTrue();
    assertThat(webhooks.recordAttempt(failed.attempted(DeliveryState.DELIVERED, lapsed, 5, 200,
        null, lapsed), failing.nextVersion(lapsed), "worker-1")).as("lease taken over").isFalse();
    assertThat(webhooks.head("hook-1")).contains(failed);
  }

  @Test
  void leasesAreExclusiveUntilTheyLapseOrAreReleased() {
    WebhookStore webhooks = open(true);
    String name = WebhookStore.FANOUT_LEASE;
    assertThat(webhooks.claim(name, "a", T0.plus(LEASE), T0)).isTrue();
    assertThat(webhooks.claim(name, "b", T0.plus(LEASE), T0.plusSeconds(10))).isFalse();
    assertThat(webhooks.claim(name, "a", T0.plus(LEASE).plusSeconds(10), T0.plusSeconds(10)))
        .as("renewed").isTrue();
    assertThat(webhooks.claim(name, "b", T0.plus(LEASE).plusSeconds(20), T0.plus(LEASE)))
        .as("the renewal still holds").isFalse();
    webhooks.release(name, "b");
    assertThat(webhooks.claim(name, "c", T0.plusSeconds(100), T0.plusSeconds(11))).isFalse();
    webhooks.release(name, "a");
    assertThat(webhooks.claim(name, "c", T0.plusSeconds(100), T0.plusSeconds(11))).isTrue();
    Instant lapsed = T0.plusSeconds(101);
    assertThat(webhooks.claim(name, "d", lapsed.plus(LEASE), lapsed)).as("lapsed").isTrue();
    assertThat(webhooks.claim(WebhookStore.PURGE_LEASE, "c", lapsed, lapsed))
        .as("leases are independent").isTrue();
  }

  @Test
  void purgeDeletesOldDeliveredAndExpiresOldPendingOfDisabledHooks() {
    WebhookStore webhooks = open(true);
    webhooks.createHook(hook("on", true));
    webhooks.createHook(hook("off", false));
    long first = webhooks.nextSequences(4);
    webhooks.enqueue(List.of(delivery("on", "evt_old", first), delivery("on", "evt_new", first + 1),
        delivery("off", "evt_a", first + 2), delivery("off", "evt_b", first + 3)));
    WebhookRecord on = webhooks.hook("on").orElseThrow();
    assertThat(webhooks.claim(WebhookStore.hookLease("on"), "w", T0.plusSeconds(600), T0))
        .isTrue();
    DeliveryRecord old = webhooks.head("on").orElseThrow();
    WebhookRecord onNext = on.nextVersion(T0);
    assertThat(webhooks.recordAttempt(old.attempted(DeliveryState.DELIVERED, T0, 1, 204, null, T0),
        onNext, "w")).isTrue();
    DeliveryRecord recent = webhooks.head("on").orElseThrow();
    Instant later = T0.plusSeconds(100);
    assertThat(webhooks.recordAttempt(recent.attempted(DeliveryState.DELIVERED, later, 1, 204,
        null, later), onNext.nextVersion(later), "w")).isTrue();

    assertThat(webhooks.purge(T0.plusSeconds(50), T0.plusMillis(1))).isEqualTo(3);

    assertThat(webhooks.deliveries("on", null, 10)).extracting(DeliveryRecord::eventId)
        .containsExactly("evt_new");
    assertThat(webhooks.deliveries("off", null, 10)).extracting(DeliveryRecord::state)
        .containsOnly(DeliveryState.EXPIRED).hasSize(2);
    assertThat(webhooks.head("off")).isEmpty();
    assertThat(webhooks.purge(T0.plusSeconds(50), T0.plusMillis(1))).isZero();
  }

  @Test
  void hooksDeliveriesAndUnfannedEventsSurviveAReopen() {
    WebhookStore webhooks = open(true);
    webhooks.createHook(hook("hook-1", true));
    StoredMemory fanned = memory("alice", "fanned out");
    StoredMemory waiting = memory("alice", "still waiting");
    store.insert(List.of(fanned), List.of(added(fanned)));
    List<OutboxEvent> done = pending(webhooks);
    List<DeliveryRecord> made = deliveries(webhooks, "hook-1", done);
    webhooks.fanOut(done, made);
    store.insert(List.of(waiting), List.of(added(waiting)));
    List<OutboxEvent> before = pending(webhooks);
    WebhookRecord hook = webhooks.hook("hook-1").orElseThrow();

    store = reopenStore(store);
    WebhookStore reopened = webhooks();

    assertThat(reopened.hook("hook-1")).contains(hook);
    assertThat(reopened.deliveries("hook-1", null, 10)).isEqualTo(made);
    assertThat(pending(reopened)).isEqualTo(before)
        .extracting(OutboxEvent::entry).containsExactly(added(waiting));
    long next = reopened.nextSequences(1);
    assertThat(next).isGreaterThan(made.get(0).sequence());
  }
}

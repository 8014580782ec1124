package io.inmemory.engine.tenant;

import io.inmemory.HistoryEntry;
import java.util.Objects;

/**
 * A memory change recorded as a pending event, not yet fanned out into deliveries (see
 * {@link WebhookStore#pendingEvents}). Immutable.
 *
 * @param id the event's id, stable for as long as the event exists and unique in its store
 *     ({@code evt_} and the store's position of the entry); it becomes the deliveries'
 *     {@code webhook-id}, the receivers' deduplication key
 * @param namespace the namespace (the server's project id) of the memory changed
 * @param entry the history entry describing the change
 * @param token what the store needs to clear the event's mark, opaque to callers
 */
public record OutboxEvent(String id, String namespace, HistoryEntry entry, String token) {
  public OutboxEvent {
    if (Objects.requireNonNull(id, "id").isBlank()) {
      throw new IllegalArgumentException("id must not be blank");
    }
    if (Objects.requireNonNull(namespace, "namespace").isBlank()) {
      throw new IllegalArgumentException("namespace must not be blank");
    }
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(token, "token");
  }

  /** The type of event the entry announces. */
  public WebhookEventType type() {
    return WebhookEventType.of(entry.event());
  }
}

package io.inmemory.engine.tenant;

import io.inmemory.HistoryEntry;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a webhook can be told about. The memory events come from the store's history (see
 * {@link WebhookStore#pendingEvents}); the others are made by the server. A supersede yields two
 * events: {@link #MEMORY_ADDED} for the new memory and {@link #MEMORY_SUPERSEDED} for the old one.
 */
public enum WebhookEventType {
  MEMORY_ADDED("memory.added"),
  MEMORY_UPDATED("memory.updated"),
  MEMORY_SUPERSEDED("memory.superseded"),
  MEMORY_DELETED("memory.deleted"),
  IMPORT_FINISHED("import.finished"),
  WEBHOOK_TEST("webhook.test");

  private final String wireName;

  WebhookEventType(String wireName) {
    this.wireName = wireName;
  }

  /** The name in payloads and in the API, such as {@code memory.added}. */
  public String wireName() {
    return wireName;
  }

  /** The event a history entry of this kind announces. */
  public static WebhookEventType of(HistoryEntry.Event event) {
    return switch (Objects.requireNonNull(event, "event")) {
      case ADD -> MEMORY_ADDED;
      case UPDATE -> MEMORY_UPDATED;
      case SUPERSEDE -> MEMORY_SUPERSEDED;
      case DELETE -> MEMORY_DELETED;
    };
  }

  /**
   * The type whose {@link #wireName()} is {@code wireName}.
   *
   * @throws IllegalArgumentException when none is, naming the known ones
   */
  public static WebhookEventType ofWireName(String wireName) {
    for (WebhookEventType type : values()) {
      if (type.wireName.equals(wireName)) {
        return type;
      }
    }
    throw new IllegalArgumentException("unknown webhook event type '" + wireName + "'; known: "
        + Arrays.stream(values()).map(WebhookEventType::wireName).toList());
  }
}

package io.inmemory.server;

import io.inmemory.HistoryEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON bodies webhooks receive: {@code {"type", "timestamp", "data"}}, as Standard Webhooks
 * recommends. A body is made once, when the event is fanned out to a webhook, and stored with the
 * delivery, so every attempt signs and sends the same bytes. Stateless and thread-safe.
 */
final class WebhookPayloads {
  private WebhookPayloads() {}

  /**
   * A memory event: {@code data} holds {@code project_id, memory_id, user_id, agent_id, event}
   * ({@code add}, {@code update}, {@code supersede} or {@code delete}), {@code related_id},
   * {@code at}, and with {@code includeContent} also {@code previous_content} and
   * {@code new_content}. Absent values are JSON nulls, so every body of a type has the same
   * members.
   *
   * @param type the event type, such as {@code memory.added}
   * @param projectId the project (the engine's namespace) the memory belongs to
   */
  static String memoryEvent(String type, String projectId, HistoryEntry entry,
      boolean includeContent) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("project_id", projectId);
    data.put("memory_id", entry.memoryId());
    data.put("user_id", entry.userId());
    data.put("agent_id", entry.agentId());
    data.put("event", entry.event().name().toLowerCase(Locale.ROOT));
    data.put("related_id", entry.relatedId());
    data.put("at", entry.at().toString());
    if (includeContent) {
      data.put("previous_content", entry.previousContent());
      data.put("new_content", entry.newContent());
    }
    return body(type, entry.at(), data);
  }

  /** A body of {@code type} that happened {@code at}, with {@code data}. */
  static String body(String type, Instant at, Map<String, ?> data) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", type);
    body.put("timestamp", at.toString());
    body.put("data", data);
    return new String(Json.write(body), StandardCharsets.UTF_8);
  }
}

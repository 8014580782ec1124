package io.inmemory.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inmemory.ArchivedMemory;
import io.inmemory.MemoryRecord;
import io.inmemory.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The memories of a mem0 export as archived memories: a bare list (mem0's {@code get_all} before
 * 1.0) or {@code {"results": […]}} (mem0 1.0 and its platform's v2 pages). {@code memory} is the
 * content; {@code id} is kept when it is a UUID, else replaced by a name-based UUID of it with the
 * original in {@code metadata.mem0_id}; {@code user_id}, {@code agent_id}, {@code run_id} (the
 * session), {@code role}, {@code categories} (tags), {@code metadata}, {@code created_at} and
 * {@code updated_at} (with an offset, or read as UTC; to the millisecond) carry over, and
 * {@code actor_id} goes to {@code metadata.mem0_actor_id}. mem0 exports carry no history: each
 * memory is restored with one ADD at its creation, the same every time, so an import run again
 * finds it unchanged. A memory that cannot be read is kept with its problem. Stateless.
 */
final class Mem0Export {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Mem0Export() {}

  /**
   * The memories of {@code content}: each as restorable, or its problem.
   *
   * @throws IllegalArgumentException when the content is not a mem0 export
   */
  static ArchiveFile read(byte[] content) throws IOException {
    JsonNode root = MAPPER.readTree(new String(content, StandardCharsets.UTF_8));
    JsonNode items = root != null && root.isObject() ? root.path("results") : root;
    if (items == null || !items.isArray()) {
      throw new IllegalArgumentException("a mem0 export is a list of memories or"
          + " {\"results\": [...]}");
    }
    Map<Integer, ArchivedMemory> memories = new LinkedHashMap<>();
    Map<Integer, String> invalid = new LinkedHashMap<>();
    for (int i = 0; i < items.size(); i++) {
      try {
        memories.put(i + 1, memory(items.get(i)));
      } catch (RuntimeException e) {
        invalid.put(i + 1, InMemoryCli.message(e));
      }
    }
    return new ArchiveFile(memories, invalid, false);
  }

  private static ArchivedMemory memory(JsonNode item) {
    String given = text(item, "id");
    if (given == null || text(item, "memory") == null) {
      throw new IllegalArgumentException("a mem0 memory needs an id and its memory text");
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    if (item.path("metadata").isObject()) {
      metadata.putAll(MAPPER.convertValue(item.get("metadata"), Map.class));
    }
    String id = uuidOrNull(given);
    if (id == null) {
      id = UUID.nameUUIDFromBytes(("mem0:" + given).getBytes(StandardCharsets.UTF_8)).toString();
      metadata.put("mem0_id", given);
    }
    String actor = text(item, "actor_id");
    if (actor != null) {
      metadata.put("mem0_actor_id", actor);
    }
    List<String> tags = new ArrayList<>();
    item.path("categories").forEach(category -> tags.add(category.asText()));
    Instant created = time(text(item, "created_at"), Instant.EPOCH);
    Instant updated = time(text(item, "updated_at"), created);
    String role = text(item, "role");
    MemoryRecord record = new MemoryRecord(id, text(item, "user_id"), text(item, "memory"), tags,
        List.of(), null, metadata, created, updated.isBefore(created) ? created : updated,
        text(item, "agent_id"), text(item, "run_id"),
        role == null ? null : Role.valueOf(role.toUpperCase(Locale.ROOT)), created, null, null);
    return ArchivedMemory.of(record, List.of(), null);
  }

  private static String uuidOrNull(String id) {
    try {
      UUID uuid = UUID.fromString(id);
      return uuid.toString().equals(id.toLowerCase(Locale.ROOT)) ? uuid.toString() : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** An ISO time with an offset, or without one read as UTC; to the millisecond. */
  private static Instant time(String text, Instant absent) {
    if (text == null) {
      return absent;
    }
    Instant instant;
    try {
      instant = OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException naive) {
      instant = LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
    }
    return instant.truncatedTo(ChronoUnit.MILLIS);
  }

  private static String text(JsonNode item, String field) {
    JsonNode value = item.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}

package io.inmemory.store.file;

import io.inmemory.HistoryEntry;
import io.inmemory.InvalidRequestException;
import io.inmemory.MemoryRecord;
import io.inmemory.Role;
import io.inmemory.engine.spi.PartitionKey;
import io.inmemory.engine.spi.StoredMemory;
import io.inmemory.engine.tenant.ApiKeyRecord;
import io.inmemory.engine.tenant.KeyScope;
import io.inmemory.engine.tenant.Project;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The binary encoding of memories, history entries, metadata values, projects and API keys. It
 * writes {@link Frames#FORMAT_VERSION the current format} and reads a record in the format of
 * the file it comes from ({@link Decoder#version()}): format 2 lacks the fields issue 13 added.
 * Text is UTF-8 after a u32 byte count, instants are epoch seconds (i64) and nanoseconds (u32)
 * (optional ones after a presence byte), embeddings raw little-endian floats; metadata is a
 * tagged tree of JSON-compatible values; key scopes are their names, so adding a scope never
 * changes the meaning of stored ones.
 */
final class Records {
  private static final int STRING = 1;
  private static final int TRUE = 2;
  private static final int FALSE = 3;
  private static final int LONG = 4;
  private static final int DOUBLE = 5;
  private static final int LIST = 6;
  private static final int MAP = 7;

  private Records() {}

  /** A rough encoded size, to size buffers. */
  static int estimatedSize(StoredMemory memory) {
    return 256 + 4 * memory.embedding().length + 3 * memory.memory().content().length();
  }

  /**
   * A memory in the current format: namespace, id, the partition owner (where format 2 had the
   * user id: a user id, or {@code ~} and an agent id), content, tags, people, topic?, metadata,
   * createdAt, updatedAt, embedderId, embedding; then agentId?, sessionId?, role (u8, see
   * {@link #writeRole}), validFrom, invalidAt?, supersededBy?. The record's user id is the owner
   * of a user's partition, so it is not stored twice.
   */
  static void writeMemory(Encoder out, StoredMemory memory) {
    MemoryRecord record = memory.memory();
    out.string(memory.namespace());
    out.string(record.id());
    out.string(owner(record.userId(), record.agentId()));
    out.string(record.content());
    out.strings(record.tags());
    out.strings(record.people());
    out.nullableString(record.topic());
    writeValue(out, record.metadata());
    out.instant(record.createdAt());
    out.instant(record.updatedAt());
    out.string(memory.embedderId());
    out.floats(memory.embedding());
    out.nullableString(record.agentId());
    out.nullableString(record.sessionId());
    writeRole(out, record.role());
    out.instant(record.validFrom());
    out.nullableInstant(record.invalidAt());
    out.nullableString(record.supersededBy());
  }

  /**
   * A memory in the layout of {@code in}'s format version: format 2 has no agent, session or role
   * and its memories are current, valid from their creation.
   */
  static StoredMemory readMemory(Decoder in) {
    String namespace = in.string();
    String id = in.string();
    String owner = in.string();
    String content = in.string();
    List<String> tags = in.strings();
    List<String> people = in.strings();
    String topic = in.nullableString();
    Object metadata = readValue(in, 0);
    if (!(metadata instanceof Map<?, ?>)) {
      throw new MalformedRecordException("metadata is not a map");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) metadata;
    Instant createdAt = in.instant();
    Instant updatedAt = in.instant();
    String embedderId = in.string();
    float[] embedding = in.floats();
    MemoryRecord record;
    try {
      if (in.version() < 3) {
        record = new MemoryRecord(id, owner, content, tags, people, topic, map, createdAt,
            updatedAt);
      } else {
        String agentId = in.nullableString();
        record = new MemoryRecord(id, userId(owner, agentId), content, tags, people, topic, map,
            createdAt, updatedAt, agentId, in.nullableString(), readRole(in), in.instant(),
            in.nullableInstant(), in.nullableString());
      }
    } catch (InvalidRequestException | NullPointerException e) {
      throw new MalformedRecordException("invalid memory " + id + ": " + e.getMessage());
    }
    return new StoredMemory(namespace, record, embedding, embedderId);
  }

  /**
   * A history entry in the current format: memoryId, the partition owner (see
   * {@link #writeMemory}), event (u8: 1 add, 2 update, 3 delete, 4 supersede), previousContent?,
   * newContent?, at, agentId?, relatedId?.
   */
  static void writeEntry(Encoder out, HistoryEntry entry) {
    out.string(entry.memoryId());
    out.string(owner(entry.userId(), entry.agentId()));
    out.u8(switch (entry.event()) {
      case ADD -> 1;
      case UPDATE -> 2;
      case DELETE -> 3;
      case SUPERSEDE -> 4;
    });
    out.nullableString(entry.previousContent());
    out.nullableString(entry.newContent());
    out.instant(entry.at());
    out.nullableString(entry.agentId());
    out.nullableString(entry.relatedId());
  }

  /** A history entry in the layout of {@code in}'s format version (2: no agent, no relation). */
  static HistoryEntry readEntry(Decoder in) {
    String memoryId = in.string();
    String owner = in.string();
    HistoryEntry.Event event = switch (in.u8()) {
      case 1 -> HistoryEntry.Event.ADD;
      case 2 -> HistoryEntry.Event.UPDATE;
      case 3 -> HistoryEntry.Event.DELETE;
      case 4 -> HistoryEntry.Event.SUPERSEDE;
      default -> throw new MalformedRecordException("unknown history event");
    };
    String previousContent = in.nullableString();
    String newContent = in.nullableString();
    Instant at = in.instant();
    if (in.version() < 3) {
      return new HistoryEntry(memoryId, owner, event, previousContent, newContent, at);
    }
    String agentId = in.nullableString();
    return new HistoryEntry(memoryId, userId(owner, agentId), event, previousContent, newContent,
        at, agentId, in.nullableString());
  }

  /** The partition owner of a record of {@code userId}, else of the agent's own. */
  private static String owner(@Nullable String userId, @Nullable String agentId) {
    return userId != null ? userId : PartitionKey.AGENT_PREFIX + agentId;
  }

  /**
   * The user id a record with partition {@code owner} has: the owner itself, or none for an
   * agent's own record, whose {@code agentId} must then name the owning agent.
   */
  private static @Nullable String userId(String owner, @Nullable String agentId) {
    if (!owner.startsWith(PartitionKey.AGENT_PREFIX)) {
      return owner;
    }
    if (agentId == null || !owner.equals(PartitionKey.AGENT_PREFIX + agentId)) {
      throw new MalformedRecordException("a record of the partition " + owner
          + " names the agent " + agentId);
    }
    return null;
  }

  /** A role as a u8: 0 none, 1 user, 2 assistant, 3 system, 4 tool (fixed, not the ordinal). */
  private static void writeRole(Encoder out, @Nullable Role role) {
    out.u8(role == null ? 0 : switch (role) {
      case USER -> 1;
      case ASSISTANT -> 2;
      case SYSTEM -> 3;
      case TOOL -> 4;
    });
  }

  private static @Nullable Role readRole(Decoder in) {
    return switch (in.u8()) {
      case 0 -> null;
      case 1 -> Role.USER;
      case 2 -> Role.ASSISTANT;
      case 3 -> Role.SYSTEM;
      case 4 -> Role.TOOL;
      default -> throw new MalformedRecordException("unknown role");
    };
  }

  static void writeProject(Encoder out, Project project) {
    out.string(project.id());
    out.string(project.name());
    out.instant(project.createdAt());
  }

  static Project readProject(Decoder in) {
    String id = in.string();
    String name = in.string();
    try {
      return new Project(id, name, in.instant());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new MalformedRecordException("invalid project " + id + ": " + e.getMessage());
    }
  }

  static void writeKey(Encoder out, ApiKeyRecord key) {
    out.string(key.id());
    out.string(key.projectId());
    out.string(key.name());
    out.string(key.hash());
    out.string(key.hint());
    out.strings(key.scopes().stream().map(KeyScope::name).sorted().toList());
    out.instant(key.createdAt());
    out.nullableInstant(key.expiresAt());
    out.nullableInstant(key.revokedAt());
    out.nullableInstant(key.lastUsedAt());
    out.i64(key.usageCount());
  }

  static ApiKeyRecord readKey(Decoder in) {
    String id = in.string();
    String projectId = in.string();
    String name = in.string();
    String hash = in.string();
    String hint = in.string();
    EnumSet<KeyScope> scopes = EnumSet.noneOf(KeyScope.class);
    for (String scope : in.strings()) {
      try {
        scopes.add(KeyScope.valueOf(scope));
      } catch (IllegalArgumentException e) {
        throw new MalformedRecordException("unknown scope " + scope + " of API key " + id);
      }
    }
    try {
      return new ApiKeyRecord(id, projectId, name, hash, hint, scopes, in.instant(),
          in.nullableInstant(), in.nullableInstant(), in.nullableInstant(), in.i64());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new MalformedRecordException("invalid API key " + id + ": " + e.getMessage());
    }
  }

  private static void writeValue(Encoder out, Object value) {
    if (value instanceof String text) {
      out.u8(STRING);
      out.string(text);
    } else if (value instanceof Boolean bool) {
      out.u8(bool ? TRUE : FALSE);
    } else if (value instanceof Long number) {
      out.u8(LONG);
      out.i64(number);
    } else if (value instanceof Double number) {
      out.u8(DOUBLE);
      out.f64(number);
    } else if (value instanceof List<?> list) {
      out.u8(LIST);
      out.i32(list.size());
      for (Object item : list) {
        writeValue(out, item);
      }
    } else if (value instanceof Map<?, ?> map) {
      out.u8(MAP);
      out.i32(map.size());
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        out.string((String) entry.getKey());
        writeValue(out, entry.getValue());
      }
    } else {
      // MemoryRecord admits only the types above; anything else is a bug worth failing on.
      throw new IllegalArgumentException("unsupported metadata value type " + value.getClass());
    }
  }

  private static Object readValue(Decoder in, int depth) {
    if (depth > 64) {
      throw new MalformedRecordException("metadata nested too deeply");
    }
    return switch (in.u8()) {
      case STRING -> in.string();
      case TRUE -> Boolean.TRUE;
      case FALSE -> Boolean.FALSE;
      case LONG -> in.i64();
      case DOUBLE -> in.f64();
      case LIST -> {
        int count = in.count(1);
        List<Object> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          list.add(readValue(in, depth + 1));
        }
        yield list;
      }
      case MAP -> {
        int count = in.count(5);
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
          String key = in.string();
          map.put(key, readValue(in, depth + 1));
        }
        yield map;
      }
      default -> throw new MalformedRecordException("unknown metadata value type");
    };
  }
}

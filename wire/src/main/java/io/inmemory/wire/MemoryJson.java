package io.inmemory.wire;

import static io.inmemory.wire.Answers.instant;
import static io.inmemory.wire.Answers.list;
import static io.inmemory.wire.Answers.member;
import static io.inmemory.wire.Answers.optionalString;
import static io.inmemory.wire.Answers.string;
import static io.inmemory.wire.Answers.text;
import static io.inmemory.wire.Schemas.instant;
import static io.inmemory.wire.Schemas.nullable;
import static io.inmemory.wire.Schemas.str;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.MemoryRecord;
import io.inmemory.Role;
import io.inmemory.TransportException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A stored memory on the wire: the server writes it, the client reads it back. Stateless and
 * thread-safe.
 */
public final class MemoryJson {
  public static final Member ID = new Member("id", str());
  public static final Member USER_ID = new Member("user_id", "userId", str());
  /** The agent of a memory, or of an agent's own memory (then {@code user_id} is null). */
  public static final Member AGENT_ID = new Member("agent_id", "agentId", str());
  public static final Member SESSION_ID = new Member("session_id", "sessionId", str());
  public static final Member ROLE = new Member("role", Schemas.oneOf(
      Arrays.stream(Role.values()).map(MemoryJson::label).toArray(String[]::new)));
  public static final Member VALID_FROM = new Member("valid_from", "validFrom", instant());
  public static final Member INVALID_AT = new Member("invalid_at", "invalidAt",
      nullable("string"));
  public static final Member SUPERSEDED_BY = new Member("superseded_by", "supersededBy",
      nullable("string"));
  /** A stored memory's owner: null for an agent's own memories. */
  public static final Member USER_ID_OUT = USER_ID.withSchema(nullable("string"));
  /** A stored memory's agent, session and role: null when it has none. */
  public static final Member AGENT_ID_OUT = AGENT_ID.withSchema(nullable("string"));
  public static final Member SESSION_ID_OUT = SESSION_ID.withSchema(nullable("string"));
  public static final Member ROLE_OUT = ROLE.withSchema(Schemas.map("type",
      List.of("string", "null"), "enum", roleLabelsOrNull()));
  public static final Member CONTENT = new Member("memory_content", "content", str());
  public static final Member CREATED_AT = new Member("created_at", "createdAt", instant());
  public static final Member UPDATED_AT = new Member("updated_at", "updatedAt", instant());

  private MemoryJson() {}

  /** The memory's JSON object, members in the documented order. */
  public static Map<String, Object> write(MemoryRecord memory) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(ID.name(), memory.id());
    json.put(USER_ID.name(), memory.userId());
    json.put(CONTENT.name(), memory.content());
    LabelsJson.write(json, memory.tags(), memory.people(), memory.topic(), memory.metadata());
    json.put(CREATED_AT.name(), text(memory.createdAt()));
    json.put(UPDATED_AT.name(), text(memory.updatedAt()));
    json.put(AGENT_ID.name(), memory.agentId());
    json.put(SESSION_ID.name(), memory.sessionId());
    json.put(ROLE.name(), memory.role() == null ? null : label(memory.role()));
    json.put(VALID_FROM.name(), text(memory.validFrom()));
    json.put(INVALID_AT.name(), text(memory.invalidAt()));
    json.put(SUPERSEDED_BY.name(), memory.supersededBy());
    return json;
  }

  /**
   * The memory a server's answer holds.
   *
   * issue 13's members may be absent (a server of an earlier version): they read as null, and
   * {@code valid_from} as {@code created_at}.
   *
   * @throws TransportException when a member is missing
   */
  public static MemoryRecord read(JsonNode json) {
    Instant createdAt = instant(json, CREATED_AT);
    Instant validFrom = instant(json, VALID_FROM);
    String role = optionalString(json, ROLE);
    Role parsed = role == null ? null : role(role);
    if (role != null && parsed == null) {
      throw new TransportException("The server's answer names an unknown role " + role
          + ": is inmemory.base-url an InMemory server of a compatible version?", (Throwable) null);
    }
    return new MemoryRecord(string(json, ID), optionalString(json, USER_ID),
        string(json, CONTENT),
        list(member(json, LabelsJson.TAGS), JsonNode::asText),
        list(member(json, LabelsJson.PEOPLE), JsonNode::asText),
        optionalString(json, LabelsJson.TOPIC),
        Answers.object(member(json, LabelsJson.METADATA)), createdAt,
        instant(json, UPDATED_AT), optionalString(json, AGENT_ID),
        optionalString(json, SESSION_ID), parsed,
        validFrom == null ? createdAt : validFrom, instant(json, INVALID_AT),
        optionalString(json, SUPERSEDED_BY));
  }

  /** A role as the wire spells it: lower case. */
  static String label(Role role) {
    return role.name().toLowerCase(Locale.ROOT);
  }

  /** The role the wire's {@code label} names, or {@code null} when it names none. */
  static @Nullable Role role(String label) {
    for (Role role : Role.values()) {
      if (label(role).equals(label)) {
        return role;
      }
    }
    return null;
  }

  /** The wire's role labels and {@code null}, for a memory's optional role. */
  private static List<@Nullable String> roleLabelsOrNull() {
    List<@Nullable String> labels = new ArrayList<>();
    Arrays.stream(Role.values()).map(MemoryJson::label).forEach(labels::add);
    labels.add(null);
    return labels;
  }
}

package io.inmemory.wire;

import static io.inmemory.wire.Answers.instant;
import static io.inmemory.wire.Answers.list;
import static io.inmemory.wire.Answers.member;
import static io.inmemory.wire.Answers.optionalString;
import static io.inmemory.wire.Answers.string;
import static io.inmemory.wire.Answers.text;
import static io.inmemory.wire.Schemas.instant;
import static io.inmemory.wire.Schemas.str;

import com.fasterxml.jackson.databind.JsonNode;
import io.inmemory.MemoryRecord;
import io.inmemory.TransportException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stored memory on the wire: the server writes it, the client reads it back. Stateless and
 * thread-safe.
 */
public final class MemoryJson {
  public static final Member ID = new Member("id", str());
  public static final Member USER_ID = new Member("user_id", "userId", str());
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
    return json;
  }

  /**
   * The memory a server's answer holds.
   *
   * @throws TransportException when a member is missing
   */
  public static MemoryRecord read(JsonNode json) {
    return new MemoryRecord(string(json, ID), string(json, USER_ID), string(json, CONTENT),
        list(member(json, LabelsJson.TAGS), JsonNode::asText),
        list(member(json, LabelsJson.PEOPLE), JsonNode::asText),
        optionalString(json, LabelsJson.TOPIC),
        Answers.object(member(json, LabelsJson.METADATA)), instant(json, CREATED_AT),
        instant(json, UPDATED_AT));
  }
}

package io.inmemory.wire;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON-Schema fragments for the OpenAPI document, as insertion-ordered maps (the document keeps
 * the order in which members are declared). Stateless; every call returns a new map.
 */
public final class Schemas {
  private Schemas() {}

  /** An object with {@code properties} in the given order and the {@code required} names. */
  public static Map<String, Object> object(List<Member> required, Member... properties) {
    Map<String, Object> members = new LinkedHashMap<>();
    for (Member member : properties) {
      members.put(member.name(), member.schema());
    }
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put("properties", members);
    if (!required.isEmpty()) {
      schema.put("required", required.stream().map(Member::name).toList());
    }
    return schema;
  }

  /** An object whose values are all whole numbers (the counts of a user's statistics). */
  public static Map<String, Object> counts() {
    return map("type", "object", "additionalProperties", integer());
  }

  /** Any JSON object. */
  public static Map<String, Object> anyObject() {
    return map("type", "object");
  }

  public static Map<String, Object> str() {
    return map("type", "string");
  }

  public static Map<String, Object> integer() {
    return map("type", "integer");
  }

  public static Map<String, Object> number() {
    return map("type", "number");
  }

  public static Map<String, Object> bool() {
    return map("type", "boolean");
  }

  /** An ISO-8601 instant in UTC. */
  public static Map<String, Object> instant() {
    return map("type", "string", "format", "date-time");
  }

  /** A value of {@code type} or {@code null}. */
  public static Map<String, Object> nullable(String type) {
    return map("type", List.of(type, "null"));
  }

  /** One of the given strings. */
  public static Map<String, Object> oneOf(String... values) {
    return map("type", "string", "enum", List.of(values));
  }

  public static Map<String, Object> strings() {
    return array(str());
  }

  /** A list of strings given as a JSON array or as one comma-separated string. */
  public static Map<String, Object> stringsOrCsv(String description) {
    return map("description", description + " A list, or one comma-separated string.",
        "oneOf", List.of(strings(), str()));
  }

  public static Map<String, Object> array(Map<String, Object> items) {
    return map("type", "array", "items", items);
  }

  /** A reference to the named schema of the document's {@code components}. */
  public static Map<String, Object> ref(String schema) {
    return map("$ref", "#/components/schemas/" + schema);
  }

  /** A map of the given name, value pairs in their order. */
  public static Map<String, Object> map(Object... pairs) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return map;
  }
}

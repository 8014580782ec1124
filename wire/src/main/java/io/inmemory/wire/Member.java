package io.inmemory.wire;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One member of a JSON object on the wire: its snake_case name, the Java API field a violation
 * about it names (so that a client rebuilds the exception the local engine throws), and its
 * JSON-Schema fragment for the OpenAPI document. Immutable.
 *
 * @param name the JSON member name, such as {@code memory_content}
 * @param field the API field violations name, such as {@code content}
 * @param schema the member's JSON-Schema fragment
 */
public record Member(String name, String field, Map<String, Object> schema) {
  public Member {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(field, "field");
    // a copy that keeps the order, so that a member's schema cannot change
    schema = Collections.unmodifiableMap(new LinkedHashMap<>(schema));
  }

  /** A member whose API field has the same name. */
  public Member(String name, Map<String, Object> schema) {
    this(name, name, schema);
  }

  /** The same member described by another schema, as one object of the API states it stricter. */
  public Member withSchema(Map<String, Object> other) {
    return new Member(name, field, other);
  }
}

package io.inmemory.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.inmemory.InvalidRequestException;
import io.inmemory.InvalidRequestException.Violation;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Reads the members of one JSON request object, collecting every problem instead of stopping at
 * the first: wrong types here, then the request record's own validation, then members the
 * endpoint does not know (never silently ignored). Violations name fields in the Java API's
 * naming ({@link Member#field()}), as the local engine reports them, so a client rebuilds the very
 * same exception. A member that is absent or JSON {@code null} reads as {@code null}. Not
 * thread-safe; one per request.
 */
public final class JsonBody {
  private final ObjectNode node;
  private final List<Violation> violations = new ArrayList<>();
  private final Set<String> read = new HashSet<>();

  private JsonBody(ObjectNode node) {
    this.node = node;
  }

  /** A reader of the members of {@code node}. */
  public static JsonBody of(ObjectNode node) {
    return new JsonBody(node);
  }

  /** An empty body, for endpoints whose members are all optional. */
  public static JsonBody empty() {
    return new JsonBody(JsonNodeFactory.instance.objectNode());
  }

  /** A value quoted in a problem, cut short: the answer must not grow with the input. */
  public static String quoted(String value) {
    return "'" + (value.length() <= 40 ? value : value.substring(0, 40) + "…") + "'";
  }

  private @Nullable JsonNode member(String json) {
    read.add(json);
    JsonNode value = node.get(json);
    return value == null || value.isNull() ? null : value;
  }

  /**
   * Whether the body holds {@code member} with a value other than JSON {@code null}; does not
   * count as reading it.
   */
  public boolean has(Member member) {
    JsonNode value = node.get(member.name());
    return value != null && !value.isNull();
  }

  public @Nullable String string(Member member) {
    return scalar(member, JsonNode::isTextual, "must be a string", JsonNode::textValue);
  }

  public @Nullable Integer integer(Member member) {
    return scalar(member, value -> value.canConvertToInt() && value.isIntegralNumber(),
        "must be a whole number", JsonNode::intValue);
  }

  public @Nullable Double decimal(Member member) {
    return scalar(member, JsonNode::isNumber, "must be a number", JsonNode::doubleValue);
  }

  public @Nullable Boolean bool(Member member) {
    return scalar(member, JsonNode::isBoolean, "must be true or false", JsonNode::booleanValue);
  }

  /** The member's value when it {@code fits}, else {@code null} and the {@code problem} noted. */
  private <T> @Nullable T scalar(Member member, Predicate<JsonNode> fits, String problem,
      Function<JsonNode, T> value) {
    JsonNode node = member(member.name());
    if (node == null) {
      return null;
    }
    if (!fits.test(node)) {
      violations.add(new Violation(member.field(), problem));
      return null;
    }
    return value.apply(node);
  }

  /** A list of strings, given as a JSON array or as one comma-separated string. */
  public @Nullable List<String> strings(Member member) {
    JsonNode value = member(member.name());
    if (value == null) {
      return null;
    }
    List<String> items = new ArrayList<>();
    if (value.isTextual()) {
      for (String part : value.textValue().split(",")) {
        if (!part.isBlank()) {
          items.add(part.trim());
        }
      }
      return items;
    }
    if (value.isArray()) {
      for (JsonNode item : value) {
        if (!item.isTextual()) {
          return notStrings(member);
        }
        items.add(item.textValue());
      }
      return items;
    }
    return notStrings(member);
  }

  private @Nullable List<String> notStrings(Member member) {
    violations.add(new Violation(member.field(),
        "must be a list of strings or a comma-separated string"));
    return null;
  }

  public @Nullable Map<String, Object> object(Member member) {
    return scalar(member, JsonNode::isObject, "must be a JSON object", Answers::object);
  }

  /** A list of JSON objects. */
  public @Nullable List<ObjectNode> objects(Member member) {
    JsonNode value = member(member.name());
    if (value == null) {
      return null;
    }
    @Nullable List<ObjectNode> items = new ArrayList<>();
    if (value.isArray()) {
      for (JsonNode item : value) {
        if (item instanceof ObjectNode object) {
          items.add(object);
        } else {
          items = null;
          break;
        }
      }
    }
    if (items == null || !value.isArray()) {
      violations.add(new Violation(member.field(), "must be a list of JSON objects"));
      return null;
    }
    return items;
  }

  /** A member's JSON value as it is, for readers of nested languages ({@link FilterJson}). */
  @Nullable JsonNode json(Member member) {
    return member(member.name());
  }

  /** An ISO-8601 instant such as {@code 2024-05-01T12:00:00Z}. */
  public @Nullable Instant instant(Member member) {
    String text = string(member);
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      violations.add(new Violation(member.field(), "must be an ISO-8601 instant such as"
          + " 2024-05-01T12:00:00Z"));
      return null;
    }
  }

  /** Records a problem found by the endpoint itself. */
  public void invalid(String field, String problem) {
    violations.add(new Violation(field, problem));
  }

  /**
   * Builds the request from what was read, or throws {@link InvalidRequestException} listing every
   * problem: type errors, the record's validation (for fields not already reported) and unknown
   * members.
   */
  public <T extends @Nullable Object> T build(Supplier<T> request) {
    T built = null;
    try {
      built = request.get();
    } catch (InvalidRequestException e) {
      // a field already reported, or one of its elements or members (messages[1].role), is not
      // reported again by the record's own check of the whole (messages missing)
      List<String> reported = violations.stream().map(Violation::field).toList();
      e.violations().stream().filter(v -> reported.stream().noneMatch(field ->
              field.equals(v.field()) || field.startsWith(v.field() + "[")
                  || field.startsWith(v.field() + ".")))
          .forEach(violations::add);
    }
    Set<String> unknown = new LinkedHashSet<>();
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!read.contains(name)) {
        unknown.add(name);
      }
    }
    unknown.forEach(name -> violations.add(new Violation(name, "is not a known member of this"
        + " request")));
    if (!violations.isEmpty()) {
      throw new InvalidRequestException(violations);
    }
    return built;
  }
}

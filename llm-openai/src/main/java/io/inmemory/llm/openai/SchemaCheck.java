package io.inmemory.llm.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks JSON against the subset of JSON Schema our prompts' schemas use — {@code type} (one or
 * several), {@code enum}, {@code properties}, {@code required}, {@code additionalProperties:
 * false}, {@code items}, {@code minItems}, {@code maxItems} — and checks that a schema is
 * strict-compatible. Used on every answer in both output modes: an endpoint that claims to
 * enforce a schema is not trusted to. Stateless.
 */
final class SchemaCheck {
  private SchemaCheck() {}

  /** Every way {@code value} violates {@code schema}, each naming its JSON path; empty if none. */
  static List<String> violations(JsonNode value, JsonNode schema) {
    List<String> violations = new ArrayList<>();
    check(value, schema, "$", violations);
    return violations;
  }

  /**
   * Every reason {@code schema} is not accepted by strict structured outputs: each object must
   * list every property as required and forbid others, and every node must name its type.
   */
  static List<String> strictProblems(JsonNode schema) {
    List<String> problems = new ArrayList<>();
    strict(schema, "$", problems);
    return problems;
  }

  private static void check(JsonNode value, JsonNode schema, String path, List<String> out) {
    JsonNode types = schema.path("type");
    if (!types.isMissingNode() && !typeMatches(value, types)) {
      out.add(path + ": expected " + describe(types) + ", found " + kind(value));
      return;
    }
    JsonNode allowed = schema.path("enum");
    if (allowed.isArray() && !contains(allowed, value)) {
      out.add(path + ": " + value + " is not one of " + allowed);
    }
    if (value.isObject()) {
      JsonNode properties = schema.path("properties");
      for (JsonNode required : schema.path("required")) {
        if (!value.has(required.asText())) {
          out.add(path + ": the member \"" + required.asText() + "\" is missing");
        }
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> member = it.next();
        JsonNode memberSchema = properties.path(member.getKey());
        if (!memberSchema.isMissingNode()) {
          check(member.getValue(), memberSchema, path + "." + member.getKey(), out);
        } else if (schema.path("additionalProperties").isBoolean()
            && !schema.path("additionalProperties").asBoolean()) {
          out.add(path + ": the member \"" + member.getKey() + "\" is not allowed");
        }
      }
    }
    if (value.isArray()) {
      if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) {
        out.add(path + ": " + value.size() + " items, fewer than " + schema.get("minItems"));
      }
      if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
        out.add(path + ": " + value.size() + " items, more than " + schema.get("maxItems"));
      }
      JsonNode items = schema.path("items");
      if (!items.isMissingNode()) {
        for (int i = 0; i < value.size(); i++) {
          check(value.get(i), items, path + "[" + i + "]", out);
        }
      }
    }
  }

  private static boolean typeMatches(JsonNode value, JsonNode types) {
    return typeNames(types).stream().anyMatch(type -> isType(value, type));
  }

  /** The names a {@code type} member lists: one, or an array of several. */
  private static List<String> typeNames(JsonNode types) {
    List<String> names = new ArrayList<>();
    if (types.isArray()) {
      types.forEach(type -> names.add(type.asText()));
    } else {
      names.add(types.asText());
    }
    return names;
  }

  private static boolean isType(JsonNode value, String type) {
    return switch (type) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "integer" -> value.isIntegralNumber()
          || value.isNumber() && value.asDouble() == Math.rint(value.asDouble());
      case "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      case "null" -> value.isNull();
      default -> throw new IllegalStateException("a schema names the unknown type " + type);
    };
  }

  private static boolean contains(JsonNode allowed, JsonNode value) {
    for (JsonNode candidate : allowed) {
      if (candidate.equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static String describe(JsonNode types) {
    return String.join(" or ", typeNames(types));
  }

  private static String kind(JsonNode value) {
    return value.isNull() ? "null" : value.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  private static void strict(JsonNode schema, String path, List<String> out) {
    if (!schema.has("type")) {
      out.add(path + ": no type");
      return;
    }
    if (typeNames(schema.get("type")).contains("object")) {
      JsonNode properties = schema.path("properties");
      if (!schema.path("additionalProperties").isBoolean()
          || schema.path("additionalProperties").asBoolean()) {
        out.add(path + ": additionalProperties must be false");
      }
      Set<String> required = new HashSet<>();
      schema.path("required").forEach(name -> required.add(name.asText()));
      Set<String> declared = new HashSet<>();
      properties.fieldNames().forEachRemaining(declared::add);
      if (!required.equals(declared)) {
        out.add(path + ": required " + required + " must list exactly the properties "
            + declared);
      }
      properties.fields().forEachRemaining(member ->
          strict(member.getValue(), path + "." + member.getKey(), out));
    }
    if (schema.has("items")) {
      strict(schema.get("items"), path + "[]", out);
    }
  }
}

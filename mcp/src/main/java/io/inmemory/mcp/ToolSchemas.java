package io.inmemory.mcp;

import io.inmemory.wire.Vocabulary;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * The tools' input schemas, made from the REST vocabulary's (so a model sees the very members
 * REST takes) with the descriptions written for models in {@code tool-descriptions.properties}:
 * {@code <tool>} describes the tool, {@code <tool>.<member>} one of its arguments. OpenAPI's
 * {@code #/components/schemas/X} references become {@code #/$defs/X}, the referenced schemas
 * attached under {@code $defs}. Immutable and thread-safe.
 */
final class ToolSchemas {
  private static final String OPENAPI_REF = "#/components/schemas/";
  private static final String DEFS_REF = "#/$defs/";

  private final Map<String, Object> vocabulary = Vocabulary.schemas();
  private final Properties descriptions = load();
  private final McpSettings settings;

  /** The schemas without {@code settings}' pinned members. */
  ToolSchemas(McpSettings settings) {
    this.settings = settings;
  }

  /** The description of {@code tool}. */
  String description(String tool) {
    return required(tool);
  }

  /**
   * The input schema of {@code tool}: {@code base} (an object schema of the vocabulary's members)
   * with a description on every property (the vocabulary's own note, if any, after it), no other
   * property allowed, and the schemas it references.
   */
  Map<String, Object> input(String tool, Map<String, Object> base) {
    Map<String, Object> schema = rewrite(base);
    Map<String, Object> properties = new LinkedHashMap<>(map(schema.get("properties")));
    properties.keySet().removeAll(settings.pinnedMembers());
    properties.replaceAll((member, property) -> {
      Map<String, Object> described = new LinkedHashMap<>(map(property));
      // the vocabulary's own note (normalization, defaults) follows the one written for models
      Object note = described.get("description");
      String description = required(tool + "." + member);
      described.put("description", note == null ? description : description + " " + note);
      return described;
    });
    schema.put("properties", properties);
    // an argument the schema does not list is refused (JsonBody): say so to the model
    schema.put("additionalProperties", false);
    Map<String, Object> defs = definitions(schema);
    if (!defs.isEmpty()) {
      schema.put("$defs", defs);
    }
    return schema;
  }

  /** The vocabulary's schema {@code name}, as an input schema of {@code tool}. */
  Map<String, Object> input(String tool, String name) {
    return input(tool, map(vocabulary.get(name)));
  }

  /**
   * An input schema of {@code tool}: the object schema {@code leading}, followed by the
   * properties of the vocabulary's schema {@code name} when not {@code null}.
   */
  Map<String, Object> input(String tool, Map<String, Object> leading, @Nullable String name) {
    Map<String, Object> schema = new LinkedHashMap<>(leading);
    if (name != null) {
      Map<String, Object> properties = new LinkedHashMap<>(map(leading.get("properties")));
      properties.putAll(map(map(vocabulary.get(name)).get("properties")));
      schema.put("properties", properties);
    }
    return input(tool, schema);
  }

  /** Every schema {@code schema} references, transitively, by name. */
  private Map<String, Object> definitions(Map<String, Object> schema) {
    Map<String, Object> defs = new LinkedHashMap<>();
    Deque<Object> pending = new ArrayDeque<>(List.of(schema));
    while (!pending.isEmpty()) {
      Object node = pending.pop();
      if (node instanceof Map<?, ?> object) {
        if (object.get("$ref") instanceof String ref && ref.startsWith(DEFS_REF)) {
          String name = ref.substring(DEFS_REF.length());
          if (!defs.containsKey(name)) {
            Object target = vocabulary.get(name);
            if (target == null) {
              throw new IllegalStateException("no schema " + name + " in the vocabulary");
            }
            Map<String, Object> rewritten = rewrite(map(target));
            defs.put(name, rewritten);
            pending.push(rewritten);
          }
        }
        pending.addAll(object.values());
      } else if (node instanceof List<?> list) {
        pending.addAll(list);
      }
    }
    return defs;
  }

  /** A deep copy of {@code schema} with OpenAPI references rewritten to {@code $defs}. */
  private static Map<String, Object> rewrite(Map<String, Object> schema) {
    Map<String, Object> copy = new LinkedHashMap<>();
    schema.forEach((key, value) -> copy.put(key, rewriteValue(key, value)));
    return copy;
  }

  private static Object rewriteValue(String key, Object value) {
    if (key.equals("$ref") && value instanceof String ref && ref.startsWith(OPENAPI_REF)) {
      return DEFS_REF + ref.substring(OPENAPI_REF.length());
    }
    if (value instanceof Map<?, ?>) {
      return rewrite(map(value));
    }
    if (value instanceof List<?> list) {
      return list.stream().map(element -> rewriteValue("", element)).toList();
    }
    return value;
  }

  private String required(String key) {
    String description = descriptions.getProperty(key);
    if (description == null) {
      throw new IllegalStateException("tool-descriptions.properties has no " + key);
    }
    return description;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  private static Properties load() {
    Properties properties = new Properties();
    try (InputStream in = ToolSchemas.class.getResourceAsStream("tool-descriptions.properties")) {
      if (in == null) {
        throw new IllegalStateException("tool-descriptions.properties is missing from the jar");
      }
      properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties;
  }
}

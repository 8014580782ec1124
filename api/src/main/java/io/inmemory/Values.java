package io.inmemory;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The value rules every client shares, so that the local engine and the server normalize and
 * reject exactly the same input. Collects violations instead of failing on the first.
 */
final class Values {
  static final int MAX_USER_ID_LENGTH = 128;
  static final int MAX_MEMORY_ID_LENGTH = 64;
  static final int MAX_METADATA_DEPTH = 16;

  private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@:+\\-]*");
  private static final Pattern MEMORY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_\\-]*");

  /** Each problem once: a million blank tags are one violation. */
  private final Set<InvalidRequestException.Violation> violations = new LinkedHashSet<>();

  void add(String field, String problem) {
    violations.add(new InvalidRequestException.Violation(field, problem));
  }

  void throwIfAny() {
    if (!violations.isEmpty()) {
      throw new InvalidRequestException(List.copyOf(violations));
    }
  }

  static void requireValidUserId(String userId) {
    Values values = new Values();
    values.userId("userId", userId);
    values.throwIfAny();
  }

  static void requireValidMemoryId(String memoryId) {
    Values values = new Values();
    values.memoryId("memoryId", memoryId);
    values.throwIfAny();
  }

  String userId(String field, String userId) {
    if (userId == null || userId.isEmpty()) {
      add(field, "is required");
    } else if (userId.length() > MAX_USER_ID_LENGTH) {
      add(field, "is " + userId.length() + " characters, over the maximum of " + MAX_USER_ID_LENGTH);
    } else if (!USER_ID.matcher(userId).matches()) {
      add(field, "must start with a letter or digit and contain only letters, digits and . _ @ : + -"
          + " (user ids are exact: no trimming or case folding)");
    }
    return userId;
  }

  String memoryId(String field, String memoryId) {
    if (memoryId == null || memoryId.isEmpty()) {
      add(field, "is required");
    } else if (memoryId.length() > MAX_MEMORY_ID_LENGTH || !MEMORY_ID.matcher(memoryId).matches()) {
      add(field, "is not a memory id: ids are up to " + MAX_MEMORY_ID_LENGTH
          + " letters, digits, '-' and '_'");
    }
    return memoryId;
  }

  String content(String field, String content) {
    if (content == null || content.isBlank()) {
      add(field, "must not be blank");
    }
    return content;
  }

  /** Trimmed, lower-cased, de-duplicated in first-seen order. */
  List<String> tags(String field, List<String> tags) {
    if (tags == null) {
      return List.of();
    }
    Set<String> normalized = new LinkedHashSet<>();
    for (String tag : tags) {
      if (tag == null || tag.isBlank()) {
        add(field, "must not contain blank tags");
        continue;
      }
      normalized.add(tag.trim().toLowerCase(Locale.ROOT));
    }
    return List.copyOf(normalized);
  }

  /** Trimmed, case kept, de-duplicated case-insensitively keeping the first spelling. */
  List<String> people(String field, List<String> people) {
    if (people == null) {
      return List.of();
    }
    Map<String, String> byKey = new LinkedHashMap<>();
    for (String person : people) {
      if (person == null || person.isBlank()) {
        add(field, "must not contain blank names");
        continue;
      }
      String value = person.trim();
      byKey.putIfAbsent(personKey(value), value);
    }
    return List.copyOf(byKey.values());
  }

  /** Lower-cased and trimmed; null or blank means no topic. */
  String topic(String field, String topic) {
    if (topic == null || topic.isBlank()) {
      return null;
    }
    return topic.trim().toLowerCase(Locale.ROOT);
  }

  /**
   * A deep, unmodifiable copy holding only JSON-compatible values: strings, booleans, numbers
   * (integers as {@code Long}, others as {@code Double}, so a value reads back the same after a
   * JSON round trip), lists and maps with string keys. Nulls are rejected.
   */
  Map<String, Object> metadata(String field, Map<String, ?> metadata) {
    if (metadata == null || metadata.isEmpty()) {
      return Map.of();
    }
    Object copy = jsonValue(field, metadata, 0);
    if (!(copy instanceof Map<?, ?>)) {
      return Map.of();
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> result = (Map<String, Object>) copy;
    return result;
  }

  private Object jsonValue(String path, Object value, int depth) {
    if (depth > MAX_METADATA_DEPTH) {
      add(path, "is nested deeper than " + MAX_METADATA_DEPTH + " levels");
      return null;
    }
    if (value == null) {
      add(path, "must not be null (omit the key instead)");
      return null;
    }
    if (value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Byte || value instanceof Short || value instanceof Integer
        || value instanceof Long) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger big) {
      if (big.bitLength() < 64) {
        return big.longValue();
      }
      add(path, "integer " + big + " does not fit in 64 bits");
      return null;
    }
    if (value instanceof Float || value instanceof Double || value instanceof BigDecimal) {
      double number = ((Number) value).doubleValue();
      if (Double.isNaN(number) || Double.isInfinite(number)) {
        add(path, "must be a finite number");
        return null;
      }
      if (number == Math.rint(number) && Math.abs(number) < 1e15) {
        return (long) number;
      }
      return number;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!(entry.getKey() instanceof String key) || key.isBlank()) {
          add(path, "keys must be non-blank strings");
          continue;
        }
        Object child = jsonValue(path + "." + key, entry.getValue(), depth + 1);
        if (child != null) {
          copy.put(key, child);
        }
      }
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        Object child = jsonValue(path + "[" + i + "]", list.get(i), depth + 1);
        if (child != null) {
          copy.add(child);
        }
      }
      return Collections.unmodifiableList(copy);
    }
    add(path, "has unsupported type " + value.getClass().getName()
        + " (use strings, numbers, booleans, lists and maps)");
    return null;
  }

  /** About how many bytes {@code value} takes as JSON (strings in UTF-8, quotes counted). */
  static long estimatedJsonSize(Object value) {
    if (value instanceof String s) {
      return s.getBytes(StandardCharsets.UTF_8).length + 2;
    }
    if (value instanceof Map<?, ?> map) {
      long size = 2;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        size += estimatedJsonSize(entry.getKey()) + 1 + estimatedJsonSize(entry.getValue()) + 1;
      }
      return size;
    }
    if (value instanceof List<?> list) {
      long size = 2;
      for (Object item : list) {
        size += estimatedJsonSize(item) + 1;
      }
      return size;
    }
    return String.valueOf(value).length();
  }

  int limit(String field, int limit, int max) {
    if (limit < 1 || limit > max) {
      add(field, "must be between 1 and " + max + ", was " + limit);
    }
    return limit;
  }

  /** The key people are matched by: case-insensitive, so "Bob" and "bob" are one person. */
  static String personKey(String person) {
    return person.trim().toLowerCase(Locale.ROOT);
  }

  static Instant millis(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS);
  }

  static String abbreviate(String value) {
    return value.length() <= 20 ? value : value.substring(0, 20) + "…";
  }
}

package io.inmemory;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The value rules every client shares, so that the local engine and the server normalize and
 * reject exactly the same input. Collects violations instead of failing on the first.
 *
 * <p>Text of a request must be well-formed Unicode: a lone UTF-16 surrogate is refused (see
 * {@link #forRequest()}), because no store or wire keeps it exactly — UTF-8 (the file store, and
 * JSON as I-JSON, RFC 7493, requires) and BSON cannot encode it, so it came back as {@code ?} or
 * U+FFFD, and two metadata keys differing only there became one.
 */
final class Values {
  static final int MAX_USER_ID_LENGTH = 128;
  static final int MAX_MEMORY_ID_LENGTH = 64;
  /** Agent and session ids: the agent partition owner {@code "~" + agentId} must fit 128. */
  static final int MAX_SCOPE_ID_LENGTH = 100;
  /** Published as {@link Limits#MAX_METADATA_DEPTH}; kept here so the rules never depend on Limits. */
  static final int MAX_METADATA_DEPTH = 16;

  private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@:+\\-]*");
  private static final Pattern MEMORY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_\\-]*");

  /** Each problem once: a million blank tags are one violation. */
  private final Set<InvalidRequestException.Violation> violations = new LinkedHashSet<>();
  private final boolean wellFormedText;

  /**
   * Rules for values read back (records from a store or a server): text is taken as it is, so
   * what an earlier version stored stays readable.
   */
  Values() {
    this(false);
  }

  private Values(boolean wellFormedText) {
    this.wellFormedText = wellFormedText;
  }

  /** Rules for a request: every text must also be well-formed Unicode. */
  static Values forRequest() {
    return new Values(true);
  }

  void add(String field, String problem) {
    violations.add(new InvalidRequestException.Violation(field, problem));
  }

  void throwIfAny() {
    if (!violations.isEmpty()) {
      throw new InvalidRequestException(List.copyOf(violations));
    }
  }

  /** Whether {@code items} holds a null; safe on collections that refuse {@code contains(null)}. */
  static boolean hasNull(Collection<?> items) {
    return items.stream().anyMatch(Objects::isNull);
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

  @Nullable String userId(String field, @Nullable String userId) {
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

  /**
   * The owner and restrictions of a request: a userId, an agentId or both, and an optional
   * sessionId. Neither userId nor agentId is a violation of the field {@code scope}; it is also
   * reported as "userId: is required", as before agents existed, so that callers of the user-id
   * methods keep finding the field they gave.
   */
  void scope(@Nullable String userId, @Nullable String agentId, @Nullable String sessionId) {
    if (userId == null && agentId == null) {
      add("scope", "give userId, agentId or both");
    }
    if (userId != null || agentId == null) {
      userId("userId", userId);
    }
    scopeId("agentId", agentId);
    scopeId("sessionId", sessionId);
  }

  /** An agent or session id, when given: the user-id charset, 1 to 100 characters. */
  @Nullable String scopeId(String field, @Nullable String id) {
    if (id == null) {
      return null;
    }
    if (id.isEmpty()) {
      add(field, "must not be empty (omit it instead)");
    } else if (id.length() > MAX_SCOPE_ID_LENGTH) {
      add(field, "is " + id.length() + " characters, over the maximum of " + MAX_SCOPE_ID_LENGTH);
    } else if (!USER_ID.matcher(id).matches()) {
      add(field, "must start with a letter or digit and contain only letters, digits and . _ @ : + -");
    }
    return id;
  }

  @Nullable String memoryId(String field, @Nullable String memoryId) {
    if (memoryId == null || memoryId.isEmpty()) {
      add(field, "is required");
    } else if (memoryId.length() > MAX_MEMORY_ID_LENGTH || !MEMORY_ID.matcher(memoryId).matches()) {
      add(field, "is not a memory id: ids are up to " + MAX_MEMORY_ID_LENGTH
          + " letters, digits, '-' and '_'");
    }
    return memoryId;
  }

  @Nullable String content(String field, @Nullable String content) {
    if (content == null || content.isBlank()) {
      add(field, "must not be blank");
    }
    return text(field, content);
  }

  /**
   * Text as given; in a request, a violation when it holds a lone surrogate (a high surrogate not
   * followed by a low one, or a low one not preceded by a high one).
   */
  @Nullable String text(String field, @Nullable String text) {
    return text(field, "", text);
  }

  /** {@link #text(String, String)} with {@code what} naming the item of the field at fault. */
  @Nullable String text(String field, String what, @Nullable String text) {
    int at = text == null || !wellFormedText ? -1 : loneSurrogate(text);
    if (at >= 0) {
      add(field, what + "holds a lone UTF-16 surrogate, " + escaped(text.charAt(at))
          + " at index " + at + ": text must be well-formed Unicode (UTF-8, JSON and BSON"
          + " cannot carry it, so no store would keep it exactly)");
    }
    return text;
  }

  /** The index of the first lone surrogate of {@code text}, or -1. */
  static int loneSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (isLoneSurrogate(text, i)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isLoneSurrogate(String text, int i) {
    char c = text.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
    }
    return Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)));
  }

  /** Trimmed, lower-cased, de-duplicated in first-seen order. */
  List<String> tags(String field, @Nullable List<String> tags) {
    if (tags == null) {
      return List.of();
    }
    Set<String> normalized = new LinkedHashSet<>();
    for (String tag : tags) {
      if (tag == null || tag.isBlank()) {
        add(field, "must not contain blank tags");
        continue;
      }
      String value = tag.trim().toLowerCase(Locale.ROOT);
      text(field, "tag '" + abbreviate(value) + "' ", value);
      normalized.add(value);
    }
    return List.copyOf(normalized);
  }

  /** Trimmed, case kept, de-duplicated case-insensitively keeping the first spelling. */
  List<String> people(String field, @Nullable List<String> people) {
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
      text(field, "name '" + abbreviate(value) + "' ", value);
      byKey.putIfAbsent(personKey(value), value);
    }
    return List.copyOf(byKey.values());
  }

  /** Lower-cased and trimmed; null or blank means no topic. */
  @Nullable String topic(String field, @Nullable String topic) {
    if (topic == null || topic.isBlank()) {
      return null;
    }
    return text(field, topic.trim().toLowerCase(Locale.ROOT));
  }

  /**
   * A deep, unmodifiable copy holding only JSON-compatible values: strings, booleans, numbers
   * (integers as {@code Long}, others as {@code Double}, so a value reads back the same after a
   * JSON round trip), lists and maps with string keys. Nulls are rejected.
   */
  Map<String, Object> metadata(String field, @Nullable Map<String, ?> metadata) {
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

  /** One JSON-compatible value, copied and normalized as {@link #metadata} does its values. */
  @Nullable Object json(String path, @Nullable Object value) {
    return jsonValue(path, value, 0);
  }

  private @Nullable Object jsonValue(String path, @Nullable Object value, int depth) {
    if (depth > MAX_METADATA_DEPTH) {
      add(path, "is nested deeper than " + MAX_METADATA_DEPTH + " levels");
      return null;
    }
    if (value == null) {
      add(path, "must not be null (omit the key instead)");
      return null;
    }
    if (value instanceof String text) {
      return text(path, text);
    }
    if (value instanceof Boolean) {
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
      // a float is the decimal it prints as (0.1f is 0.1, not 0.10000000149011612), which is
      // what JSON carries to a server: the local engine and the managed client store the same
      double number = value instanceof Float f ? Double.parseDouble(f.toString())
          : ((Number) value).doubleValue();
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
        text(path, "key '" + abbreviate(key) + "' ", key);
        Object child = jsonValue(path + "." + shown(key), entry.getValue(), depth + 1);
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

  /**
   * About how many bytes {@code value} takes as JSON (strings in UTF-8, quotes counted). Strings
   * are measured, not encoded: this runs on every request carrying metadata.
   */
  static long estimatedJsonSize(Object value) {
    if (value instanceof String s) {
      return utf8Length(s) + 2;
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

  /** {@code instant} to the millisecond, as records keep it. */
  static @Nullable Instant millis(@Nullable Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS);
  }

  /** The earliest instant a record keeps: its epoch milliseconds are the smallest long. */
  static final Instant MIN_INSTANT = Instant.ofEpochMilli(Long.MIN_VALUE);
  /** The latest instant a record keeps: its epoch milliseconds are the largest long. */
  static final Instant MAX_INSTANT = Instant.ofEpochMilli(Long.MAX_VALUE);

  /**
   * An instant of a request to the millisecond, as records keep it; a violation, and
   * {@code null}, when its epoch milliseconds do not fit a long (years beyond about ±292 million),
   * which no store could keep (SQL timestamps and BSON dates are epoch milliseconds), so every
   * store and client refuses it alike instead of one failing as it stores.
   *
   * @param what the start of the problem, naming the item of {@code field} at fault, or empty
   */
  @Nullable Instant instant(String field, String what, @Nullable Instant instant) {
    if (instant == null) {
      return null;
    }
    Instant millis = millis(instant);
    if (millis.isBefore(MIN_INSTANT) || millis.isAfter(MAX_INSTANT)) {
      add(field, what + "must lie between " + MIN_INSTANT + " and " + MAX_INSTANT + ", was "
          + instant);
      return null;
    }
    return millis;
  }

  /** {@link #instant(String, String, Instant)} for a field that is one instant. */
  @Nullable Instant instant(String field, @Nullable Instant instant) {
    return instant(field, "", instant);
  }

  /** The start of {@code value} for a message, never cut inside a surrogate pair. */
  static String abbreviate(String value) {
    if (value.length() <= 20) {
      return shown(value);
    }
    return shown(value.substring(0, Character.isHighSurrogate(value.charAt(19)) ? 19 : 20)) + "…";
  }

  /** {@code value} with each lone surrogate written as its escape: messages stay well-formed. */
  private static String shown(String value) {
    StringBuilder shown = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      shown.append(isLoneSurrogate(value, i) ? escaped(value.charAt(i)) : value.charAt(i));
    }
    return shown.toString();
  }

  private static String escaped(char c) {
    return String.format(Locale.ROOT, "\\u%04X", (int) c);
  }

  /** The length of {@code text} in UTF-8, without encoding it. */
  static long utf8Length(String text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}

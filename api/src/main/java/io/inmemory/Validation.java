package io.inmemory;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The checks every client applies to arguments that are not part of a request record, so that
 * local and managed clients reject the same input with the same {@link InvalidRequestException}.
 * Stateless and thread-safe.
 */
public final class Validation {
  private Validation() {}

  /**
   * Checks a user id: 1 to 128 characters, starting with a letter or digit, then letters, digits
   * and {@code . _ @ : + -}. User ids are exact: "Alice" and "alice" are two users.
   */
  public static String requireUserId(String userId) {
    Values.requireValidUserId(userId);
    return userId;
  }

  /** Checks the form of a memory id (not whether it exists). */
  public static String requireMemoryId(String memoryId) {
    Values.requireValidMemoryId(memoryId);
    return memoryId;
  }

  /**
   * Whether {@code text} is well-formed Unicode: every UTF-16 surrogate is half of a pair. Text
   * with a lone surrogate has no UTF-8 (and so no JSON, as RFC 7493 requires, or BSON) form, so no
   * store keeps it exactly; every text of a request record is checked so, and this serves text
   * outside them (such as names of API keys).
   *
   * @throws NullPointerException when {@code text} is null
   */
  public static boolean isWellFormedText(String text) {
    return Values.loneSurrogate(text) < 0;
  }

  /** Checks a page request: limit 1 to {@link SearchRequest#MAX_LIMIT}, offset not negative. */
  public static void requirePage(int limit, int offset) {
    Values values = new Values();
    values.limit("limit", limit, SearchRequest.MAX_LIMIT);
    if (offset < 0) {
      values.add("offset", "must not be negative, was " + offset);
    }
    values.throwIfAny();
  }

  /**
   * Checks the items of a batch change: none null, and no memory named twice for one owner (the
   * user, else the agent) — which of two changes would win is not defined.
   *
   * @throws InvalidRequestException (field {@code items}) naming the repeated ids
   */
  public static <T> void requireDistinct(List<T> items, Function<? super T, String> memoryId,
      Function<? super T, Scope> scope) {
    Values values = new Values();
    Set<List<Object>> seen = new HashSet<>();
    Set<String> repeated = new LinkedHashSet<>();
    for (int i = 0; i < items.size(); i++) {
      T item = items.get(i);
      if (item == null) {
        values.add("items[" + i + "]", "must not be null");
        continue;
      }
      Scope owner = scope.apply(item);
      String id = memoryId.apply(item);
      if (!seen.add(Arrays.asList(owner.userId(), owner.userId() == null ? owner.agentId() : null,
          id))) {
        repeated.add(id);
      }
    }
    if (!repeated.isEmpty()) {
      values.add("items", "name a memory more than once: "
          + repeated.stream().limit(InvalidRequestException.MAX_LISTED).toList());
    }
    values.throwIfAny();
  }
}

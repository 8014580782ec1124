package io.inmemory;

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
}

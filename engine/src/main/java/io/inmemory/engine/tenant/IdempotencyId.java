package io.inmemory.engine.tenant;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which request an idempotency record answers: the caller's scope and the {@code Idempotency-Key}
 * it sent. Immutable.
 *
 * @param scope the project id of the caller's key, or {@link #ADMIN_SCOPE} for the bootstrap
 *     admin key (project ids cannot start with {@code '~'}, so the two never meet)
 * @param key the client's key: 1 to {@value #MAX_KEY_LENGTH} printable ASCII characters
 */
public record IdempotencyId(String scope, String key) {
  /** The scope of requests made with the bootstrap admin key, which has no project. */
  public static final String ADMIN_SCOPE = "~admin";
  public static final int MAX_KEY_LENGTH = 255;

  private static final Pattern KEY = Pattern.compile("[\\x20-\\x7E]{1," + MAX_KEY_LENGTH + "}");

  public IdempotencyId {
    Objects.requireNonNull(scope, "scope");
    if (!scope.equals(ADMIN_SCOPE)) {
      AccessValues.id(scope, "scope");
    }
    if (!isValidKey(key)) {
      throw new IllegalArgumentException("An idempotency key must be 1 to " + MAX_KEY_LENGTH
          + " printable ASCII characters");
    }
  }

  /** Whether {@code key} is a valid {@link #key()}: 1 to 255 printable ASCII characters. */
  public static boolean isValidKey(String key) {
    return key != null && KEY.matcher(key).matches();
  }
}

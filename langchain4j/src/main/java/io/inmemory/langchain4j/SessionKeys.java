package io.inmemory.langchain4j;

import io.inmemory.InvalidRequestException;
import io.inmemory.Scope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The session id a LangChain4j chat memory id maps to. Stateless.
 *
 * <p>An id whose text is a valid session id (the user-id charset, at most 100 characters, as
 * {@link Scope} checks) and does not start with {@value #HASHED} is used as it is; any other is
 * replaced by {@value #HASHED} and the hex SHA-256 of its UTF-8 text (71 characters). Distinct texts
 * get distinct keys (up to SHA-256 collisions); ids with the same text ({@code 1} and {@code "1"})
 * share one.
 */
final class SessionKeys {

  static final String HASHED = "sha256-";

  private SessionKeys() {
  }

  static String of(Object memoryId) {
    String text = memoryId.toString();
    return !text.startsWith(HASHED) && valid(text) ? text : HASHED + sha256(text);
  }

  /** Whether {@code text} is a session id, by the API's own check rather than a copy of it. */
  private static boolean valid(String text) {
    try {
      Scope.agent("a").withSession(text);
      return true;
    } catch (InvalidRequestException e) {
      return false;
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}

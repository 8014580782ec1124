package io.inmemory;

import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The configuration is invalid or ambiguous: a value of the wrong type, an unknown provider name,
 * no provider or several on the classpath. The message lists every problem found, the candidates,
 * and the key to set. Thrown at construction time, never later. Credentials written into a URL
 * ({@code scheme://user:password@host}) never appear in it: they show as {@code ***}, since
 * these messages end up in logs.
 */
public class ConfigurationException extends InMemoryException {
  private static final long serialVersionUID = 1L;

  /**
   * A URL's user information: what follows {@code scheme://} up to the last {@code @} before a
   * space or a quote. Not only the authority's (up to the first {@code /}, {@code ?} or
   * {@code #}): a password written without percent-encoding may hold those, and a message then
   * hides an {@code @} of a path too rather than show the rest of a password.
   */
  private static final Pattern USER_INFO =
      Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^\\s'\"]*@");

  private final List<String> problems;

  public ConfigurationException(String message) {
    this(List.of(message));
  }

  public ConfigurationException(List<String> problems) {
    this(shown(requireSome(problems)), null);
  }

  public ConfigurationException(String message, Throwable cause) {
    this(shown(List.of(message)), cause);
  }

  /** Every constructor's: {@code shown} are the problems as they may be shown. */
  private ConfigurationException(List<String> shown, @Nullable Throwable cause) {
    super(message(shown), cause);
    this.problems = shown;
  }

  private static List<String> shown(List<String> problems) {
    return problems.stream().map(ConfigurationException::withoutCredentials).toList();
  }

  private static String message(List<String> problems) {
    return problems.size() == 1 ? problems.get(0)
        : "Invalid InMemory configuration:\n  - " + String.join("\n  - ", problems);
  }

  private static String withoutCredentials(String problem) {
    return USER_INFO.matcher(problem).replaceAll("$1***@");
  }

  private static List<String> requireSome(List<String> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigurationException needs at least one problem");
    }
    return problems;
  }

  /** Every problem found; never empty. */
  public List<String> problems() {
    return problems;
  }
}

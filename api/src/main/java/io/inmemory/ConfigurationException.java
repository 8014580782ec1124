package io.inmemory;

import java.util.List;

/**
 * The configuration is invalid or ambiguous: a value of the wrong type, an unknown provider name,
 * no provider or several on the classpath. The message lists every problem found, the candidates,
 * and the key to set. Thrown at construction time, never later.
 */
public class ConfigurationException extends InMemoryException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public ConfigurationException(String message) {
    this(List.of(message));
  }

  public ConfigurationException(List<String> problems) {
    super(requireSome(problems).size() == 1
        ? problems.get(0)
        : "Invalid InMemory configuration:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
    this.problems = List.of(message);
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

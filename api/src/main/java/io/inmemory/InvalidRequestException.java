package io.inmemory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The request was malformed: a blank or oversized content, a bad user id, a limit out of range,
 * an unknown temporal phrase, an unsupported filter. Nothing was stored or changed.
 *
 * <p>{@link #violations()} lists every problem found, not only the first, so a caller can fix them
 * all at once — up to {@value #MAX_LISTED}: a request with more problems (a million unknown
 * members, say) lists the first ones and then one violation of field {@code request} counting the
 * others, so that neither the message nor a server's answer grows with the input.
 */
public class InvalidRequestException extends InMemoryException {
  private static final long serialVersionUID = 1L;

  /** The most violations listed; see the class comment. */
  public static final int MAX_LISTED = 100;

  private final List<Violation> violations;

  public InvalidRequestException(List<Violation> violations) {
    super(describe(bounded(violations)));
    this.violations = bounded(violations);
  }

  public InvalidRequestException(String field, String problem) {
    this(List.of(new Violation(field, problem)));
  }

  /** Every problem found in the request; never empty. */
  public List<Violation> violations() {
    return violations;
  }

  private static List<Violation> bounded(List<Violation> violations) {
    if (violations.size() <= MAX_LISTED) {
      return List.copyOf(violations);
    }
    List<Violation> listed = new ArrayList<>(violations.subList(0, MAX_LISTED));
    listed.add(new Violation("request", (violations.size() - MAX_LISTED)
        + " more problems are not listed"));
    return List.copyOf(listed);
  }

  private static String describe(List<Violation> violations) {
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("an InvalidRequestException needs at least one violation");
    }
    StringBuilder message = new StringBuilder("Invalid request: ");
    for (int i = 0; i < violations.size(); i++) {
      if (i > 0) {
        message.append("; ");
      }
      message.append(violations.get(i));
    }
    return message.toString();
  }

  /**
   * One problem with one field of a request.
   *
   * @param field the request field, in the Java API's naming (for example {@code userId})
   * @param problem what is wrong and what is allowed
   */
  public record Violation(String field, String problem) {
    public Violation {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(problem, "problem");
    }

    @Override
    public String toString() {
      return field + ": " + problem;
    }
  }
}

package io.inmemory;

/**
 * The memory (or other resource) does not exist for this user. A memory of another user is
 * reported exactly like a missing one, so ids cannot be probed across users.
 */
public class NotFoundException extends InMemoryException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super(message);
  }

  /** No memory {@code memoryId} in {@code scope}, in the words every client uses. */
  public static NotFoundException memory(String memoryId, Scope scope) {
    StringBuilder where = new StringBuilder(scope.userId() != null
        ? "user " + scope.userId() + (scope.agentId() != null ? ", agent " + scope.agentId() : "")
        : "agent " + scope.agentId() + "'s own memories");
    if (scope.sessionId() != null) {
      where.append(", session ").append(scope.sessionId());
    }
    return new NotFoundException("No memory " + memoryId + " in " + where);
  }
}
